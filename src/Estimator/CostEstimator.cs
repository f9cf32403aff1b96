using System.Diagnostics.CodeAnalysis;

namespace CoverageCheck.Estimator;

/// <summary>
/// Prices an IOP program session by session, in date order, under the rules of the estimate contract
/// (<c>estimator.md</c>). Pure and thread-safe: no I/O, no clock, no state; call it from anywhere.
/// </summary>
/// <example>
/// <code>
/// var errors = request.Validate();
/// if (errors.Count == 0)
/// {
///     EstimateResult result = CostEstimator.Estimate(request);
/// }
/// </code>
/// </example>
public static class CostEstimator
{
    /// <summary>Checks a request against the contract's rules; see <see cref="EstimateRequest.Validate"/>.</summary>
    /// <param name="request">The request to check.</param>
    /// <returns>Messages keyed by wire field path (such as <c>program.daysPerWeek</c>); empty when valid.</returns>
    public static IReadOnlyDictionary<string, string[]> Validate(EstimateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EstimateRequestValidator.Validate(request);
    }

    /// <summary>Prices the program, and with <see cref="EstimateRequest.Range"/> also the shortest and longest program.</summary>
    /// <param name="request">A request for which <see cref="Validate"/> reports no errors.</param>
    /// <returns>The ledger, totals, breakdown, monthly rows, warnings, explanation and disclaimer.</returns>
    /// <exception cref="ArgumentException">
    /// The request breaks a rule of the contract. Bad input from outside is expected to be caught by
    /// <see cref="Validate"/> first and answered with the field-named errors; reaching this is a caller's bug.
    /// </exception>
    public static EstimateResult Estimate(EstimateRequest request)
    {
        if (!TryEstimate(request, out var result, out var errors))
        {
            var problems = string.Join("; ", errors.Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));
            throw new ArgumentException($"The estimate request is not valid. Call Validate first. {problems}", nameof(request));
        }

        return result;
    }

    /// <summary>
    /// Validates and prices in one call, for input from outside: the request's rules are checked once, and a broken
    /// one is returned instead of thrown.
    /// </summary>
    /// <param name="request">The request to check and price.</param>
    /// <param name="result">The estimate when the request is valid; otherwise <see langword="null"/>.</param>
    /// <param name="errors">Messages keyed by wire field path; empty when the request is valid.</param>
    /// <returns><see langword="true"/> when the request is valid and <paramref name="result"/> is set.</returns>
    public static bool TryEstimate(
        EstimateRequest request,
        [NotNullWhen(true)] out EstimateResult? result,
        out IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        errors = EstimateRequestValidator.Validate(request);
        result = errors.Count == 0 ? Price(request) : null;
        return result is not null;
    }

    /// <summary>The date of the program's first session, or <see langword="null"/> when the schedule holds none.</summary>
    /// <param name="program">A schedule that <see cref="Validate"/> accepts.</param>
    /// <returns>The first date of the schedule the estimate would price.</returns>
    public static DateOnly? FirstSession(ProgramSchedule program)
    {
        ArgumentNullException.ThrowIfNull(program);
        Span<DateOnly> dates = stackalloc DateOnly[EstimateRequestValidator.MaxSessions];
        var count = SessionSchedule.Build(program, dates);
        return count == 0 ? null : dates[0];
    }

    private static EstimateResult Price(EstimateRequest request)
    {
        var estimate = Price(request.Program, request.Pricing, request.Coverage, request.IncludeSessionsDetail || request.Authorizations is not null);
        if (request.Authorizations is { } authorizations)
        {
            // The split needs the ledger's days; an answer that did not ask for them does not carry them.
            var (split, warnings) = AuthorizationSplitter.Split(estimate.SessionsDetail, authorizations, estimate.Totals.Patient);
            estimate = estimate with
            {
                Authorization = split,
                Warnings = [.. estimate.Warnings.Concat(warnings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                SessionsDetail = request.IncludeSessionsDetail ? estimate.SessionsDetail : [],
            };
        }

        if (request.Range is not { } bounds)
        {
            return estimate;
        }

        // A bound that is the requested program itself (the website asks for 12 weeks at 5 days and a range up to
        // 12 at 5) is that same estimate: priced once, not twice.
        return estimate with
        {
            Range = new RangeEstimate(
                IsProgram(request.Program, bounds.Weeks.Min, bounds.DaysPerWeek.Min)
                    ? estimate
                    : Price(Bound(request.Program, bounds.Weeks.Min, bounds.DaysPerWeek.Min), request.Pricing, request.Coverage, request.IncludeSessionsDetail),
                IsProgram(request.Program, bounds.Weeks.Max, bounds.DaysPerWeek.Max)
                    ? estimate
                    : Price(Bound(request.Program, bounds.Weeks.Max, bounds.DaysPerWeek.Max), request.Pricing, request.Coverage, request.IncludeSessionsDetail)),
        };
    }

    private static bool IsProgram(ProgramSchedule program, int weeks, int daysPerWeek) =>
        program.SessionDates is null && program.SessionWeekdays is null && program.Weeks == weeks && program.DaysPerWeek == daysPerWeek;

    // A range bound is the program with those weeks and days per week on the default weekdays, from the same start
    // date; closed dates still apply (the program is closed on them whatever its length).
    private static ProgramSchedule Bound(ProgramSchedule program, int weeks, int daysPerWeek) => new()
    {
        StartDate = program.StartDate,
        Weeks = weeks,
        DaysPerWeek = daysPerWeek,
        ClosedDates = program.ClosedDates,
    };

    private static EstimateResult Price(ProgramSchedule program, Pricing pricing, Coverage? coverage, bool sessionsDetail)
    {
        Span<DateOnly> dates = stackalloc DateOnly[EstimateRequestValidator.MaxSessions];
        var count = SessionSchedule.Build(program, dates);
        var ledger = new Ledger(pricing, coverage);
        return ledger.Run(dates[..count], sessionsDetail);
    }
}
