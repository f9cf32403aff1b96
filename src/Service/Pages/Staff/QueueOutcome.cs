using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// A work-queue line's outcome, in words and a colour class: active, inactive, ended mid-program, carved out, not
/// found, needs review, waiting for the payer (with the next try), checking, failed. The rule is the result page's
/// banner (<see cref="VerificationView.BannerOf"/>), refined by what the payer or the worker said.
/// </summary>
internal sealed record QueueOutcome(string Kind, string Words, bool NeedsAction)
{
    // AAA codes that mean the payer found no such person (or not with these details).
    private static readonly HashSet<string> s_notFound = new(StringComparer.Ordinal) { "75", "73", "71", "72", "76", "58", "64", "65", "67" };

    public static QueueOutcome Of(QueueEntry entry, ProgramTime time)
    {
        var summary = entry.Summary;
        var coverage = entry.Result?.Coverage;
        var banner = VerificationView.BannerOf(summary.Status, coverage, entry.Payload?.Program);
        var errors = entry.Result?.Errors ?? [];
        return banner switch
        {
            "pending" when summary.Status == VerificationStatus.InProgress => new("checking", "Checking with the payer now", false),
            "pending" when summary.Attempts > 0 && entry.NextAttemptAt is { } next =>
                new("waiting", $"Waiting for the payer · next try {time.Short(next)}", false),
            "pending" => new("checking", "Queued: asking the payer", false),
            "active" when entry.Result?.Estimate?.Warnings.Contains(CoverageCheck.Estimator.EstimateWarnings.BenefitsIncomplete) == true =>
                new("incomplete", "Active · benefits incomplete", true),
            "active" => new("active", "Active", false),
            "inactive" => new("inactive", "Not active", true),
            "ends-mid-program" => new("ends", $"Ends mid-program ({Wording.Date(coverage?.CoverageEnds)})", true),
            "carve-out" => new("carved-out", $"Carved out to {coverage?.CarveOut?.Name ?? "another administrator"}", true),
            "no-medical" => new("needs-review", "No medical coverage stated", true),
            "failed" => new("failed", "Failed: verify by phone", true),
            _ when errors.Any(error => s_notFound.Contains(error.Code)) => new("not-found", "Not found by the payer", true),
            _ when summary.LastErrorCode is "consent-missing" or "consent-revoked" or "consent-expired" => new("needs-review", "Stopped: no valid consent", true),
            _ when summary.Status == VerificationStatus.NeedsReview && summary.Attempts > 1 => new("needs-review", "Needs review: the payer did not answer", true),
            _ => new("needs-review", "Needs review", true),
        };
    }
}

/// <summary>What the queue table partial shows.</summary>
internal sealed record QueueTableModel(IReadOnlyList<QueueLine> Lines, Func<string, string> PayerName, ProgramTime Time, string Caption, string Id);

/// <summary>One tier on the result page, with where each field came from (a completion by phone or portal).</summary>
internal sealed record BenefitsModel(
    string Title,
    CoverageCheck.Clients.Eligibility.BenefitTier? Tier,
    bool Ours,
    string Path,
    IReadOnlyDictionary<string, CoverageCheck.Clients.Eligibility.FieldSource>? Sources)
{
    /// <summary>"from the call (ref R-1)" when a completion gave the field (or any field under it); null when the payer did.</summary>
    public string? From(string field)
    {
        if (Sources is null)
        {
            return null;
        }

        var prefix = Path + "." + field;
        var given = Sources.Where(s => (s.Key == prefix || s.Key.StartsWith(prefix + ".", StringComparison.Ordinal)) && s.Value.Source != CoverageCheck.Clients.Eligibility.FieldSource.PayerAnswer)
            .Select(s => s.Value).FirstOrDefault();
        return given is null ? null : (given.Source == "portal" ? "from the payer's portal" : "from the call") + (given.Reference is { } r ? $" (ref {r})" : "");
    }
}
