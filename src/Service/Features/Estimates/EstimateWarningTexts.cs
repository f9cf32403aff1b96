using System.Collections.Frozen;
using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>One warning code in words: what admissions staff read, and what the patient reads (website, print, PDF).</summary>
/// <param name="Code">The wire value in <c>warnings</c>.</param>
/// <param name="Staff">For staff pages: what it means and what to do.</param>
/// <param name="Patient">For the patient: plain words, no jargon, nothing staff must do.</param>
internal sealed record WarningText(string Code, string Staff, string Patient);

/// <summary>
/// The one home of every estimate warning: the estimator's codes (<see cref="EstimateWarnings"/>) and the ones this
/// service raises, each with its staff and patient wording. A code without wording fails a test, not a page.
/// </summary>
internal static class EstimateWarningTexts
{
    /// <summary>Raised by the pricer when the program's charge was not known and the published range was used.</summary>
    public const string ChargeUnknown = "charge-unknown";

    /// <summary>Raised for a verification whose payer says the care is not covered (EB01 I) on the tier that applies (#15).</summary>
    public const string NotCovered = "not-covered";

    /// <summary>Raised for a verification whose benefits came from the carve-out administrator's linked verification (#16).</summary>
    public const string BenefitsFromCarveOut = "benefits-from-carve-out";

    private static readonly FrozenDictionary<string, WarningText> s_byCode = new WarningText[]
    {
        new(EstimateWarnings.SelfPay,
            "No insurance coverage applies, so the estimate is the self-pay price. A Good Faith Estimate must be given to the patient.",
            "Without insurance this is our self-pay price. Ask us for a Good Faith Estimate."),
        new(EstimateWarnings.CoverageInactive,
            "The coverage is not active, so every session is priced as self-pay. A Good Faith Estimate must be given to the patient.",
            "Your insurance is not active for these dates, so this is our self-pay price. Ask us for a Good Faith Estimate."),
        new(EstimateWarnings.CoverageEnds,
            "The coverage ends during the program; sessions after that day are priced as self-pay.",
            "Your coverage ends during the program; the days after it are priced at our self-pay rate."),
        new(EstimateWarnings.PlanYearReset,
            "The program crosses into a new plan year: deductible and out-of-pocket amounts start again from zero.",
            "Your plan year restarts during the program, so your deductible starts again."),
        new(EstimateWarnings.VisitLimitReached,
            "The plan's visit limit runs out during the program; later sessions are priced as self-pay.",
            "Your plan covers a limited number of days; the days past that limit are priced at our self-pay rate."),
        new(EstimateWarnings.OutOfPocketMaxReached,
            "The patient reaches the out-of-pocket maximum during the program; after that the plan pays in full.",
            "You would reach your out-of-pocket maximum; after that your plan pays in full."),
        new(EstimateWarnings.OutOfNetworkBalanceBilling,
            "We are out of network with this plan: the patient may also owe the difference between our charge and what the plan allows.",
            "We are out of network with your plan, so you may also owe the difference between our charge and what your plan allows."),
        new(EstimateWarnings.PriorAuthorizationRequired,
            "The plan requires prior authorisation: request it before the first session, or the plan may pay nothing.",
            "Your plan may need to approve the program first (prior authorisation); we do that for you."),
        new(EstimateWarnings.NetworkStatusUnknown,
            "This payer is not in our payer table, so the estimate assumes we are in network.",
            "We assumed we are in network with your plan; we will confirm it with you."),
        new(EstimateWarnings.BenefitsIncomplete,
            "The payer left some benefits out; the estimate states what it assumed (see the assumptions).",
            "Your plan did not tell us all of your benefits; we will confirm the missing ones with you."),
        new(EstimateWarnings.BeyondAuthorization,
            "Some sessions fall outside the payer's authorisation (past its days or its dates): request an extension at the next review, or the plan may pay nothing for them.",
            "Your plan has approved part of the program so far; we ask it to approve the rest as you go."),
        new(EstimateWarnings.AuthorizationDenied,
            "The payer denied an authorisation: the sessions it was for are not authorised. Appeal or arrange a peer-to-peer review, and tell the patient what they would owe.",
            "Your plan did not approve part of the program; we will talk with you about your options."),
        new(NotCovered,
            "The payer says substance-use or mental-health care is not covered on this plan (for our network status), so every session is priced as self-pay. Confirm with the payer, and give the patient a Good Faith Estimate.",
            "Your plan says it does not cover this care, so this is our self-pay price. Ask us for a Good Faith Estimate."),
        new(BenefitsFromCarveOut,
            "The plan hands behavioural-health benefits to another administrator (a carve-out): these benefits are that administrator's, from its linked verification.",
            "Your plan's behavioural-health benefits are managed by another company; this estimate uses their benefits."),
        new(ChargeUnknown,
            "The program's daily charge is not set in the rate card, so the estimate uses the top of the published price range.",
            "We used the top of our published daily price range, so this does not understate your cost."),
    }.ToFrozenDictionary(text => text.Code, StringComparer.Ordinal);

    /// <summary>Every code with its wording.</summary>
    public static IEnumerable<WarningText> All => s_byCode.Values;

    /// <summary>The wording of <paramref name="code"/>; an unknown code is shown as itself rather than hidden.</summary>
    public static WarningText For(string code) =>
        s_byCode.TryGetValue(code, out var text) ? text : new WarningText(code, $"Estimate note: {code}.", $"Note: {code}.");

    /// <summary>True when <paramref name="code"/> has its own wording.</summary>
    public static bool IsKnown(string code) => s_byCode.ContainsKey(code);
}
