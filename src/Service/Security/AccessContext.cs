using System.Security.Claims;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Who reads or writes protected health information, in what role, and why; written to the audit trail.
/// </summary>
/// <param name="Actor">The API key name, user name or worker id; never a patient identifier.</param>
/// <param name="Role">The role that granted the access (admissions, finance, website, admin, worker).</param>
/// <param name="Purpose">Why, in a few words: "verify coverage", "work queue review", "batch report".</param>
internal sealed record AccessContext(string Actor, string Role, string Purpose)
{
    public const string WorkerRole = "worker";

    /// <summary>What kind of caller the actor is (<see cref="ActorKinds"/>), written to the audit trail's <c>actor_kind</c>.</summary>
    public string ActorKind { get; init; } = ActorKinds.Unknown;

    /// <summary>The background worker acting on queued verifications.</summary>
    public static AccessContext ForWorker(string workerId, string purpose = "eligibility verification") =>
        new(workerId, WorkerRole, purpose) { ActorKind = ActorKinds.Worker };

    /// <summary>The signed-in user or API key behind a request, with its roles: the one way an endpoint or page names its caller.</summary>
    public static AccessContext For(ClaimsPrincipal user, string purpose) =>
        new(user.Identity?.Name ?? "unknown",
            string.Join(',', user.FindAll(ClaimTypes.Role).Select(claim => claim.Value).Order(StringComparer.Ordinal)) is { Length: > 0 } roles ? roles : "none",
            purpose)
        {
            ActorKind = ActorKinds.Of(user),
        };
}

/// <summary>The <c>actor_kind</c> values of the audit trail: how the actor proved who it is.</summary>
internal static class ActorKinds
{
    public const string ApiKey = "api-key";
    public const string LocalUser = "local-user";
    public const string SsoUser = "sso-user";
    public const string BearerToken = "bearer-token";
    public const string Worker = "worker";
    public const string Operator = "operator";
    public const string Anonymous = "anonymous";
    public const string Unknown = "unknown";

    /// <summary>The kind of the principal a request was authenticated as.</summary>
    public static string Of(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return Anonymous;
        }

        if (string.Equals(identity.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal))
        {
            return ApiKey;
        }

        // The staff cookie carries how its session began (Features.Users.StaffAuthentication.SignInMethodClaim).
        return user.FindFirst("amr")?.Value switch
        {
            "pwd" => LocalUser,
            "oidc" => SsoUser,
            _ => BearerToken,
        };
    }
}

/// <summary>The <c>action</c> values of the audit trail.</summary>
internal static class AuditActions
{
    public const string Create = "create";
    public const string Read = "read";
    public const string Update = "update";
    public const string Claim = "claim";
    public const string Export = "export";

    /// <summary>A record removed (a payer contract; PHI is never deleted this way).</summary>
    public const string Delete = "delete";

    /// <summary>A consent withdrawn (42 CFR 2.31): from then on no payer is asked under it.</summary>
    public const string Revoke = "revoke";

    /// <summary>PHI decrypted and encrypted again under the current key after a key rotation (<c>phi rekey</c>).</summary>
    public const string Rekey = "rekey";

    /// <summary>A staff sign-in that opened a session (local password or single sign-on).</summary>
    public const string SignIn = "sign-in";

    /// <summary>A staff sign-in refused: wrong name or password, disabled account, or throttled.</summary>
    public const string SignInFailed = "sign-in-failed";

    /// <summary>A staff session ended by its user.</summary>
    public const string SignOut = "sign-out";

    /// <summary>A staff account disabled (<c>users disable</c>); its sessions end with it.</summary>
    public const string Disable = "disable";
}

/// <summary>The <c>record_type</c> values of the audit trail.</summary>
internal static class AuditRecordTypes
{
    public const string Verification = "verification";
    public const string Batch = "batch";
    public const string GoodFaithEstimate = "good-faith-estimate";
    public const string Consent = "consent";

    /// <summary>A payer contract (not PHI; its writes are audited), by its id.</summary>
    public const string Contract = "contract";

    /// <summary>An authorisation recorded on a verification, by its id.</summary>
    public const string Authorization = "authorization";
    /// <summary>A completion of a verification by phone or portal (its content is PHI, encrypted).</summary>
    public const string Completion = "verification-completion";

    /// <summary>An uploaded remittance (X12 835; its content is PHI, encrypted), by its id.</summary>
    public const string Remittance = "remittance";

    /// <summary>A staff account: record id <c>user:{id}</c> for a local account, <c>sso:{name}</c> for single sign-on, <c>unknown-user</c>.</summary>
    public const string StaffAccount = "staff-account";

    /// <summary>A member, by the keyed hash <c>PhiProtector.MemberKey(payer, member ID)</c> (the verifications' <c>member_key</c>).</summary>
    public const string Member = "member";

    /// <summary>A patient of an uploaded 271 without a payer or member ID, by a keyed hash of the name and date of birth.</summary>
    public const string X12Patient = "x12-271-patient";

    /// <summary>A rejected census line, as <c>{batch id}:{line}</c> (its patient_ref was exported).</summary>
    public const string BatchRow = "batch-row";
}

/// <summary>One row of the audit trail.</summary>
internal sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string Actor { get; init; } = "";
    public string Role { get; init; } = "";
    public string Action { get; init; } = "";
    public string RecordType { get; init; } = "";
    public string RecordId { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string? ActorKind { get; init; }
}
