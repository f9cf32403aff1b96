using System.Text.Json.Serialization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// What a verification found, stored encrypted with the verification (it holds payer answers, which are PHI) and
/// returned by <c>GET /api/v1/verifications/{id}</c>.
/// </summary>
internal sealed record VerificationResult
{
    public required DateTimeOffset CheckedAt { get; init; }
    public required PayerInfo Payer { get; init; }
    public NormalizedCoverage? Coverage { get; init; }

    /// <summary>The estimate response of estimator.md, or null (no program asked, or no benefits to estimate from).</summary>
    public EstimateResponse? Estimate { get; init; }

    public IReadOnlyList<AaaError> Errors { get; init; } = [];

    /// <summary>What the payer left unknown and what the estimate assumed instead, in plain words.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>Faults in the payer's answer that did not stop the reading.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How the payer was asked about the patient (as the subscriber or as a dependent) and how many arrangements were tried.</summary>
    public InquiryInfo? Inquiry { get; init; }

    /// <summary>The service type whose benefits were asked for (AI, then 30 when the payer refused AI).</summary>
    public string? ServiceTypeAsked { get; init; }

    /// <summary>Our network status with this payer: in, out, or unknown (not in the payer table).</summary>
    public string? Network { get; init; }

    /// <summary>The payer contract that matched the plan on the first session's date (#17); null: none, the payer table applied.</summary>
    public ContractMatchInfo? Contract { get; init; }

    /// <summary>
    /// The payer's own coverage, kept when a completion by phone or portal changed <see cref="Coverage"/> (which then
    /// shows the completed values); null while nothing was completed.
    /// </summary>
    public NormalizedCoverage? PayerCoverage { get; init; }

    /// <summary>The estimate's own assumptions when it was last made again after a completion (to replace them next time).</summary>
    public IReadOnlyList<string> EstimateAssumptions { get; init; } = [];

    /// <summary>The "from the call with …" lines of the last completion, to replace them next time.</summary>
    public IReadOnlyList<string> CompletionAssumptions { get; init; } = [];

    /// <summary>Every completion entered, in order (never edited: a later one supersedes the fields it gives).</summary>
    public IReadOnlyList<Completions.Completion> Completions { get; init; } = [];

    /// <summary>The payer's raw answer, kept for audit; never returned by the API.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RawAnswer { get; init; }
}
