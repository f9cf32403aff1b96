using System.Globalization;
using CoverageCheck.Estimator;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The report's <c>flags</c> column (#19): what finance must know about a row, in words, in a fixed order — carved
/// out (to whom), self-pay (why), coverage ends mid-program, visit limit reached, out of network, beyond
/// authorisation, benefits incomplete. Only our own words: never the payer's free text.
/// </summary>
internal static class ReportFlags
{
    public static string? Describe(VerificationResult result, DateOnly? programEnd)
    {
        var coverage = result.Coverage;
        var estimate = result.Estimate;
        var warnings = new HashSet<string>(StringComparer.Ordinal);
        // Results stored before a list existed read it back as null.
        if (result.Warnings is not null)
        {
            warnings.UnionWith(result.Warnings);
        }

        if (estimate?.Warnings is not null)
        {
            warnings.UnionWith(estimate.Warnings);
        }

        var flags = new List<string>();
        if (coverage?.BenefitsFrom is { } from)
        {
            flags.Add($"carved out to {from.Name} ({from.PayerId}): its benefits are used");
        }
        else if (coverage?.CarveOut is { } carveOut)
        {
            var phone = carveOut.Phone is { Length: > 0 } number ? $", phone {number}" : "";
            flags.Add($"carved out to {carveOut.Name ?? "another administrator"}{phone}: not verified, no estimate");
        }

        var selfPay = estimate?.Breakdown?.SelfPay ?? 0m;
        var amount = selfPay > 0 ? $" (${ReportText.Money(selfPay)})" : "";
        var coverageEnds = coverage?.CoverageEnds;
        if (coverage?.Active == false)
        {
            flags.Add($"self-pay{amount}: coverage not active");
        }
        else if (warnings.Contains(EstimateWarningTexts.NotCovered))
        {
            flags.Add($"self-pay{amount}: the payer says this care is not covered");
        }
        else if (selfPay > 0)
        {
            var why = new List<string>();
            if (warnings.Contains(EstimateWarnings.CoverageEnds))
            {
                why.Add(coverageEnds is { } end ? $"days after coverage ends on {Date(end)}" : "days after coverage ends");
            }

            if (warnings.Contains(EstimateWarnings.VisitLimitReached))
            {
                why.Add("days past the visit limit");
            }

            flags.Add($"self-pay{amount}: {(why.Count > 0 ? string.Join(" and ", why) : "no coverage")}");
        }

        if (coverage?.Active != false && (warnings.Contains(EstimateWarnings.CoverageEnds) || (coverageEnds is { } ends && programEnd is { } last && ends < last)))
        {
            flags.Add(coverageEnds is { } end ? $"coverage ends mid-program ({Date(end)})" : "coverage ends mid-program");
        }

        if (warnings.Contains(EstimateWarnings.VisitLimitReached))
        {
            flags.Add("visit limit reached");
        }

        if (string.Equals(result.Network, "out", StringComparison.Ordinal))
        {
            flags.Add("out of network");
        }

        if (warnings.Contains(EstimateWarnings.BeyondAuthorization))
        {
            flags.Add("beyond authorisation");
        }

        if (warnings.Contains(EstimateWarnings.AuthorizationDenied))
        {
            flags.Add("authorisation denied");
        }

        if (warnings.Contains(EstimateWarnings.BenefitsIncomplete))
        {
            flags.Add("benefits incomplete");
        }

        return flags.Count == 0 ? null : string.Join("; ", flags);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
