namespace CoverageCheck.Estimator;

/// <summary>
/// A priced program: the session-by-session ledger, its totals, the breakdown by kind of cost, one row per calendar
/// month, warnings, and a plain-English explanation with a disclaimer. Totals are sums of the ledger, never
/// recomputed from rates.
/// </summary>
public sealed record EstimateResult
{
    /// <summary>The number of sessions in the schedule.</summary>
    public required int Sessions { get; init; }

    /// <summary>The first session's date, or <see langword="null"/> when the schedule is empty.</summary>
    public required DateOnly? FirstSession { get; init; }

    /// <summary>The last session's date, or <see langword="null"/> when the schedule is empty.</summary>
    public required DateOnly? LastSession { get; init; }

    /// <summary>Charges, allowed amounts, patient and payer totals.</summary>
    public required EstimateTotals Totals { get; init; }

    /// <summary>What the patient pays, by kind.</summary>
    public required CostBreakdown Breakdown { get; init; }

    /// <summary>One row per calendar month that holds a session, in date order.</summary>
    public required IReadOnlyList<MonthlyEstimate> Monthly { get; init; }

    /// <summary>Warning codes (see <see cref="EstimateWarnings"/>), distinct and in ordinal order.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The day-by-day ledger, in date order.</summary>
    public required IReadOnlyList<SessionEstimate> SessionsDetail { get; init; }

    /// <summary>The low and high estimates when the request asked for a range; otherwise <see langword="null"/>.</summary>
    public RangeEstimate? Range { get; init; }

    /// <summary>The program split by <see cref="EstimateRequest.Authorizations"/>; <see langword="null"/> when the request gave none.</summary>
    public AuthorizationSplit? Authorization { get; init; }

    /// <summary>How the total was reached, in sentences staff can read to a patient.</summary>
    public required string Explanation { get; init; }

    /// <summary>What the estimate is not (a guarantee, a bill, a contract) and the patient's rights.</summary>
    public required string Disclaimer { get; init; }
}

/// <summary>Totals over all sessions.</summary>
/// <param name="Charges">The billed charge of every session.</param>
/// <param name="Allowed">The allowed amounts of covered sessions only.</param>
/// <param name="Patient">Everything the patient pays: cost share, balance bill and self-pay.</param>
/// <param name="Payer">What the plan pays.</param>
public sealed record EstimateTotals(decimal Charges, decimal Allowed, decimal Patient, decimal Payer);

/// <summary>What the patient pays, by kind. The five amounts add up to <see cref="EstimateTotals.Patient"/>.</summary>
/// <param name="Copay">Copays paid.</param>
/// <param name="Deductible">Deductible paid.</param>
/// <param name="Coinsurance">Coinsurance paid.</param>
/// <param name="BalanceBill">Out of network: charge minus allowed, owed on top of cost share.</param>
/// <param name="SelfPay">Days no plan pays, at the self-pay rate (after any package cap).</param>
public sealed record CostBreakdown(decimal Copay, decimal Deductible, decimal Coinsurance, decimal BalanceBill, decimal SelfPay);

/// <summary>One calendar month of the estimate.</summary>
/// <param name="Year">The year.</param>
/// <param name="Month">The month, 1 to 12.</param>
/// <param name="Sessions">Sessions held in the month.</param>
/// <param name="Patient">What the patient pays for those sessions.</param>
/// <param name="Payer">What the plan pays for those sessions.</param>
public readonly record struct MonthlyEstimate(int Year, int Month, int Sessions, decimal Patient, decimal Payer);

/// <summary>How a session day was adjudicated.</summary>
public enum SessionCoverage
{
    /// <summary>The plan covered the day: the patient paid cost share (and any balance bill).</summary>
    Covered,

    /// <summary>No coverage was given: the patient pays for themself.</summary>
    SelfPayNoCoverage,

    /// <summary>The coverage given was not active.</summary>
    SelfPayCoverageInactive,

    /// <summary>The day falls after the coverage end date.</summary>
    SelfPayAfterCoverageEnds,

    /// <summary>The plan year's covered days were used up.</summary>
    SelfPayVisitLimitReached,
}

/// <summary>One session day of the ledger.</summary>
/// <param name="Date">The date of service.</param>
/// <param name="Coverage">Whether the plan covered the day, and if not, why.</param>
/// <param name="Charge">The billed charge.</param>
/// <param name="Allowed">The allowed amount (zero for self-pay days).</param>
/// <param name="Copay">Copay paid.</param>
/// <param name="Deductible">Deductible paid.</param>
/// <param name="Coinsurance">Coinsurance paid (rounded to cents, half away from zero, before the out-of-pocket cap).</param>
/// <param name="BalanceBill">Out-of-network balance bill.</param>
/// <param name="SelfPay">Self-pay amount.</param>
/// <param name="Patient">Everything the patient pays for the day.</param>
/// <param name="Payer">What the plan pays for the day.</param>
public readonly record struct SessionEstimate(
    DateOnly Date,
    SessionCoverage Coverage,
    decimal Charge,
    decimal Allowed,
    decimal Copay,
    decimal Deductible,
    decimal Coinsurance,
    decimal BalanceBill,
    decimal SelfPay,
    decimal Patient,
    decimal Payer);

/// <summary>The shortest and the longest program, each priced in full.</summary>
/// <param name="Low">The program with the minimum weeks and days per week (default weekdays).</param>
/// <param name="High">The program with the maximum weeks and days per week (default weekdays).</param>
public sealed record RangeEstimate(EstimateResult Low, EstimateResult High);

/// <summary>The warning codes of the contract (wire values).</summary>
public static class EstimateWarnings
{
    /// <summary>No coverage at all: the patient pays for themself.</summary>
    public const string SelfPay = "self-pay";

    /// <summary>Coverage was given with a status other than active.</summary>
    public const string CoverageInactive = "coverage-inactive";

    /// <summary>A session falls after the coverage end date.</summary>
    public const string CoverageEnds = "coverage-ends";

    /// <summary>Accumulators reset at least once (the program crosses a plan-year start).</summary>
    public const string PlanYearReset = "plan-year-reset";

    /// <summary>At least one session was self-pay because the plan year's covered days were used up.</summary>
    public const string VisitLimitReached = "visit-limit-reached";

    /// <summary>After some covered session nothing of the out-of-pocket maximum remained.</summary>
    public const string OutOfPocketMaxReached = "out-of-pocket-max-reached";

    /// <summary>Out of network and the charge exceeds the allowed amount: the patient is balance-billed.</summary>
    public const string OutOfNetworkBalanceBilling = "out-of-network-balance-billing";

    /// <summary>The coverage requires prior authorization.</summary>
    public const string PriorAuthorizationRequired = "prior-authorization-required";

    /// <summary>Raised by callers that build estimates from a verification: network status was assumed in network.</summary>
    public const string NetworkStatusUnknown = "network-status-unknown";

    /// <summary>Raised by callers that build estimates from a verification: some benefits were not reported.</summary>
    public const string BenefitsIncomplete = "benefits-incomplete";

    /// <summary>Some sessions fall beyond every authorisation given (outside its dates or past its days).</summary>
    public const string BeyondAuthorization = "beyond-authorization";

    /// <summary>An authorisation given was denied: the sessions it was for are not authorised.</summary>
    public const string AuthorizationDenied = "authorization-denied";
}
