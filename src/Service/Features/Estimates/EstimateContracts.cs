using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Estimates;

// The wire format of estimator.md (JSON, camelCase). The request records document the body in OpenAPI; the body
// itself is read by EstimateWire, which never throws on bad input and names every bad field by its path. The
// verification feature reuses EstimateWire.ReadProgram/ReadPricing for its own "program" and "pricing" members and
// embeds EstimateResponse in its answer.

/// <summary>The body of <c>POST /api/v1/estimates</c>.</summary>
public sealed record EstimateRequestDto(ProgramDto Program, PricingDto? Pricing, CoverageDto? Coverage, RangeDto? Range);

/// <summary><c>program</c>: dates as <c>YYYY-MM-DD</c>, weekdays as <c>Mon</c> … <c>Sun</c>.</summary>
public sealed record ProgramDto(
    DateOnly? StartDate,
    int? Weeks,
    int? DaysPerWeek,
    IReadOnlyList<string>? SessionWeekdays,
    IReadOnlyList<DateOnly>? SessionDates,
    IReadOnlyList<DateOnly>? ClosedDates);

/// <summary><c>pricing</c>: optional as a whole and field by field; the rate card fills what is missing.</summary>
public sealed record PricingDto(decimal? ChargePerDay, decimal? AllowedPerDay, decimal? SelfPayPerDay, decimal? SelfPayPackagePrice);

/// <summary><c>coverage</c>: null or absent means self-pay.</summary>
public sealed record CoverageDto(
    string? Status,
    string? Network,
    string? PlanYearStart,
    DateOnly? CoverageEndDate,
    DeductibleDto? Deductible,
    decimal? CopayPerDay,
    bool? CopayCountsTowardOutOfPocket,
    decimal? CoinsurancePercent,
    AmountsDto? OutOfPocketMax,
    int? VisitLimitPerPlanYear,
    bool? PriorAuthorizationRequired,
    AccumulatorsDto? Accumulators);

/// <summary><c>coverage.deductible</c>.</summary>
public sealed record DeductibleDto(decimal? Individual, decimal? Family, bool? Embedded, bool? AppliesToService);

/// <summary>An individual and a family amount.</summary>
public sealed record AmountsDto(decimal? Individual, decimal? Family);

/// <summary><c>coverage.accumulators</c>: met so far in the plan year of the first session.</summary>
public sealed record AccumulatorsDto(
    decimal? DeductibleIndividualMet,
    decimal? DeductibleFamilyMet,
    decimal? OutOfPocketIndividualMet,
    decimal? OutOfPocketFamilyMet,
    int? VisitsUsed);

/// <summary><c>range</c>: also price the shortest and the longest program.</summary>
public sealed record RangeDto(MinMaxDto Weeks, MinMaxDto DaysPerWeek);

/// <summary>An inclusive range.</summary>
public sealed record MinMaxDto(int Min, int Max);

/// <summary>Pricing as the request gave it, before the rate card fills the gaps.</summary>
public sealed record PricingInput(decimal? ChargePerDay, decimal? AllowedPerDay, decimal? SelfPayPerDay, decimal? SelfPayPackagePrice);

/// <summary>A request read from the wire: what parsed, with <see langword="null"/> where a field was absent or bad.</summary>
public sealed record EstimateInput(ProgramSchedule Program, PricingInput? Pricing, Coverage? Coverage, ProgramRange? Range);

