using System.Globalization;

namespace CoverageCheck.Estimator;

/// <summary>The contract's rules for a request, each broken one reported under its wire field path.</summary>
internal static class EstimateRequestValidator
{
    /// <summary>The most sessions one estimate may hold.</summary>
    public const int MaxSessions = 366;

    /// <summary>The most closed dates one request may list.</summary>
    public const int MaxClosedDates = 1000;

    /// <summary>The earliest start date a program may have.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <summary>The latest start date a program may have.</summary>
    public static readonly DateOnly LatestDate = new(2999, 12, 31);

    /// <summary>
    /// The largest money amount accepted anywhere. It keeps every sum of 366 sessions far inside <see cref="decimal"/>.
    /// </summary>
    public const decimal MaxMoney = 100_000_000m;

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static IReadOnlyDictionary<string, string[]> Validate(EstimateRequest request)
    {
        var errors = new Errors();
        ValidateProgram(request.Program, request.Range is not null, errors);
        ValidatePricing(request.Pricing, errors);
        if (request.Coverage is { } coverage)
        {
            ValidateCoverage(coverage, errors);
        }

        if (request.Authorizations is { } authorizations)
        {
            for (var i = 0; i < authorizations.Count; i++)
            {
                var authorization = authorizations[i];
                Between(authorization.Days, 0, MaxSessions, $"authorizations[{i}].days", errors);
                if (authorization.ExpirationDate < authorization.EffectiveDate)
                {
                    errors.Add($"authorizations[{i}].expirationDate", "Must not be before the effective date.");
                }
            }
        }

        if (request.Range is { } range)
        {
            Between(range.Weeks.Min, 1, 52, "range.weeks.min", errors);
            Between(range.Weeks.Max, 1, 52, "range.weeks.max", errors);
            Between(range.DaysPerWeek.Min, 1, 7, "range.daysPerWeek.min", errors);
            Between(range.DaysPerWeek.Max, 1, 7, "range.daysPerWeek.max", errors);
            if (range.Weeks.Min > range.Weeks.Max)
            {
                errors.Add("range.weeks", "min must not be greater than max.");
            }

            if (range.DaysPerWeek.Min > range.DaysPerWeek.Max)
            {
                errors.Add("range.daysPerWeek", "min must not be greater than max.");
            }
        }

        return errors.Result ?? NoErrors;
    }

    private static void ValidateProgram(ProgramSchedule program, bool hasRange, Errors errors)
    {
        // A program walks a year of days and plan years from its start: one near the calendar's end would overflow.
        if (program.StartDate is { } start && (start < EarliestDate || start > LatestDate))
        {
            errors.Add("program.startDate", $"Must be a date from {Format(EarliestDate)} to {Format(LatestDate)}.");
        }

        var explicitDates = program.SessionDates;
        if (explicitDates is null || hasRange)
        {
            if (program.StartDate is null)
            {
                errors.Add("program.startDate", hasRange
                    ? "A start date is required to price a range."
                    : "A start date is required unless sessionDates is given.");
            }
        }

        if (explicitDates is null)
        {
            if (program.Weeks is not { } weeks)
            {
                errors.Add("program.weeks", "The program length in weeks is required unless sessionDates is given.");
            }
            else
            {
                Between(weeks, 1, 52, "program.weeks", errors);
            }

            if (program.DaysPerWeek is not { } days)
            {
                errors.Add("program.daysPerWeek", "Sessions per week is required unless sessionDates is given.");
            }
            else
            {
                Between(days, 1, 7, "program.daysPerWeek", errors);
            }

            if (program.SessionWeekdays is { } weekdays)
            {
                ValidateWeekdays(weekdays, errors);
            }
        }
        else
        {
            if (program.Weeks is { } weeks)
            {
                Between(weeks, 1, 52, "program.weeks", errors);
            }

            if (program.DaysPerWeek is { } days)
            {
                Between(days, 1, 7, "program.daysPerWeek", errors);
            }

            ValidateSessionDates(explicitDates, program.StartDate, errors);
        }

        if (program.ClosedDates is { Count: > MaxClosedDates })
        {
            errors.Add("program.closedDates", $"At most {MaxClosedDates} closed dates may be listed.");
        }
    }

    private static void ValidateWeekdays(IReadOnlyList<DayOfWeek> weekdays, Errors errors)
    {
        if (weekdays.Count == 0)
        {
            errors.Add("program.sessionWeekdays", "List at least one weekday, or leave sessionWeekdays out.");
            return;
        }

        var seen = 0;
        foreach (var day in weekdays)
        {
            if (day is < DayOfWeek.Sunday or > DayOfWeek.Saturday)
            {
                errors.Add("program.sessionWeekdays", "Unknown weekday.");
                continue;
            }

            var bit = 1 << (int)day;
            if ((seen & bit) != 0)
            {
                errors.Add("program.sessionWeekdays", $"{day} is listed more than once.");
            }

            seen |= bit;
        }
    }

