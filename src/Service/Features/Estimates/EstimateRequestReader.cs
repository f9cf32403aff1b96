using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>
/// The estimates endpoint's fast path: reads a well-formed request in one forward pass of <see cref="Utf8JsonReader"/>
/// over the body's bytes, without building a <see cref="JsonDocument"/> or a field path string.
/// </summary>
/// <remarks>
/// It accepts only what <see cref="EstimateWire.Read"/> reads without an error, and gives up at the first thing it does
/// not take as-is: a value of the wrong kind, an unknown choice, a date not written <c>YYYY-MM-DD</c>, a duplicate
/// member, an escaped string value, malformed JSON. The endpoint then reads the body again with
/// <see cref="EstimateWire"/>, which names every bad field, so bad input is answered by one reader only and this one
/// has to agree with it on good input alone; <c>EstimateRequestReaderTests</c> holds the two to the same result.
/// Profiling put the document and the per-field lookups at about a third of the endpoint's own CPU
/// (docs/performance.md).
/// </remarks>
internal static class EstimateRequestReader
{
    private static readonly byte[][] WeekdayNames =
    [
        "Sun"u8.ToArray(), "Mon"u8.ToArray(), "Tue"u8.ToArray(), "Wed"u8.ToArray(), "Thu"u8.ToArray(), "Fri"u8.ToArray(), "Sat"u8.ToArray(),
    ];

    private static readonly byte[][] WeekdayFullNames =
    [
        "Sunday"u8.ToArray(), "Monday"u8.ToArray(), "Tuesday"u8.ToArray(), "Wednesday"u8.ToArray(), "Thursday"u8.ToArray(), "Friday"u8.ToArray(), "Saturday"u8.ToArray(),
    ];

    /// <summary>Reads <paramref name="json"/>; <see langword="false"/> means "read it with <see cref="EstimateWire"/>".</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EstimateInput? input)
    {
        input = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions());
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ProgramSchedule? program = null;
            PricingInput? pricing = null;
            Coverage? coverage = null;
            ProgramRange? range = null;
            var seen = new Seen();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool ok;
                if (reader.ValueTextEquals("program"u8))
                {
                    ok = seen.First(0) && ReadProgram(ref reader, out program);
                }
                else if (reader.ValueTextEquals("pricing"u8))
                {
                    ok = seen.First(1) && ReadPricing(ref reader, out pricing);
                }
                else if (reader.ValueTextEquals("coverage"u8))
                {
                    ok = seen.First(2) && ReadCoverage(ref reader, out coverage);
                }
                else if (reader.ValueTextEquals("range"u8))
                {
                    ok = seen.First(3) && ReadRange(ref reader, out range);
                }
                else
                {
                    ok = Skip(ref reader);
                }