/// <summary>The answer of <c>POST /api/v1/estimates</c>: the estimate of estimator.md plus explanation and pricing used.</summary>
public sealed record EstimateResponse(
    int Sessions,
    DateOnly? FirstSession,
    DateOnly? LastSession,
    TotalsDto Totals,
    BreakdownDto Breakdown,
    IReadOnlyList<MonthlyDto> Monthly,
    IReadOnlyList<string> Warnings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeResponseDto? Range,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SessionDto>? SessionsDetail,
    string Explanation,
    string Disclaimer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PricingUsedDto? Pricing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChargeRangeDto? ChargeRange)
{
    /// <summary>Maps a library result to the wire, money always with two decimals.</summary>
    public static EstimateResponse From(EstimateResult result, bool includeSessions, PricingUsedDto? pricing = null)
    {
        var estimate = Map(result, includeSessions);
        if (result.Range is not { } range)
        {
            return pricing is null ? estimate : estimate with { Pricing = pricing };
        }

        // A range bound that is the program itself (the estimator prices it once and copies it into the result with
        // the range) is mapped once too.
        return estimate with
        {
            Range = new RangeResponseDto(
                IsCopyOf(result, range.Low) ? estimate : Map(range.Low, includeSessions),
                IsCopyOf(result, range.High) ? estimate : Map(range.High, includeSessions)),
            Pricing = pricing,
        };
    }

    // Each priced schedule has its own monthly list; a copy made with `with` shares it.
    private static bool IsCopyOf(EstimateResult result, EstimateResult bound) => ReferenceEquals(result.Monthly, bound.Monthly);

    private static EstimateResponse Map(EstimateResult result, bool includeSessions) => new(
        result.Sessions,
        result.FirstSession,
        result.LastSession,
        new TotalsDto(Cents(result.Totals.Charges), Cents(result.Totals.Allowed), Cents(result.Totals.Patient), Cents(result.Totals.Payer)),
        new BreakdownDto(
            Cents(result.Breakdown.Copay),
            Cents(result.Breakdown.Deductible),
            Cents(result.Breakdown.Coinsurance),
            Cents(result.Breakdown.BalanceBill),
            Cents(result.Breakdown.SelfPay)),
        result.Monthly.Select(m => new MonthlyDto(
            string.Create(CultureInfo.InvariantCulture, $"{m.Year:0000}-{m.Month:00}"), m.Sessions, Cents(m.Patient), Cents(m.Payer))).ToArray(),
        result.Warnings,
        null,
        includeSessions ? result.SessionsDetail.Select(SessionDto.From).ToArray() : null,
        result.Explanation,
        result.Disclaimer,
        null,
        null);

    /// <summary>Money on the wire always carries two decimals (<c>1200.00</c>, not <c>1200</c>).</summary>
    internal static decimal Cents(decimal amount) =>
        amount.Scale == 2 ? amount : decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m; // the ledger's amounts already are
}

/// <summary><c>totals</c>.</summary>
public sealed record TotalsDto(decimal Charges, decimal Allowed, decimal Patient, decimal Payer);

/// <summary><c>breakdown</c>.</summary>
public sealed record BreakdownDto(decimal Copay, decimal Deductible, decimal Coinsurance, decimal BalanceBill, decimal SelfPay);

/// <summary>One row of <c>monthly</c>; <c>month</c> is <c>YYYY-MM</c>.</summary>
public sealed record MonthlyDto(string Month, int Sessions, decimal Patient, decimal Payer);

/// <summary><c>range</c>: the shortest and the longest program, each a full estimate.</summary>
public sealed record RangeResponseDto(EstimateResponse Low, EstimateResponse High);

/// <summary>One day of <c>sessionsDetail</c> (only with <c>?detail=sessions</c>).</summary>
public sealed record SessionDto(
    DateOnly Date,
    decimal Charge,
    decimal Allowed,
    decimal Copay,
    decimal Deductible,
    decimal Coinsurance,
    decimal BalanceBill,
    decimal SelfPay,
    decimal Patient,
    decimal Payer)
{
    internal static SessionDto From(SessionEstimate s) => new(
        s.Date,
        EstimateResponse.Cents(s.Charge),
        EstimateResponse.Cents(s.Allowed),
        EstimateResponse.Cents(s.Copay),
        EstimateResponse.Cents(s.Deductible),
        EstimateResponse.Cents(s.Coinsurance),
        EstimateResponse.Cents(s.BalanceBill),
        EstimateResponse.Cents(s.SelfPay),
        EstimateResponse.Cents(s.Patient),
        EstimateResponse.Cents(s.Payer));
}

/// <summary>The rates the estimate used and where each came from (<c>request</c> or <c>rateCard</c>).</summary>
public sealed record PricingUsedDto(
    decimal ChargePerDay,
    decimal AllowedPerDay,
    decimal SelfPayPerDay,
    decimal? SelfPayPackagePrice,
    bool ChargeKnown,
    string ChargeSource);

/// <summary>
/// Present when the program's charge is unknown (no <c>chargePerDay</c> in the request or the rate card): the same
/// program priced at the lowest and at the highest published charge. The main estimate uses the highest.
/// </summary>
public sealed record ChargeRangeDto(decimal ChargePerDayLow, decimal ChargePerDayHigh, EstimateResponse Low, EstimateResponse High);

/// <summary>Reads the estimate request from JSON without throwing, collecting one message list per bad field path.</summary>
public static class EstimateWire
{
    /// <summary>Field path for problems with the body as a whole.</summary>
    public const string BodyField = "body";

    private static readonly string[] WeekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Reads the whole request body.</summary>
    public static EstimateInput Read(JsonElement root, WireErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(BodyField, "The body must be a JSON object.");
            return new EstimateInput(new ProgramSchedule(), null, null, null);
        }

        var program = Member(root, "program", "program", errors);
        if (program is null && !errors.Has("program"))
        {
            errors.Add("program", "The program is required.");
        }