    private static void ValidateSessionDates(IReadOnlyList<DateOnly> dates, DateOnly? startDate, Errors errors)
    {
        const string Field = "program.sessionDates";
        if (dates.Count == 0)
        {
            errors.Add(Field, "List at least one session date, or leave sessionDates out.");
            return;
        }

        if (dates.Count > MaxSessions)
        {
            errors.Add(Field, $"A schedule may hold at most {MaxSessions} sessions; {dates.Count} were given.");
            return;
        }

        var seen = new HashSet<DateOnly>();
        foreach (var date in dates)
        {
            if (!seen.Add(date))
            {
                errors.Add(Field, $"{Format(date)} is listed more than once.");
            }

            if (date < startDate)
            {
                errors.Add(Field, $"{Format(date)} is before the program's start date.");
            }

            if (date < EarliestDate || date > LatestDate)
            {
                errors.Add(Field, $"Session dates must fall from {Format(EarliestDate)} to {Format(LatestDate)}.");
            }
        }
    }

    private static void ValidatePricing(Pricing pricing, Errors errors)
    {
        Money(pricing.ChargePerDay, "pricing.chargePerDay", errors);
        Money(pricing.AllowedPerDay, "pricing.allowedPerDay", errors);
        Money(pricing.SelfPayPerDay, "pricing.selfPayPerDay", errors);
        Money(pricing.SelfPayPackagePrice, "pricing.selfPayPackagePrice", errors);
    }

    private static void ValidateCoverage(Coverage coverage, Errors errors)
    {
        if (!Enum.IsDefined(coverage.Status))
        {
            errors.Add("coverage.status", "Use \"active\" or \"inactive\".");
        }

        if (!Enum.IsDefined(coverage.Network))
        {
            errors.Add("coverage.network", "Use \"in\" or \"out\".");
        }

        Money(coverage.Deductible.Individual, "coverage.deductible.individual", errors);
        Money(coverage.Deductible.Family, "coverage.deductible.family", errors);
        Money(coverage.CopayPerDay, "coverage.copayPerDay", errors);
        if (coverage.CoinsurancePercent is < 0 or > 100)
        {
            errors.Add("coverage.coinsurancePercent", "The coinsurance percent must be between 0 and 100.");
        }

        Money(coverage.OutOfPocketMax?.Individual, "coverage.outOfPocketMax.individual", errors);
        Money(coverage.OutOfPocketMax?.Family, "coverage.outOfPocketMax.family", errors);
        if (coverage.VisitLimitPerPlanYear is < 0)
        {
            errors.Add("coverage.visitLimitPerPlanYear", "The visit limit must not be negative.");
        }

        var met = coverage.Accumulators;
        Money(met.DeductibleIndividualMet, "coverage.accumulators.deductibleIndividualMet", errors);
        Money(met.DeductibleFamilyMet, "coverage.accumulators.deductibleFamilyMet", errors);
        Money(met.OutOfPocketIndividualMet, "coverage.accumulators.outOfPocketIndividualMet", errors);
        Money(met.OutOfPocketFamilyMet, "coverage.accumulators.outOfPocketFamilyMet", errors);
        if (met.VisitsUsed < 0)
        {
            errors.Add("coverage.accumulators.visitsUsed", "Visits used must not be negative.");
        }
    }

    private static void Money(decimal? amount, string field, Errors errors)
    {
        if (amount is not { } value)
        {
            return;
        }

        if (value < 0)
        {
            errors.Add(field, "Money must not be negative.");
        }
        else if (value > MaxMoney)
        {
            errors.Add(field, $"Money must be at most {MaxMoney.ToString("N0", CultureInfo.InvariantCulture)}.");
        }
        else if (decimal.Round(value, 2) != value)
        {
            errors.Add(field, "Money must be in whole cents (at most two decimal places).");
        }
    }

    private static void Between(int value, int min, int max, string field, Errors errors)
    {
        if (value < min || value > max)
        {
            errors.Add(field, $"Must be between {min} and {max}.");
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Collects messages per field, allocating nothing while the request is valid.</summary>
    private sealed class Errors
    {
        private Dictionary<string, List<string>>? _byField;

        public IReadOnlyDictionary<string, string[]>? Result =>
            _byField?.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            _byField ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (!_byField.TryGetValue(field, out var messages))
            {
                messages = [];
                _byField.Add(field, messages);
            }

            messages.Add(message);
        }
    }
}
