using System.Globalization;
using CoverageCheck.Estimator;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>
/// The estimate request's own rules over the record the serializer read: what is required, weekday names, the plan
/// year's MM-DD, range bounds. Ranges of numbers and dates are the estimator's rules (<see cref="CostEstimator.TryEstimate"/>),
/// reported under the same wire paths. Pure: no I/O, no clock.
/// </summary>
internal static class EstimateRequestValidation
{
    private static readonly string[] WeekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Maps <paramref name="request"/> to the estimator's types; every broken rule goes to <paramref name="errors"/>.</summary>
    public static EstimateInput Validate(EstimateRequestDto request, FieldErrors errors)
    {
        if (request.Program is null)
        {
            errors.Add("program", "The program is required.");
        }

        return new EstimateInput(
            Program(request.Program, "program", errors),
            PricingInput.From(request.Pricing),
            request.Coverage is { } coverage ? Coverage(coverage, "coverage", errors) : null,
            request.Range is { } range ? Range(range, "range", errors) : null)
        {
            Assumptions = request.Coverage is { } given ? Assumed(given) : [],
        };
    }

    /// <summary>The defaults of estimator.md that a coverage left to the estimate, in words for the reader.</summary>
    public static IReadOnlyList<string> Assumed(CoverageDto coverage)
    {
        var assumed = new List<string>();
        if (coverage.Deductible?.Individual is null && coverage.Deductible?.Family is null)
        {
            assumed.Add("No deductible was given: the estimate assumes the plan has none.");
        }

        if (coverage.OutOfPocketMax?.Individual is null && coverage.OutOfPocketMax?.Family is null)
        {
            assumed.Add("No out-of-pocket maximum was given: the estimate does not cap what the patient pays.");
        }

        if (coverage.Accumulators is null)
        {
            assumed.Add("Nothing was given as already paid this plan year: the estimate starts from zero.");
        }

        if (coverage.CopayPerDay is null && coverage.CoinsurancePercent is null)
        {
            assumed.Add("No copay or coinsurance was given: after the deductible the plan pays in full.");
        }

        return assumed;
    }

    /// <summary>A <c>program</c> object found at <paramref name="path"/>.</summary>
    public static ProgramSchedule Program(ProgramDto? program, string path, FieldErrors errors) => program is null
        ? new ProgramSchedule()
        : new ProgramSchedule
        {
            StartDate = program.StartDate,
            Weeks = program.Weeks,
            DaysPerWeek = program.DaysPerWeek,
            SessionWeekdays = Weekdays(program.SessionWeekdays, $"{path}.sessionWeekdays", errors),
            SessionDates = program.SessionDates,
            ClosedDates = program.ClosedDates,
        };

    /// <summary>A <c>coverage</c> object found at <paramref name="path"/>; absent members take estimator.md's defaults.</summary>
    public static Coverage Coverage(CoverageDto coverage, string path, FieldErrors errors)
    {
        var planYearStart = PlanYearStart.January1;
        if (coverage.PlanYearStart is { } planYear && !PlanYearStart.TryParse(planYear, out planYearStart))
        {
            errors.Add($"{path}.planYearStart", "Use MM-DD for a day that occurs every year, such as 01-01 or 07-01.");
        }

        var deductible = coverage.Deductible;
        var met = coverage.Accumulators;
        return new Coverage
        {
            Status = coverage.Status ?? CoverageStatus.Active,
            Network = coverage.Network ?? NetworkStatus.In,
            PlanYearStart = planYearStart,
            CoverageEndDate = coverage.CoverageEndDate,
            Deductible = deductible is null
                ? new Deductible()
                : new Deductible
                {
                    Individual = deductible.Individual,
                    Family = deductible.Family,
                    Embedded = deductible.Embedded ?? true,
                    AppliesToService = deductible.AppliesToService ?? true,
                },
            CopayPerDay = coverage.CopayPerDay ?? 0m,
            CopayCountsTowardOutOfPocket = coverage.CopayCountsTowardOutOfPocket ?? true,
            CoinsurancePercent = coverage.CoinsurancePercent ?? 0m,
            OutOfPocketMax = coverage.OutOfPocketMax is { } oop ? new OutOfPocketMax(oop.Individual, oop.Family) : null,
            VisitLimitPerPlanYear = coverage.VisitLimitPerPlanYear,
            PriorAuthorizationRequired = coverage.PriorAuthorizationRequired ?? false,
            Accumulators = met is null
                ? new Accumulators()
                : new Accumulators
                {
                    DeductibleIndividualMet = met.DeductibleIndividualMet ?? 0m,
                    DeductibleFamilyMet = met.DeductibleFamilyMet ?? 0m,
                    OutOfPocketIndividualMet = met.OutOfPocketIndividualMet ?? 0m,
                    OutOfPocketFamilyMet = met.OutOfPocketFamilyMet ?? 0m,
                    VisitsUsed = met.VisitsUsed ?? 0,
                },
        };
    }

    /// <summary>A <c>range</c> object found at <paramref name="path"/>; null when a bound is missing.</summary>
    public static ProgramRange? Range(RangeDto range, string path, FieldErrors errors)
    {
        var weeks = Bounds(range.Weeks, $"{path}.weeks", errors);
        var days = Bounds(range.DaysPerWeek, $"{path}.daysPerWeek", errors);
        return weeks is { } w && days is { } d ? new ProgramRange(w, d) : null;
    }

    private static IntRange? Bounds(MinMaxDto? bounds, string field, FieldErrors errors)
    {
        if (bounds is null)
        {
            errors.Add(field, "min and max are required.");
            return null;
        }

        if (bounds.Min is null)
        {
            errors.Add($"{field}.min", "Required.");
        }

        if (bounds.Max is null)
        {
            errors.Add($"{field}.max", "Required.");
        }

        return bounds is { Min: { } min, Max: { } max } ? new IntRange(min, max) : null;
    }

    private static DayOfWeek[]? Weekdays(IReadOnlyList<string>? names, string field, FieldErrors errors)
    {
        if (names is null)
        {
            return null;
        }

        var days = new DayOfWeek[names.Count];
        var bad = false;
        for (var i = 0; i < names.Count; i++)
        {
            if (Weekday(names[i]) is { } day)
            {
                days[i] = day;
            }
            else
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), "Unknown weekday: use Mon, Tue, Wed, Thu, Fri, Sat or Sun.");
                bad = true;
            }
        }

        return bad ? null : days;
    }

    private static DayOfWeek? Weekday(string? text)
    {
        for (var day = 0; day < WeekdayNames.Length; day++)
        {
            if (string.Equals(text, WeekdayNames[day], StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, ((DayOfWeek)day).ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return (DayOfWeek)day;
            }
        }

        return null;
    }
}
