namespace CoverageCheck.Estimator;

/// <summary>
/// Everything the estimator needs to price one IOP program: when sessions happen, what a day costs, and the
/// patient's benefits. It carries no personal data.
/// </summary>
/// <remarks>Call <see cref="Validate"/> (or <see cref="CostEstimator.Validate"/>) before <see cref="CostEstimator.Estimate"/>.</remarks>
public sealed record EstimateRequest
{
    /// <summary>The program's schedule: start date, length, weekdays, or an explicit list of session dates.</summary>
    public required ProgramSchedule Program { get; init; }

    /// <summary>What a session day costs. The service fills this from its rate card where a caller leaves it out.</summary>
    public required Pricing Pricing { get; init; }

    /// <summary>The patient's benefits; <see langword="null"/> means the patient pays for themself (self-pay).</summary>
    public Coverage? Coverage { get; init; }

    /// <summary>Optional: also price the shortest and the longest program (<c>range.low</c> and <c>range.high</c>).</summary>
    public ProgramRange? Range { get; init; }

    /// <summary>
    /// Optional: the program's authorisations. The result then carries <see cref="EstimateResult.Authorization"/>
    /// (the main estimate only, not the range) and the warnings <c>beyond-authorization</c> / <c>authorization-denied</c>.
    /// </summary>
    public IReadOnlyList<Authorization>? Authorizations { get; init; }

    /// <summary>
    /// Whether the result carries the day-by-day ledger (<see cref="EstimateResult.SessionsDetail"/>); default
    /// <see langword="true"/>. When <see langword="false"/> it is empty and every other figure is the same: the
    /// ledger is most of an estimate's memory, and an answer that does not show it need not build it.
    /// </summary>
    public bool IncludeSessionsDetail { get; init; } = true;

    /// <summary>
    /// Checks every domain rule of the contract and names each broken one by its wire field path
    /// (for example <c>program.daysPerWeek</c> or <c>coverage.coinsurancePercent</c>).
    /// </summary>
    /// <returns>An empty dictionary when the request is valid; otherwise one or more messages per field path.</returns>
    public IReadOnlyDictionary<string, string[]> Validate() => EstimateRequestValidator.Validate(this);
}

/// <summary>The schedule of an IOP program.</summary>
/// <remarks>
/// When <see cref="SessionDates"/> is given it is the schedule, and <see cref="Weeks"/>, <see cref="DaysPerWeek"/>
/// and <see cref="SessionWeekdays"/> are ignored. Otherwise the schedule is the first
/// <c>Weeks × DaysPerWeek</c> session weekdays on or after <see cref="StartDate"/>, skipping <see cref="ClosedDates"/>.
/// </remarks>
public sealed record ProgramSchedule
{
    /// <summary>The first day the program may hold a session. Required unless <see cref="SessionDates"/> is given.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Program length in weeks, 1 to 52. Required unless <see cref="SessionDates"/> is given.</summary>
    public int? Weeks { get; init; }

    /// <summary>Sessions per week, 1 to 7. Required unless <see cref="SessionDates"/> is given.</summary>
    public int? DaysPerWeek { get; init; }

    /// <summary>
    /// The weekdays sessions fall on. When absent they follow <see cref="DaysPerWeek"/>: 1 Mon; 2 Tue, Thu;
    /// 3 Mon, Wed, Fri; 4 Mon–Thu; 5 Mon–Fri; 6 Mon–Sat; 7 every day.
    /// </summary>
    public IReadOnlyList<DayOfWeek>? SessionWeekdays { get; init; }

    /// <summary>An explicit schedule (at most 366 distinct dates, any order). Overrides weeks, days per week and weekdays.</summary>
    public IReadOnlyList<DateOnly>? SessionDates { get; init; }

    /// <summary>Days on which no session is held (holidays, closures). They apply to explicit session dates too.</summary>
    public IReadOnlyList<DateOnly>? ClosedDates { get; init; }
}

/// <summary>What one session day costs.</summary>
/// <param name="ChargePerDay">The billed charge per session day.</param>
/// <param name="AllowedPerDay">
/// The payer's allowed amount per day (the contracted rate in network); <see langword="null"/> means the charge.
/// </param>
/// <param name="SelfPayPerDay">The cash rate for days no plan pays; <see langword="null"/> means the charge.</param>
/// <param name="SelfPayPackagePrice">
/// Optional cap on the total of all self-pay days: once their running total reaches it, further self-pay days cost
/// nothing (the day that crosses it pays only the rest). This is how a program priced as a package is expressed.
/// </param>
public sealed record Pricing(
    decimal ChargePerDay,
    decimal? AllowedPerDay = null,
    decimal? SelfPayPerDay = null,
    decimal? SelfPayPackagePrice = null)
{
    /// <summary>The allowed amount actually used: <see cref="AllowedPerDay"/>, else the charge.</summary>
    public decimal EffectiveAllowedPerDay => AllowedPerDay ?? ChargePerDay;

    /// <summary>The self-pay rate actually used: <see cref="SelfPayPerDay"/>, else the charge.</summary>
    public decimal EffectiveSelfPayPerDay => SelfPayPerDay ?? ChargePerDay;
}

/// <summary>The shortest and the longest program to price alongside the main estimate.</summary>
/// <param name="Weeks">Program length in weeks: <c>Min</c> for the low estimate, <c>Max</c> for the high one (1 to 52).</param>
/// <param name="DaysPerWeek">Sessions per week: <c>Min</c> for the low estimate, <c>Max</c> for the high one (1 to 7).</param>
public sealed record ProgramRange(IntRange Weeks, IntRange DaysPerWeek);

/// <summary>An inclusive range of whole numbers.</summary>
/// <param name="Min">The lower bound.</param>
/// <param name="Max">The upper bound; at least <paramref name="Min"/>.</param>
public readonly record struct IntRange(int Min, int Max);
