using System.Globalization;
using System.Text;

namespace CoverageCheck.Estimator;

/// <summary>Everything the explanation needs, gathered by the ledger.</summary>
internal sealed record ExplanationContext(
    int Sessions,
    DateOnly? First,
    DateOnly? Last,
    Pricing Pricing,
    Coverage? Coverage,
    EstimateTotals Totals,
    CostBreakdown Breakdown,
    LedgerFacts Facts);

/// <summary>Writes how the total was reached, in plain sentences that staff can read to a patient.</summary>
internal static class Explanation
{
    public const string Disclaimer =
        "This is an estimate, not a bill, a guarantee of payment or a contract. It uses the benefits and amounts "
        + "given to us as of today and assumes every session is held as scheduled and, where the plan requires it, "
        + "authorized. Your plan decides what it pays when it processes each claim, and benefits can change in a new "
        + "plan year. It does not include services billed separately, such as visits with a psychiatrist or other "
        + "professionals, laboratory tests or medications. If you are uninsured or paying for yourself, you have the "
        + "right to a written Good Faith Estimate under the No Surprises Act, and you may dispute a bill that is $400 "
        + "or more above it.";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // One builder per thread, reused: an estimate with a range writes up to three explanations of about 700
    // characters, and a new builder for each was a third of what an estimate allocated.
    [ThreadStatic]
    private static StringBuilder? _cachedBuilder;

    public static string Write(ExplanationContext context)
    {
        if (context.Sessions == 0)
        {
            return "No sessions fall in this schedule, so there is nothing to pay.";
        }

        var text = _cachedBuilder ?? new StringBuilder(1024);
        _cachedBuilder = null;
        try
        {
            WriteSessions(text, context);
            return text.ToString();
        }
        finally
        {
            text.Clear();
            _cachedBuilder = text;
        }
    }

    private static void WriteSessions(StringBuilder text, ExplanationContext context)
    {

        text.Append(Invariant, $"This estimate covers {Plural(context.Sessions, "session")} from {new LongDate(context.First!.Value)} to {new LongDate(context.Last!.Value)}, ")
            .Append(Invariant, $"billed at ${new Dollars(context.Pricing.ChargePerDay)} a session.");

        var coverage = context.Coverage;
        var facts = context.Facts;
        if (coverage is null)
        {
            text.Append(Invariant, $" You are paying for yourself, so each session is priced at our self-pay rate of ${new Dollars(context.Pricing.EffectiveSelfPayPerDay)}.");
        }
        else if (coverage.Status != CoverageStatus.Active)
        {
            text.Append(Invariant, $" The coverage we were given is not active, so each session is priced at our self-pay rate of ${new Dollars(context.Pricing.EffectiveSelfPayPerDay)}.");
        }
        else
        {
            WriteCoveredDays(text, context, coverage);
        }

        if (facts.PackagePriceReachedOn is { } packageReached)
        {
            text.Append(Invariant, $" Self-pay sessions are capped at our package price of ${new Dollars(context.Pricing.SelfPayPackagePrice!.Value)}; it is reached on {new LongDate(packageReached)}, and self-pay sessions after that cost nothing more.");
        }

        text.Append(Invariant, $" In total you would pay about ${new Dollars(context.Totals.Patient)}");
        if (coverage is { Status: CoverageStatus.Active })
        {
            text.Append(Invariant, $" and your plan about ${new Dollars(context.Totals.Payer)}");
        }

        text.Append('.');
    }

    private static void WriteCoveredDays(StringBuilder text, ExplanationContext context, Coverage coverage)
    {
        var facts = context.Facts;
        var breakdown = context.Breakdown;
        var allowed = context.Pricing.EffectiveAllowedPerDay;
        if (coverage.Network == NetworkStatus.In)
        {
            text.Append(Invariant, $" We are in network with your plan, which allows ${new Dollars(allowed)} a session; you never owe the difference between our charge and that amount.");
        }
        else
        {
            text.Append(Invariant, $" We are out of network with your plan, which allows ${new Dollars(allowed)} a session.");
        }

        if (facts.CoveredSessions > 0)
        {
            if (coverage.CopayPerDay > 0m)
            {
                text.Append(Invariant, $" You pay a copay of ${new Dollars(Math.Min(coverage.CopayPerDay, allowed))} for each covered session (${new Dollars(breakdown.Copay)} in all)")
                    .Append(coverage.CopayCountsTowardOutOfPocket ? "." : "; your plan does not count copays toward your out-of-pocket maximum.");
            }

            if (!coverage.Deductible.AppliesToService)
            {
                text.Append(" Your deductible does not apply to this program.");
            }
            else if (breakdown.Deductible > 0m)
            {
                text.Append(Invariant, $" You pay the allowed amount in full until your deductible is met: ${new Dollars(breakdown.Deductible)} of deductible in all.");
            }
            else if (coverage.Deductible.Individual is not null || coverage.Deductible.Family is not null)
            {
                text.Append(" Your deductible is already met, so none of it is due.");
            }

            if (coverage.CoinsurancePercent > 0m)
            {
                text.Append(Invariant, $" {(breakdown.Deductible > 0m ? "After that you" : "You")} pay {coverage.CoinsurancePercent:0.##}% of the allowed amount as coinsurance (${new Dollars(breakdown.Coinsurance)} in all).");
            }

            if (facts.OutOfPocketMaxReachedOn is { } reached)
            {
                text.Append(Invariant, $" Your out-of-pocket maximum is reached on {new LongDate(reached)}; after that your plan pays covered sessions in full")
                    .Append(coverage.CopayCountsTowardOutOfPocket || coverage.CopayPerDay == 0m ? "." : ", except the copay.");
            }
        }

        if (facts.FirstPlanYearReset is { } reset)
        {
            text.Append(Invariant, $" Your plan year starts again on {new LongDate(reset)}: your deductible, out-of-pocket and visit counts start over from zero, and we assume the same benefits continue.");
        }

        if (facts.VisitLimitReached > 0)
        {
            text.Append(Invariant, $" Your plan covers {Plural(coverage.VisitLimitPerPlanYear!.Value, "session")} a plan year, so {Plural(facts.VisitLimitReached, "session")} beyond that limit {(facts.VisitLimitReached == 1 ? "is" : "are")} priced at our self-pay rate of ${new Dollars(context.Pricing.EffectiveSelfPayPerDay)} (${new Dollars(facts.VisitLimitReachedAmount)} in all).");
        }

        if (facts.AfterCoverageEnds > 0)
        {
            text.Append(Invariant, $" Your coverage ends on {new LongDate(coverage.CoverageEndDate!.Value)}, so {Plural(facts.AfterCoverageEnds, "session")} after that {(facts.AfterCoverageEnds == 1 ? "is" : "are")} priced at our self-pay rate (${new Dollars(facts.AfterCoverageEndsAmount)} in all).");
        }

        if (breakdown.BalanceBill > 0m)
        {
            text.Append(Invariant, $" Because we are out of network, you also owe the difference between our charge and what your plan allows, ${new Dollars(context.Pricing.ChargePerDay - allowed)} a session (${new Dollars(breakdown.BalanceBill)} in all); it does not count toward your deductible or out-of-pocket maximum.");
        }

        if (coverage.PriorAuthorizationRequired)
        {
            text.Append(" Your plan requires prior authorization; this estimate assumes it is approved.");
        }
    }

    private static string Plural(int count, string noun) =>
        string.Create(Invariant, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