        return new EstimateInput(
            program is { } p ? ReadProgram(p, "program", errors) : new ProgramSchedule(),
            Member(root, "pricing", "pricing", errors) is { } pricing ? ReadPricing(pricing, "pricing", errors) : null,
            Member(root, "coverage", "coverage", errors) is { } coverage ? ReadCoverage(coverage, "coverage", errors) : null,
            Member(root, "range", "range", errors) is { } range ? ReadRange(range, "range", errors) : null);
    }

    /// <summary>Reads a <c>program</c> object found at <paramref name="path"/>.</summary>
    public static ProgramSchedule ReadProgram(JsonElement program, string path, WireErrors errors) => new()
    {
        StartDate = Date(program, "startDate", path, errors),
        Weeks = Int(program, "weeks", path, errors),
        DaysPerWeek = Int(program, "daysPerWeek", path, errors),
        SessionWeekdays = Array(program, "sessionWeekdays", path, errors, Weekday),
        SessionDates = Array(program, "sessionDates", path, errors, DateValue),
        ClosedDates = Array(program, "closedDates", path, errors, DateValue),
    };

    /// <summary>Reads a <c>pricing</c> object found at <paramref name="path"/>.</summary>
    public static PricingInput ReadPricing(JsonElement pricing, string path, WireErrors errors) => new(
        Decimal(pricing, "chargePerDay", path, errors),
        Decimal(pricing, "allowedPerDay", path, errors),
        Decimal(pricing, "selfPayPerDay", path, errors),
        Decimal(pricing, "selfPayPackagePrice", path, errors));

    /// <summary>Reads a <c>coverage</c> object found at <paramref name="path"/>; defaults follow estimator.md.</summary>
    public static Coverage ReadCoverage(JsonElement coverage, string path, WireErrors errors)
    {
        var deductible = Member(coverage, "deductible", $"{path}.deductible", errors);
        var outOfPocket = Member(coverage, "outOfPocketMax", $"{path}.outOfPocketMax", errors);
        var met = Member(coverage, "accumulators", $"{path}.accumulators", errors);
        var deductiblePath = $"{path}.deductible";
        var metPath = $"{path}.accumulators";

        var planYearStart = PlanYearStart.January1;
        if (String(coverage, "planYearStart", path, errors) is { } planYear && !PlanYearStart.TryParse(planYear, out planYearStart))
        {
            errors.Add($"{path}.planYearStart", "Use MM-DD for a day that occurs every year, such as 01-01 or 07-01.");
        }

        return new Coverage
        {
            Status = Choice(coverage, "status", path, errors, ("active", CoverageStatus.Active), ("inactive", CoverageStatus.Inactive)) ?? CoverageStatus.Active,
            Network = Choice(coverage, "network", path, errors, ("in", NetworkStatus.In), ("out", NetworkStatus.Out)) ?? NetworkStatus.In,
            PlanYearStart = planYearStart,
            CoverageEndDate = Date(coverage, "coverageEndDate", path, errors),
            Deductible = deductible is { } d
                ? new Deductible
                {
                    Individual = Decimal(d, "individual", deductiblePath, errors),
                    Family = Decimal(d, "family", deductiblePath, errors),
                    Embedded = Bool(d, "embedded", deductiblePath, errors) ?? true,
                    AppliesToService = Bool(d, "appliesToService", deductiblePath, errors) ?? true,
                }
                : new Deductible(),
            CopayPerDay = Decimal(coverage, "copayPerDay", path, errors) ?? 0m,
            CopayCountsTowardOutOfPocket = Bool(coverage, "copayCountsTowardOutOfPocket", path, errors) ?? true,
            CoinsurancePercent = Decimal(coverage, "coinsurancePercent", path, errors) ?? 0m,
            OutOfPocketMax = outOfPocket is { } o
                ? new OutOfPocketMax(Decimal(o, "individual", $"{path}.outOfPocketMax", errors), Decimal(o, "family", $"{path}.outOfPocketMax", errors))
                : null,
            VisitLimitPerPlanYear = Int(coverage, "visitLimitPerPlanYear", path, errors),
            PriorAuthorizationRequired = Bool(coverage, "priorAuthorizationRequired", path, errors) ?? false,
            Accumulators = met is { } m
                ? new Accumulators
                {
                    DeductibleIndividualMet = Decimal(m, "deductibleIndividualMet", metPath, errors) ?? 0m,
                    DeductibleFamilyMet = Decimal(m, "deductibleFamilyMet", metPath, errors) ?? 0m,
                    OutOfPocketIndividualMet = Decimal(m, "outOfPocketIndividualMet", metPath, errors) ?? 0m,
                    OutOfPocketFamilyMet = Decimal(m, "outOfPocketFamilyMet", metPath, errors) ?? 0m,
                    VisitsUsed = Int(m, "visitsUsed", metPath, errors) ?? 0,
                }
                : new Accumulators(),
        };
    }

    /// <summary>Reads a <c>range</c> object found at <paramref name="path"/>; null when a bound is missing or bad.</summary>
    public static ProgramRange? ReadRange(JsonElement range, string path, WireErrors errors)
    {
        var weeks = MinMax(range, "weeks", path, errors);
        var days = MinMax(range, "daysPerWeek", path, errors);
        return weeks is { } w && days is { } d ? new ProgramRange(w, d) : null;
    }

    private static IntRange? MinMax(JsonElement parent, string name, string path, WireErrors errors)
    {
        var field = $"{path}.{name}";
        if (Member(parent, name, field, errors) is not { } bounds)
        {
            errors.Add(field, "min and max are required.");
            return null;
        }

        var min = Int(bounds, "min", field, errors);
        var max = Int(bounds, "max", field, errors);
        if (min is null && !errors.Has($"{field}.min"))
        {
            errors.Add($"{field}.min", "Required.");
        }

        if (max is null && !errors.Has($"{field}.max"))
        {
            errors.Add($"{field}.max", "Required.");
        }

        return min is { } lo && max is { } hi ? new IntRange(lo, hi) : null;
    }

    // A member that is absent or null reads as null; one of the wrong kind is an error and also reads as null.
    private static JsonElement? Value(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement? Member(JsonElement parent, string name, string field, WireErrors errors)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "Must be a JSON object.");
            return null;
        }

        return value;
    }

    private static int? Int(JsonElement parent, string name, string path, WireErrors errors)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add($"{path}.{name}", "Must be a whole number.");
        return null;
    }

    private static decimal? Decimal(JsonElement parent, string name, string path, WireErrors errors)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        errors.Add($"{path}.{name}", "Must be a number, such as 650.00.");
        return null;
    }

    private static bool? Bool(JsonElement parent, string name, string path, WireErrors errors)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{path}.{name}", "Must be true or false.");
        return null;
    }

    private static string? String(JsonElement parent, string name, string path, WireErrors errors)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add($"{path}.{name}", "Must be a string.");
        return null;
    }

    private static T? Choice<T>(JsonElement parent, string name, string path, WireErrors errors, params (string Wire, T Value)[] choices)
        where T : struct, Enum
    {
        if (String(parent, name, path, errors) is not { } text)
        {
            return null;
        }

        foreach (var (wire, value) in choices)
        {
            if (string.Equals(text, wire, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        errors.Add($"{path}.{name}", $"Use {string.Join(" or ", choices.Select(c => $"\"{c.Wire}\""))}.");
        return null;
    }

    private static DateOnly? Date(JsonElement parent, string name, string path, WireErrors errors)
    {
        if (String(parent, name, path, errors) is not { } text)
        {
            return null;
        }

        if (ParseDate(text) is { } date)
        {
            return date;
        }

        errors.Add($"{path}.{name}", "Must be a date as YYYY-MM-DD.");
        return null;
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static (DateOnly Value, string? Error) DateValue(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && ParseDate(element.GetString()!) is { } date
            ? (date, null)
            : (default, "Must be a date as YYYY-MM-DD.");

    private static (DayOfWeek Value, string? Error) Weekday(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { } text)
        {
            for (var day = 0; day < WeekdayNames.Length; day++)
            {
                if (string.Equals(text, WeekdayNames[day], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(text, ((DayOfWeek)day).ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    return ((DayOfWeek)day, null);
                }
            }
        }

        return (default, "Unknown weekday: use Mon, Tue, Wed, Thu, Fri, Sat or Sun.");
    }

    private static T[]? Array<T>(JsonElement parent, string name, string path, WireErrors errors, Func<JsonElement, (T Value, string? Error)> read)
    {
        if (Value(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}.{name}", "Must be a JSON array.");
            return null;
        }

        var items = new T[value.GetArrayLength()];
        var index = 0;
        var bad = false;
        foreach (var element in value.EnumerateArray())
        {
            var (item, error) = read(element);
            if (error is not null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{index}]"), error);
                bad = true;
            }

            items[index++] = item;
        }

        return bad ? null : items;
    }
}

/// <summary>Validation messages keyed by wire field path, in the shape of <c>ValidationProblem</c>'s <c>errors</c>.</summary>
public sealed class WireErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            messages = [];
            _byField.Add(field, messages);
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <summary>
    /// Adds the domain rules' errors, except under a field that already failed to parse (a date that could not be read
    /// is not also "required"), and none when the body itself was unreadable.
    /// </summary>
    public void AddDomainErrors(IReadOnlyDictionary<string, string[]> errors)
    {
        if (Has(EstimateWire.BodyField))
        {
            return; // nothing was read, so nothing else is worth saying
        }

        foreach (var (field, messages) in errors)
        {
            if (_byField.Keys.Any(bad => field == bad || field.StartsWith(bad + ".", StringComparison.Ordinal)
                || bad.StartsWith(field + "[", StringComparison.Ordinal) || bad.StartsWith(field + ".", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