                if (!ok)
                {
                    return false;
                }
            }

            // The root object is closed; anything after it (but white space) makes the reader throw.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || program is null)
            {
                return false;
            }

            input = new EstimateInput(program, pricing, coverage, range);
            return true;
        }
        catch (JsonException)
        {
            return false; // malformed: EstimateWire's path says where
        }
    }

    private static bool ReadProgram(ref Utf8JsonReader reader, out ProgramSchedule? program)
    {
        program = null;
        if (!Object(ref reader, out var present) || !present)
        {
            return false; // a program is required
        }

        DateOnly? start = null;
        int? weeks = null, days = null;
        DayOfWeek[]? weekdays = null;
        DateOnly[]? sessionDates = null, closedDates = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("startDate"u8) ? seen.First(0) && Date(ref reader, out start)
                : reader.ValueTextEquals("weeks"u8) ? seen.First(1) && Int(ref reader, out weeks)
                : reader.ValueTextEquals("daysPerWeek"u8) ? seen.First(2) && Int(ref reader, out days)
                : reader.ValueTextEquals("sessionWeekdays"u8) ? seen.First(3) && Weekdays(ref reader, out weekdays)
                : reader.ValueTextEquals("sessionDates"u8) ? seen.First(4) && Dates(ref reader, out sessionDates)
                : reader.ValueTextEquals("closedDates"u8) ? seen.First(5) && Dates(ref reader, out closedDates)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        program = new ProgramSchedule
        {
            StartDate = start,
            Weeks = weeks,
            DaysPerWeek = days,
            SessionWeekdays = weekdays,
            SessionDates = sessionDates,
            ClosedDates = closedDates,
        };
        return true;
    }

    private static bool ReadPricing(ref Utf8JsonReader reader, out PricingInput? pricing)
    {
        pricing = null;
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        decimal? charge = null, allowed = null, selfPay = null, package = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("chargePerDay"u8) ? seen.First(0) && Decimal(ref reader, out charge)
                : reader.ValueTextEquals("allowedPerDay"u8) ? seen.First(1) && Decimal(ref reader, out allowed)
                : reader.ValueTextEquals("selfPayPerDay"u8) ? seen.First(2) && Decimal(ref reader, out selfPay)
                : reader.ValueTextEquals("selfPayPackagePrice"u8) ? seen.First(3) && Decimal(ref reader, out package)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        pricing = new PricingInput(charge, allowed, selfPay, package);
        return true;
    }

    private static bool ReadCoverage(ref Utf8JsonReader reader, out Coverage? coverage)
    {
        coverage = null;
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        var status = CoverageStatus.Active;
        var network = NetworkStatus.In;
        var planYearStart = PlanYearStart.January1;
        DateOnly? coverageEnds = null;
        var deductible = new Deductible();
        decimal? copay = null, coinsurance = null;
        bool? copayCounts = null, priorAuthorization = null;
        OutOfPocketMax? outOfPocket = null;
        int? visitLimit = null;
        var accumulators = new Accumulators();
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("status"u8) ? seen.First(0) && Choice(ref reader, "active"u8, CoverageStatus.Active, "inactive"u8, CoverageStatus.Inactive, ref status)
                : reader.ValueTextEquals("network"u8) ? seen.First(1) && Choice(ref reader, "in"u8, NetworkStatus.In, "out"u8, NetworkStatus.Out, ref network)
                : reader.ValueTextEquals("planYearStart"u8) ? seen.First(2) && PlanYear(ref reader, ref planYearStart)
                : reader.ValueTextEquals("coverageEndDate"u8) ? seen.First(3) && Date(ref reader, out coverageEnds)
                : reader.ValueTextEquals("deductible"u8) ? seen.First(4) && ReadDeductible(ref reader, ref deductible)
                : reader.ValueTextEquals("copayPerDay"u8) ? seen.First(5) && Decimal(ref reader, out copay)
                : reader.ValueTextEquals("copayCountsTowardOutOfPocket"u8) ? seen.First(6) && Bool(ref reader, out copayCounts)
                : reader.ValueTextEquals("coinsurancePercent"u8) ? seen.First(7) && Decimal(ref reader, out coinsurance)
                : reader.ValueTextEquals("outOfPocketMax"u8) ? seen.First(8) && ReadOutOfPocket(ref reader, out outOfPocket)
                : reader.ValueTextEquals("visitLimitPerPlanYear"u8) ? seen.First(9) && Int(ref reader, out visitLimit)
                : reader.ValueTextEquals("priorAuthorizationRequired"u8) ? seen.First(10) && Bool(ref reader, out priorAuthorization)
                : reader.ValueTextEquals("accumulators"u8) ? seen.First(11) && ReadAccumulators(ref reader, ref accumulators)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        // The defaults of estimator.md, as EstimateWire.ReadCoverage applies them.
        coverage = new Coverage
        {
            Status = status,
            Network = network,
            PlanYearStart = planYearStart,
            CoverageEndDate = coverageEnds,
            Deductible = deductible,
            CopayPerDay = copay ?? 0m,
            CopayCountsTowardOutOfPocket = copayCounts ?? true,
            CoinsurancePercent = coinsurance ?? 0m,
            OutOfPocketMax = outOfPocket,
            VisitLimitPerPlanYear = visitLimit,
            PriorAuthorizationRequired = priorAuthorization ?? false,
            Accumulators = accumulators,
        };
        return true;
    }

    private static bool ReadDeductible(ref Utf8JsonReader reader, ref Deductible deductible)
    {
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        decimal? individual = null, family = null;
        bool? embedded = null, applies = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("individual"u8) ? seen.First(0) && Decimal(ref reader, out individual)
                : reader.ValueTextEquals("family"u8) ? seen.First(1) && Decimal(ref reader, out family)
                : reader.ValueTextEquals("embedded"u8) ? seen.First(2) && Bool(ref reader, out embedded)
                : reader.ValueTextEquals("appliesToService"u8) ? seen.First(3) && Bool(ref reader, out applies)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        deductible = new Deductible { Individual = individual, Family = family, Embedded = embedded ?? true, AppliesToService = applies ?? true };
        return true;
    }

    private static bool ReadOutOfPocket(ref Utf8JsonReader reader, out OutOfPocketMax? outOfPocket)
    {
        outOfPocket = null;
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        decimal? individual = null, family = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("individual"u8) ? seen.First(0) && Decimal(ref reader, out individual)
                : reader.ValueTextEquals("family"u8) ? seen.First(1) && Decimal(ref reader, out family)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        outOfPocket = new OutOfPocketMax(individual, family);
        return true;
    }

    private static bool ReadAccumulators(ref Utf8JsonReader reader, ref Accumulators accumulators)
    {
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        decimal? deductibleIndividual = null, deductibleFamily = null, outOfPocketIndividual = null, outOfPocketFamily = null;
        int? visits = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("deductibleIndividualMet"u8) ? seen.First(0) && Decimal(ref reader, out deductibleIndividual)
                : reader.ValueTextEquals("deductibleFamilyMet"u8) ? seen.First(1) && Decimal(ref reader, out deductibleFamily)
                : reader.ValueTextEquals("outOfPocketIndividualMet"u8) ? seen.First(2) && Decimal(ref reader, out outOfPocketIndividual)
                : reader.ValueTextEquals("outOfPocketFamilyMet"u8) ? seen.First(3) && Decimal(ref reader, out outOfPocketFamily)
                : reader.ValueTextEquals("visitsUsed"u8) ? seen.First(4) && Int(ref reader, out visits)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        accumulators = new Accumulators
        {
            DeductibleIndividualMet = deductibleIndividual ?? 0m,
            DeductibleFamilyMet = deductibleFamily ?? 0m,
            OutOfPocketIndividualMet = outOfPocketIndividual ?? 0m,
            OutOfPocketFamilyMet = outOfPocketFamily ?? 0m,
            VisitsUsed = visits ?? 0,
        };
        return true;
    }

    private static bool ReadRange(ref Utf8JsonReader reader, out ProgramRange? range)
    {
        range = null;
        if (!Object(ref reader, out var present))
        {
            return false;
        }

        if (!present)
        {
            return true;
        }

        IntRange? weeks = null, days = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("weeks"u8) ? seen.First(0) && MinMax(ref reader, out weeks)
                : reader.ValueTextEquals("daysPerWeek"u8) ? seen.First(1) && MinMax(ref reader, out days)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        // Both bounds are required once a range is given.
        if (weeks is not { } w || days is not { } d)
        {
            return false;
        }

        range = new ProgramRange(w, d);
        return true;
    }

    private static bool MinMax(ref Utf8JsonReader reader, out IntRange? bounds)
    {
        bounds = null;
        if (!Object(ref reader, out var present) || !present)
        {
            return false;
        }

        int? min = null, max = null;
        var seen = new Seen();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("min"u8) ? seen.First(0) && Int(ref reader, out min)
                : reader.ValueTextEquals("max"u8) ? seen.First(1) && Int(ref reader, out max)
                : Skip(ref reader);
            if (!ok)
            {
                return false;
            }
        }

        if (min is not { } lo || max is not { } hi)
        {
            return false;
        }

        bounds = new IntRange(lo, hi);
        return true;
    }

    // Moves to a member's value: an object (present), null (absent), or anything else (not ours to judge).
    private static bool Object(ref Utf8JsonReader reader, out bool present)
    {
        reader.Read();
        present = reader.TokenType == JsonTokenType.StartObject;
        return present || reader.TokenType == JsonTokenType.Null;
    }

    private static bool Int(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool Decimal(ref Utf8JsonReader reader, out decimal? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number))
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool Bool(ref Utf8JsonReader reader, out bool? value)
    {
        value = null;
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            default:
                return false;
        }
    }

    // A string value as written (not escaped), or null. Escaped strings go to the slow path.
    private static bool Text(ref Utf8JsonReader reader, out bool isNull)
    {
        reader.Read();
        isNull = reader.TokenType == JsonTokenType.Null;
        return isNull || (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped);
    }

    private static bool Choice<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> first, T firstValue, ReadOnlySpan<byte> second, T secondValue, ref T value)
    {
        if (!Text(ref reader, out var isNull))
        {
            return false;
        }

        if (isNull)
        {
            return true;
        }

        var text = reader.ValueSpan;
        if (Ascii.EqualsIgnoreCase(text, first))
        {
            value = firstValue;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, second))
        {
            value = secondValue;
            return true;
        }

        return false;
    }

    private static bool PlanYear(ref Utf8JsonReader reader, ref PlanYearStart value)
    {
        if (!Text(ref reader, out var isNull))
        {
            return false;
        }

        return isNull || (reader.ValueSpan.Length == 5 && PlanYearStart.TryParse(Encoding.UTF8.GetString(reader.ValueSpan), out value));
    }

    private static bool Date(ref Utf8JsonReader reader, out DateOnly? value)
    {
        value = null;
        if (!Text(ref reader, out var isNull))
        {
            return false;
        }

        if (isNull)
        {
            return true;
        }

        if (!ParseDate(reader.ValueSpan, out var date))
        {
            return false;
        }

        value = date;
        return true;
    }

    // Exactly YYYY-MM-DD with ASCII digits and a real day; anything looser is for EstimateWire to accept or name.
    private static bool ParseDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != (byte)'-' || text[7] != (byte)'-'
            || !Utf8Parser.TryParse(text[..4], out int year, out var yearLength) || yearLength != 4
            || !Digits2(text[5], text[6], out var month) || !Digits2(text[8], text[9], out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || text[0] is < (byte)'0' or > (byte)'9')
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Digits2(byte tens, byte ones, out int value)
    {
        value = ((tens - '0') * 10) + (ones - '0');
        return tens is >= (byte)'0' and <= (byte)'9' && ones is >= (byte)'0' and <= (byte)'9';
    }

    private static bool Dates(ref Utf8JsonReader reader, out DateOnly[]? dates)
    {
        dates = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var items = new List<DateOnly>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueIsEscaped || !ParseDate(reader.ValueSpan, out var date))
            {
                return false;
            }

            items.Add(date);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        dates = [.. items];
        return true;
    }

    private static bool Weekdays(ref Utf8JsonReader reader, out DayOfWeek[]? weekdays)
    {
        weekdays = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var items = new List<DayOfWeek>(7);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueIsEscaped || Weekday(reader.ValueSpan) is not { } day)
            {
                return false;
            }

            items.Add(day);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        weekdays = [.. items];
        return true;
    }

    private static DayOfWeek? Weekday(ReadOnlySpan<byte> text)
    {
        for (var day = 0; day < WeekdayNames.Length; day++)
        {
            if (Ascii.EqualsIgnoreCase(text, WeekdayNames[day]) || Ascii.EqualsIgnoreCase(text, WeekdayFullNames[day]))
            {
                return (DayOfWeek)day;
            }
        }

        return null;
    }

    // A member this reader does not know is skipped (its value still has to be valid JSON), as EstimateWire ignores it.
    private static bool Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return true;
    }

    // Which known members an object has had: a second one of a name goes to the slow path, whose document decides
    // which of the two counts.
    private struct Seen
    {
        private int _bits;

        public bool First(int member)
        {
            var bit = 1 << member;
            var first = (_bits & bit) == 0;
            _bits |= bit;
            return first;
        }
    }
}
