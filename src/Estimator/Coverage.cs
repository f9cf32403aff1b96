using System.Globalization;

namespace CoverageCheck.Estimator;

/// <summary>
/// The patient's benefits for this service, for the tier that matches the program's network status with the plan.
/// Missing amounts are zero, as the contract says.
/// </summary>
public sealed record Coverage
{
    /// <summary>Whether the coverage is active. Inactive coverage makes every day self-pay.</summary>
    public CoverageStatus Status { get; init; } = CoverageStatus.Active;

    /// <summary>The program's network status with this plan. Out of network adds the balance bill.</summary>
    public NetworkStatus Network { get; init; } = NetworkStatus.In;

    /// <summary>The month and day on which accumulators reset each year (default 1 January).</summary>
    public PlanYearStart PlanYearStart { get; init; } = PlanYearStart.January1;

    /// <summary>The last day of coverage, if the payer reported one; later sessions are self-pay.</summary>
    public DateOnly? CoverageEndDate { get; init; }

    /// <summary>The deductible and whether it applies to this service.</summary>
    public Deductible Deductible { get; init; } = new();

    /// <summary>The copay per covered session day (never more than the allowed amount).</summary>
    public decimal CopayPerDay { get; init; }

    /// <summary>Whether copays count toward (and are limited by) the out-of-pocket maximum. Default true.</summary>
    public bool CopayCountsTowardOutOfPocket { get; init; } = true;

    /// <summary>The patient's coinsurance share, 0 to 100 percent.</summary>
    public decimal CoinsurancePercent { get; init; }

    /// <summary>The out-of-pocket maximum; <see langword="null"/> means no cap (for example Original Medicare).</summary>
    public OutOfPocketMax? OutOfPocketMax { get; init; }

    /// <summary>Covered session days per plan year; <see langword="null"/> means no limit.</summary>
    public int? VisitLimitPerPlanYear { get; init; }

    /// <summary>Whether the plan requires prior authorization; the estimate assumes it is granted.</summary>
    public bool PriorAuthorizationRequired { get; init; }

    /// <summary>What has been met so far in the plan year that contains the first session.</summary>
    public Accumulators Accumulators { get; init; } = new();
}

/// <summary>Whether coverage is in force.</summary>
public enum CoverageStatus
{
    /// <summary>Coverage is active (wire value <c>active</c>).</summary>
    Active,

    /// <summary>Coverage is not active (wire value <c>inactive</c>): every session is self-pay.</summary>
    Inactive,
}

/// <summary>The program's network status with the patient's plan.</summary>
public enum NetworkStatus
{
    /// <summary>In network (wire value <c>in</c>): the allowed amount is the contracted rate; no balance bill.</summary>
    In,

    /// <summary>Out of network (wire value <c>out</c>): the patient also owes charge minus allowed.</summary>
    Out,
}

/// <summary>The plan's deductible.</summary>
/// <remarks>
/// Remaining: with both amounts and <see cref="Embedded"/>, the smaller of the two remainders; with
/// <see cref="Embedded"/> false, or only <see cref="Family"/>, the family amount alone; with only
/// <see cref="Individual"/>, the individual amount; with neither, zero.
/// </remarks>
public sealed record Deductible
{
    /// <summary>The individual deductible; <see langword="null"/> when the plan has none or the payer did not say.</summary>
    public decimal? Individual { get; init; }

    /// <summary>The family deductible; <see langword="null"/> when the plan has none or the payer did not say.</summary>
    public decimal? Family { get; init; }

    /// <summary>Whether the individual deductible is embedded in the family one (default true).</summary>
    public bool Embedded { get; init; } = true;

    /// <summary>Whether the deductible applies to this service (default true); false when the plan waives it for IOP.</summary>
    public bool AppliesToService { get; init; } = true;
}

/// <summary>The plan's out-of-pocket maximum. Remaining is the smaller of the remainders that are set.</summary>
/// <param name="Individual">The individual maximum, or <see langword="null"/>.</param>
/// <param name="Family">The family maximum, or <see langword="null"/>.</param>
public sealed record OutOfPocketMax(decimal? Individual = null, decimal? Family = null);

/// <summary>Amounts met so far in the plan year that contains the first session.</summary>
public sealed record Accumulators
{
    /// <summary>Individual deductible met.</summary>
    public decimal DeductibleIndividualMet { get; init; }

    /// <summary>Family deductible met (including this patient).</summary>
    public decimal DeductibleFamilyMet { get; init; }

    /// <summary>Individual out-of-pocket met.</summary>
    public decimal OutOfPocketIndividualMet { get; init; }

    /// <summary>Family out-of-pocket met (including this patient).</summary>
    public decimal OutOfPocketFamilyMet { get; init; }

    /// <summary>Covered visits (session days) already used toward <see cref="Coverage.VisitLimitPerPlanYear"/>.</summary>
    public int VisitsUsed { get; init; }
}

/// <summary>The month and day on which a plan year starts (wire format <c>MM-dd</c>, for example <c>07-01</c>).</summary>
public readonly record struct PlanYearStart
{
    /// <summary>Calendar-year plans: 1 January.</summary>
    public static readonly PlanYearStart January1 = new(1, 1);

    /// <summary>Creates a plan-year start.</summary>
    /// <param name="month">The month, 1 to 12.</param>
    /// <param name="day">The day, valid in that month in every year (29 February is not allowed).</param>
    /// <exception cref="ArgumentOutOfRangeException">The month and day do not name a day that exists every year.</exception>
    public PlanYearStart(int month, int day)
    {
        if (!IsValid(month, day))
        {
            throw new ArgumentOutOfRangeException(nameof(day), $"{month:00}-{day:00} is not a day that occurs every year.");
        }

        _month = month;
        _day = day;
    }

    // default(PlanYearStart) holds zeros; it means 1 January, like the contract's default.
    private readonly int _month;
    private readonly int _day;

    /// <summary>The month, 1 to 12.</summary>
    public int Month => _month == 0 ? 1 : _month;

    /// <summary>The day of the month.</summary>
    public int Day => _day == 0 ? 1 : _day;

    /// <summary>Parses the wire format <c>MM-dd</c> without throwing.</summary>
    /// <param name="text">The text, for example <c>01-01</c>.</param>
    /// <param name="value">The plan-year start when the text is valid.</param>
    /// <returns>Whether the text named a month and day that occur every year.</returns>
    public static bool TryParse(string? text, out PlanYearStart value)
    {
        value = January1;
        if (text is not { Length: 5 } || text[2] != '-'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !IsValid(month, day))
        {
            return false;
        }

        value = new PlanYearStart(month, day);
        return true;
    }

    /// <summary>The first day of the plan year that contains <paramref name="date"/>.</summary>
    /// <param name="date">Any date.</param>
    /// <returns>The plan year's first day, on or before <paramref name="date"/>.</returns>
    public DateOnly PlanYearBeginning(DateOnly date)
    {
        var thisYear = new DateOnly(date.Year, Month, Day);
        return thisYear <= date ? thisYear : thisYear.AddYears(-1);
    }

    /// <summary>The wire format, <c>MM-dd</c>.</summary>
    /// <returns>For example <c>07-01</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Month:00}-{Day:00}");

    private static bool IsValid(int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2023, month);
}
