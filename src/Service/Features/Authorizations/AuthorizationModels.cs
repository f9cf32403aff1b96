namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>The body of <c>POST /api/v1/verifications/{id}/authorizations</c> as read, before its rules are checked.</summary>
internal sealed record AuthorizationRequest(
    string? Number,
    string? Status,
    int? Days,
    DateOnly? EffectiveDate,
    DateOnly? ExpirationDate,
    DateOnly? NextReviewDate,
    ReviewerInfo? Reviewer)
{
    /// <summary>Never print the number or the reviewer.</summary>
    public override string ToString() => $"AuthorizationRequest {{ Status = {Status} }}";
}

/// <summary>The payer's reviewer (utilisation review) the authorisation was agreed with.</summary>
internal sealed record ReviewerInfo(string? Name, string? Phone)
{
    public override string ToString() => "ReviewerInfo { *** }";
}

/// <summary>What is stored encrypted (<c>authorizations.payload_cipher</c>): the payer's reference and its reviewer.</summary>
internal sealed record AuthorizationSecret(string Number, ReviewerInfo? Reviewer)
{
    public override string ToString() => "AuthorizationSecret { *** }";
}

/// <summary>
/// One authorisation as <c>GET /api/v1/verifications/{id}</c> lists it (<c>authorizations[]</c>, oldest first).
/// <see cref="SupersededBy"/> names the later record of the same number (a correction, or requested then approved); the
/// estimate uses only the records no later one supersedes.
/// </summary>
internal sealed record AuthorizationResponse(
    Guid Id,
    Guid VerificationId,
    string Number,
    string Status,
    int Days,
    DateOnly EffectiveDate,
    DateOnly ExpirationDate,
    DateOnly? NextReviewDate,
    ReviewerInfo? Reviewer,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    public Guid? SupersededBy { get; init; }

    public override string ToString() => $"AuthorizationResponse {{ Id = {Id}, Status = {Status} }}";
}

/// <summary>
/// One authorisation of the "due" lists (<c>GET /api/v1/authorizations/due</c>): ids, status and dates only, no PHI
/// (open the verification for the number and the reviewer).
/// </summary>
internal sealed record DueAuthorization(
    Guid Id,
    Guid VerificationId,
    string Status,
    int Days,
    DateOnly EffectiveDate,
    DateOnly ExpirationDate,
    DateOnly? NextReviewDate)
{
    /// <summary>True when the next review date is before today (still running, review not recorded since).</summary>
    public bool ReviewOverdue { get; init; }
}

/// <summary>
/// <c>GET /api/v1/authorizations/due?days=3</c>: reviews due from now to <see cref="Through"/> (overdue ones too), and
/// approved or partial authorisations expiring in that time; "today" in <c>Program:TimeZone</c>.
/// </summary>
internal sealed record AuthorizationsDueResponse(DateOnly Today, DateOnly Through, IReadOnlyList<DueAuthorization> ReviewsDue, IReadOnlyList<DueAuthorization> Expiring);

/// <summary>The <c>status</c> values.</summary>
internal static class AuthorizationStatuses
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Partial = "partial";
    public const string Denied = "denied";

    public static IReadOnlyList<string> All { get; } = [Requested, Approved, Partial, Denied];

    public static Estimator.AuthorizationStatus ToEstimator(string status) => status switch
    {
        Requested => Estimator.AuthorizationStatus.Requested,
        Approved => Estimator.AuthorizationStatus.Approved,
        Partial => Estimator.AuthorizationStatus.Partial,
        Denied => Estimator.AuthorizationStatus.Denied,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an authorisation status."),
    };
}
