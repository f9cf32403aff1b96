using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Features.Consents;

/// <summary>How a consent (or its revocation) was given: <c>method</c> in http-api.md.</summary>
internal static class ConsentMethods
{
    public const string Verbal = "verbal";
    public const string Written = "written";
    public const string Electronic = "electronic";

    public static IReadOnlyList<string> All { get; } = [Verbal, Written, Electronic];

    public static bool IsKnown(string? method) => method is Verbal or Written or Electronic;
}

/// <summary>Who gave a consent: <c>givenBy</c>.</summary>
internal static class ConsentGivers
{
    public const string Patient = "patient";
    public const string Representative = "representative";

    public static IReadOnlyList<string> All { get; } = [Patient, Representative];

    public static bool IsKnown(string? givenBy) => givenBy is Patient or Representative;
}

/// <summary>The one purpose a consent can allow today: asking a payer about benefits.</summary>
internal static class ConsentPurposes
{
    public const string Eligibility = "eligibility";
}

/// <summary>Where a consent was recorded.</summary>
internal static class ConsentSources
{
    public const string Api = "api";
    public const string Census = "census";

    /// <summary>The website's consented request (Features/Intake): an electronic consent, typed signature.</summary>
    public const string Website = "website";
}

/// <summary>What <see cref="ConsentResponse.State"/> says of a consent at one moment.</summary>
internal static class ConsentStates
{
    public const string Active = "active";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
}

/// <summary>The <c>lastErrorCode</c> of a verification the payer was not asked about for want of consent.</summary>
internal static class ConsentErrorCodes
{
    /// <summary>No consent covers the call: none recorded, another payer's, not yet given, or expired.</summary>
    public const string Missing = "consent-missing";

    /// <summary>The consent, or a later one's revocation for the same member, withdrew permission.</summary>
    public const string Revoked = "consent-revoked";
}

/// <summary>
/// The default terms of http-api.md: given now, expiring 90 days after the program's last day, or one year after it
/// was given without a program.
/// </summary>
internal static class ConsentTerms
{
    public static readonly TimeSpan AfterProgram = TimeSpan.FromDays(90);

    /// <summary>Up to this much clock difference between the caller and us is not "given in the future".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The end of the day (UTC) 90 days after the program ends, or a year after <paramref name="givenAt"/>.</summary>
    public static DateTimeOffset DefaultExpiry(DateTimeOffset givenAt, ProgramInfo? program) =>
        program is { } planned
            ? new DateTimeOffset(planned.End.AddDays(AfterProgram.Days + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : givenAt.AddYears(1);
}

/// <summary>A consent to record: what was given, before it has an attester (the caller) and a creation time.</summary>
internal sealed record NewConsent(
    Guid Id,
    string GivenBy,
    string Method,
    DateTimeOffset GivenAt,
    DateTimeOffset ExpiresAt,
    string PayerId,
    string? TextVersion,
    string Source);

/// <summary>One consent as stored; <see cref="RevocationReason"/> is decrypted (it may name the person).</summary>
internal sealed record ConsentRecord
{
    public Guid Id { get; init; }
    public string GivenBy { get; init; } = "";
    public string Method { get; init; } = "";
    public DateTimeOffset GivenAt { get; init; }
    public string AttestedBy { get; init; } = "";
    public string PayerId { get; init; } = "";
    public string Purpose { get; init; } = ConsentPurposes.Eligibility;
    public DateTimeOffset ExpiresAt { get; init; }
    public string? TextVersion { get; init; }
    public string Source { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public string? RevocationMethod { get; init; }
    public string? RevocationReason { get; init; }

    /// <summary>Active, revoked or expired at <paramref name="now"/>.</summary>
    public string StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? ConsentStates.Revoked
        : ExpiresAt <= now ? ConsentStates.Expired
        : ConsentStates.Active;
}

/// <summary><c>scope</c>: what a consent allows.</summary>
internal sealed record ConsentScope(string PayerId, string Purpose);

/// <summary>The wire shape of a consent (http-api.md, "Consent records"), with its state at the time of the answer.</summary>
internal sealed record ConsentResponse
{
    public required Guid Id { get; init; }
    public required string State { get; init; }
    public required string GivenBy { get; init; }
    public required string Method { get; init; }
    public required DateTimeOffset GivenAt { get; init; }
    public required string AttestedBy { get; init; }
    public required ConsentScope Scope { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public string? RevocationMethod { get; init; }
    public string? RevocationReason { get; init; }
    public string? TextVersion { get; init; }
    public string Source { get; init; } = "";

    public static ConsentResponse From(ConsentRecord consent, DateTimeOffset now) => new()
    {
        Id = consent.Id,
        State = consent.StateAt(now),
        GivenBy = consent.GivenBy,
        Method = consent.Method,
        GivenAt = consent.GivenAt,
        AttestedBy = consent.AttestedBy,
        Scope = new ConsentScope(consent.PayerId, consent.Purpose),
        ExpiresAt = consent.ExpiresAt,
        RevokedAt = consent.RevokedAt,
        RevokedBy = consent.RevokedBy,
        RevocationMethod = consent.RevocationMethod,
        RevocationReason = consent.RevocationReason,
        TextVersion = consent.TextVersion,
        Source = consent.Source,
    };
}

/// <summary>The body of <c>POST /api/v1/consents/{id}/revocation</c>.</summary>
internal sealed record RevocationRequest(string? Method, string? Reason);

/// <summary>Whether a consent covers a payer call at one moment, and if not, why (in our own words, no PHI).</summary>
internal sealed record ConsentVerdict(bool Allowed, string? Code, string? Reason)
{
    public static ConsentVerdict Allow { get; } = new(true, null, null);

    public static ConsentVerdict Missing(string reason) => new(false, ConsentErrorCodes.Missing, reason);

    public static ConsentVerdict Revoked(string reason) => new(false, ConsentErrorCodes.Revoked, reason);
}

/// <summary>What a revocation did.</summary>
/// <param name="Consent">The consent as it now stands.</param>
/// <param name="AlreadyRevoked">It had been revoked before; nothing was changed.</param>
/// <param name="AlsoRevoked">Other consents for the same member, given before it, revoked with it.</param>
/// <param name="Stopped">Queued verifications under the revoked consents, moved to needs-review.</param>
internal sealed record RevocationResult(ConsentRecord Consent, bool AlreadyRevoked, int AlsoRevoked, int Stopped);
