using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Verifications.Completions;

/// <summary>
/// The body of <c>POST /api/v1/verifications/{id}/completion</c> (http-api.md "Completing a verification"): the call,
/// where the values come from, per tier the benefit fields the payer's answer left out or got wrong, and notes.
/// Every member is optional on the wire; <see cref="CompletionValidation"/> names each missing or bad field.
/// </summary>
internal sealed record CompletionRequest(
    CompletionCallDto? Call,
    string? Source,
    CompletionTierDto? InNetwork,
    CompletionTierDto? OutOfNetwork,
    string? Notes,
    CompletionCarveOutDto? CarveOut = null)
{
    public override string ToString() => $"CompletionRequest {{ Source = {Source} }}";
}

/// <summary>The call or portal visit: when, with whom, and the reference number the payer gave.</summary>
internal sealed record CompletionCallDto(DateTimeOffset? At, string? Representative, string? Reference);

/// <summary>The tier fields of <c>coverage.inNetwork</c>, plus whether the deductible applies and the prior-authorisation phone.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
internal sealed record CompletionTierDto(
    CompletionLevelDto? Deductible,
    CompletionLevelDto? OutOfPocketMax,
    decimal? CopayPerDay,
    decimal? CoinsurancePercent,
    bool? PriorAuthorizationRequired,
    CompletionVisitLimitDto? VisitLimit,
    bool? DeductibleAppliesToService,
    string? PriorAuthorizationPhone);

internal sealed record CompletionLevelDto(CompletionAmountsDto? Individual, CompletionAmountsDto? Family);

[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
internal sealed record CompletionAmountsDto(decimal? Total, decimal? Remaining, decimal? Met);

/// <summary>A day (visit) limit: the yearly total, and either what remains or what was used.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
internal sealed record CompletionVisitLimitDto(int? Total, int? Remaining, int? Used);

/// <summary>The representative says another company administers behavioural health.</summary>
internal sealed record CompletionCarveOutDto(string? Name, string? Phone);

/// <summary>
/// One completion as stored (encrypted) and listed in <c>completions[]</c>: never edited; a later one supersedes the
/// fields it gives.
/// </summary>
internal sealed record Completion
{
    public required Guid Id { get; init; }
    public required DateTimeOffset EnteredAt { get; init; }
    public required string EnteredBy { get; init; }
    public required string Source { get; init; }
    public required CompletionCallDto Call { get; init; }
    public CompletionTierDto? InNetwork { get; init; }
    public CompletionTierDto? OutOfNetwork { get; init; }
    public CompletionCarveOutDto? CarveOut { get; init; }
    public string? Notes { get; init; }

    public override string ToString() => $"Completion {{ Id = {Id}, Source = {Source} }}";
}

internal static class CompletionSources
{
    public const string Phone = "phone";
    public const string Portal = "portal";
}
