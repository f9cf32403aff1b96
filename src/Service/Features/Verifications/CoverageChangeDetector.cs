using System.Globalization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// What changed between a verification and the one it re-checks: coverage ended or started, the plan changed, the
/// deductible or out-of-pocket progressed. Details name amounts and plan names, never the person.
/// </summary>
internal sealed class CoverageChangeDetector(VerificationStore store)
{
    /// <summary>What changed since <paramref name="previousId"/>; the caller writes it with the new result.</summary>
    public async Task<IReadOnlyList<DetectedChange>> DetectAsync(Guid previousId, VerificationResult? current, CancellationToken cancellationToken)
    {
        var previousRecord = await store.GetAsync(previousId, AccessContext.ForWorker("re-verification", "compare with the previous verification"), cancellationToken);
        var previous = VerificationJson.ReadResult(previousRecord?.ResultJson);
        return [.. Detect(previous?.Coverage, current?.Coverage).Select(change => new DetectedChange(previousId, change.Kind, change.Detail))];
    }

    internal static IEnumerable<(string Kind, string Detail)> Detect(NormalizedCoverage? before, NormalizedCoverage? after)
    {
        if (before is null || after is null)
        {
            yield break;
        }

        if (before.Active == true && after.Active == false)
        {
            yield return (VerificationChangeKinds.CoverageEnded, $"Coverage is no longer active{(after.PlanEnd is { } end ? $" (plan end {end:yyyy-MM-dd})" : "")}.");
        }
        else if (before.Active == false && after.Active == true)
        {
            yield return (VerificationChangeKinds.CoverageStarted, "Coverage is active again.");
        }

        if (!string.Equals(before.PlanName, after.PlanName, StringComparison.OrdinalIgnoreCase) && (before.PlanName ?? after.PlanName) is not null)
        {
            yield return (VerificationChangeKinds.PlanChanged, $"Plan changed from '{before.PlanName}' to '{after.PlanName}'.");
        }

        if (Remaining(before.InNetwork?.Deductible) is { } d0 && Remaining(after.InNetwork?.Deductible) is { } d1 && d0 != d1)
        {
            yield return (VerificationChangeKinds.DeductibleProgressed, Money($"In-network deductible remaining went from {d0} to {d1}."));
        }

        if (Remaining(before.InNetwork?.OutOfPocketMax) is { } o0 && Remaining(after.InNetwork?.OutOfPocketMax) is { } o1 && o0 != o1)
        {
            yield return (VerificationChangeKinds.OutOfPocketProgressed, Money($"In-network out-of-pocket remaining went from {o0} to {o1}."));
        }
    }

    private static decimal? Remaining(LevelAmounts? amounts) => amounts?.Individual?.Remaining ?? amounts?.Family?.Remaining;

    private static string Money(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
