using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Features.Estimates;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>
/// <see cref="EstimateResponseWriter"/> writes exactly the bytes of the source-generated serializer it replaces on the
/// estimates endpoint: for the reference cases, the samples, thousands of random requests, and hand-built answers
/// with the money, text and nulls the pricer does not produce.
/// </summary>
public sealed class EstimateResponseWriterTests
{
    private const int RandomRequests = 3000;
    private const int RandomSeed = 20261128;

    // As shipped (appsettings.json): no charge per day, only the published range, so answers carry chargeRange.
    private static readonly RateCardOptions PublishedRange = new() { ChargeRangeLow = 250.00m, ChargeRangeHigh = 650.00m };

    private static readonly RateCardOptions PublishedRangeWithPackage = new()
    {
        ChargeRangeLow = 250.00m,
        ChargeRangeHigh = 650.00m,
        SelfPayPackagePrice = 8000.00m,
    };

    private static readonly RateCardOptions FullCard = new()
    {
        ChargePerDay = 450.00m,
        AllowedPerDay = 300.00m,
        SelfPayPerDay = 275.50m,
        SelfPayPackagePrice = 9000.5m,
    };

    private static readonly Dictionary<string, RateCardOptions> Cards = new(StringComparer.Ordinal)
    {
        [nameof(PublishedRange)] = PublishedRange,
        [nameof(PublishedRangeWithPackage)] = PublishedRangeWithPackage,
        [nameof(FullCard)] = FullCard,
    };

    private static readonly decimal[] AwkwardMoney =
    [
        0m, 0.00m, -0.00m, decimal.Negate(0m), new(0, 0, 0, isNegative: true, scale: 1), 0.0m, 0.05m, 0.5m, 0.10m, -0.01m,
        -5.5m, 1200m, 1200.5m, 1200.00m, 9.99m, 0.001m, 1.000m, 0.0000000000000000000000000001m,
        18446744073709551615m, 18446744073709551616m, 184467440737095516.15m, -184467440737095516.15m, 1844674407370955161.5m,
        79228162514264337593543950335m, -79228162514264337593543950335m, 7922816251426433759354395033.5m,
        12345678901234567.89m, -12345678901234567.89m,
    ];

    // Named, since a test name holding U+0000 is dropped from the run's results.
    private static readonly TestCaseData[] AwkwardText =
    [
        new TestCaseData("").SetArgDisplayNames("empty"),
        new TestCaseData("<script>alert('x')</script> & \"quoted\" + plus = 100% `tick`").SetArgDisplayNames("HTML-sensitive"),
        new TestCaseData("café — naïve “curly” ½ 日本語 😀 \U0001F9FE").SetArgDisplayNames("non-ASCII"),
        new TestCaseData("line\nbreak\r\ttab \u0000 \u0001 \u001f \u007f \u0085 \u2028 \u2029 \\ backslash / slash").SetArgDisplayNames("control"),
    ];

    [TestCaseSource(nameof(ReferenceCases))]
    public void A_reference_case_is_written_as_the_serializer_writes_it(string id, bool includeSessions, string card)
    {
        var body = EstimateCases.Load(id)["request"]!.ToJsonString();

        AssertWritesLikeTheSerializer(Price(body, Cards[card], includeSessions));
    }

    [TestCaseSource(nameof(Samples))]
    public void A_sample_request_is_written_as_the_serializer_writes_it(string file, bool includeSessions, string card)
    {
        var body = File.ReadAllText(Path.Combine(EstimateCases.RepositoryRoot(), "samples", "estimates", file));

        AssertWritesLikeTheSerializer(Price(body, Cards[card], includeSessions));
    }

    [Test]
    public void A_card_without_a_charge_gives_a_charge_range_and_a_null_package_price_both_written_as_the_serializer_does()
    {
        var response = Price("""{ "program": { "startDate": "2026-03-02", "weeks": 8, "daysPerWeek": 3 } }""", PublishedRange, includeSessions: true);

        Assert.That(response.ChargeRange, Is.Not.Null);
        Assert.That(response.Pricing!.SelfPayPackagePrice, Is.Null);
        AssertWritesLikeTheSerializer(response);
    }

    [Test]
    public void A_card_with_a_package_price_is_written_as_the_serializer_writes_it()
    {
        var response = Price("""{ "program": { "startDate": "2026-03-02", "weeks": 8, "daysPerWeek": 3 } }""", PublishedRangeWithPackage, includeSessions: false);

        Assert.That(response.Pricing!.SelfPayPackagePrice, Is.EqualTo(8000.00m));
        AssertWritesLikeTheSerializer(response);
    }

    [TestCaseSource(nameof(AwkwardMoneyCases))]
    public void Any_decimal_is_written_as_the_serializer_writes_it(decimal money)
    {
        AssertWritesLikeTheSerializer(HandBuilt(money, "plain", new DateOnly(2026, 3, 2)));
    }

    [TestCaseSource(nameof(AwkwardText))]
    public void Text_is_escaped_as_the_serializer_escapes_it(string text)
    {
        AssertWritesLikeTheSerializer(HandBuilt(1200.00m, text, null));
    }

    [Test]
    public void Dates_at_either_end_of_the_calendar_and_null_dates_are_written_as_the_serializer_writes_them()
    {
        var response = HandBuilt(5.00m, "dates", DateOnly.MinValue) with { LastSession = DateOnly.MaxValue };
        AssertWritesLikeTheSerializer(response);
        AssertWritesLikeTheSerializer(response with { FirstSession = null, LastSession = null });
    }

    [Test]
    public void Nulls_where_the_types_promise_none_are_written_as_the_serializer_writes_them()
    {
        var empty = new EstimateResponse(0, null, null, null!, null!, null!, null!, null, null, null!, null!, null, null);
        AssertWritesLikeTheSerializer(empty);
        AssertWritesLikeTheSerializer(empty with { Monthly = [], Warnings = [], SessionsDetail = [] });
        AssertWritesLikeTheSerializer(empty with
        {
            Monthly = [null!, new MonthlyDto(null!, 1, 2.00m, 3.00m)],
            Warnings = [null!, "self-pay"],
            SessionsDetail = [null!],
            Range = new RangeResponseDto(null!, empty),
            Pricing = new PricingUsedDto(1m, 2m, 3m, null, false, null!),
            ChargeRange = new ChargeRangeDto(250.00m, 650.00m, empty, null!),
        });
    }

    [Test]
    public void An_indented_writer_gets_the_indented_serializer_text()
    {
        var body = File.ReadAllText(Path.Combine(EstimateCases.RepositoryRoot(), "samples", "estimates", "iop-12-weeks-ppo.json"));
        var response = Price(body, PublishedRange, includeSessions: true);
        var options = new JsonSerializerOptions(EstimatesJsonContext.Default.Options) { WriteIndented = true };
        var expected = JsonSerializer.Serialize(response, options.GetTypeInfo(typeof(EstimateResponse)));

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            EstimateResponseWriter.Write(writer, response);
        }

        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(expected));
    }

    [Test]
    public void Random_requests_are_written_as_the_serializer_writes_them()
    {
        TestContext.Out.WriteLine($"seed {RandomSeed.ToString(CultureInfo.InvariantCulture)}, {RandomRequests.ToString(CultureInfo.InvariantCulture)} requests");
        var random = new Random(RandomSeed);
        int priced = 0, withRange = 0, withChargeRange = 0, withSessions = 0, withoutPackagePrice = 0;
        for (var i = 0; i < RandomRequests; i++)
        {
            var body = RandomRequest(random);
            var card = random.Next(3) switch { 0 => PublishedRange, 1 => PublishedRangeWithPackage, _ => FullCard };
            var includeSessions = random.Next(2) == 0;
            if (TryPrice(body, card, includeSessions) is not { } response)
            {
                continue;
            }

            priced++;
            withRange += response.Range is null ? 0 : 1;
            withChargeRange += response.ChargeRange is null ? 0 : 1;
            withSessions += response.SessionsDetail is null ? 0 : 1;
            withoutPackagePrice += response.Pricing?.SelfPayPackagePrice is null ? 1 : 0;
            AssertWritesLikeTheSerializer(response, () => $"request {i} (seed {RandomSeed}): {body}");
        }

        TestContext.Out.WriteLine($"{priced} priced: {withRange} with range, {withChargeRange} with chargeRange, {withSessions} with sessionsDetail, {withoutPackagePrice} without a package price");
        Assert.That(priced, Is.GreaterThan(RandomRequests * 9 / 10), "the generator should make valid requests");
        Assert.That(new[] { withRange, withChargeRange, withSessions, withoutPackagePrice }, Has.All.GreaterThan(RandomRequests / 20));
    }

    private static IEnumerable<TestCaseData> ReferenceCases() =>
        from id in EstimateCases.Ids()
        from includeSessions in new[] { false, true }
        from card in new[] { nameof(PublishedRange), nameof(FullCard) }
        select new TestCaseData(id, includeSessions, card);

    private static IEnumerable<TestCaseData> Samples() =>
        from file in new[] { "iop-12-weeks-ppo.json", "self-pay-unknown-charge.json" }
        from includeSessions in new[] { false, true }
        from card in Cards.Keys
        select new TestCaseData(file, includeSessions, card);

    // Named with the sign of a negative zero, which decimal.ToString leaves out (-0.00m would show as 0.00m).
    private static IEnumerable<TestCaseData> AwkwardMoneyCases() =>
        from money in AwkwardMoney
        let sign = decimal.IsNegative(money) && money == 0m ? "-" : ""
        select new TestCaseData(money).SetArgDisplayNames(sign + money.ToString(CultureInfo.InvariantCulture) + "m");

    private static void AssertWritesLikeTheSerializer(EstimateResponse response, Func<string>? context = null)
    {
        var expected = JsonSerializer.SerializeToUtf8Bytes(response, EstimatesJsonContext.Default.EstimateResponse);

        // As the endpoint would: the cached writer with the serializer's options, onto a buffer writer.
        var output = new ArrayBufferWriter<byte>();
        var written = EstimateResponseWriter.WriteTo(output, response);

        // A default writer checks that every call is valid where it is made in the document.
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            EstimateResponseWriter.Write(writer, response);
        }

        context ??= () => "";
        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Is.EqualTo(Encoding.UTF8.GetString(expected)), context);
        Assert.That(output.WrittenSpan.SequenceEqual(expected), Is.True, context);
        Assert.That(written, Is.EqualTo(expected.Length), context);
        Assert.That(stream.ToArray().AsSpan().SequenceEqual(expected), Is.True, context);
    }

    private static EstimateResponse Price(string body, RateCardOptions card, bool includeSessions) =>
        TryPrice(body, card, includeSessions) ?? throw new AssertionException($"Not priced: {body}");

    private static EstimateResponse? TryPrice(string body, RateCardOptions card, bool includeSessions)
    {
        using var document = JsonDocument.Parse(body);
        var errors = new WireErrors();
        var input = EstimateWire.Read(document.RootElement, errors);
        var outcome = new EstimatePricer(new StaticMonitor(card)).Estimate(input, includeSessions);
        errors.AddDomainErrors(outcome.Errors);
        return errors.IsEmpty ? outcome.Response : null;
    }

    /// <summary>Every money member at <paramref name="money"/>, every string at <paramref name="text"/>, nested twice.</summary>
    private static EstimateResponse HandBuilt(decimal money, string text, DateOnly? date)
    {
        var session = new SessionDto(new DateOnly(2026, 3, 2), money, money, money, money, money, money, money, money, money);
        var estimate = new EstimateResponse(
            3,
            date,
            date,
            new TotalsDto(money, money, money, money),
            new BreakdownDto(money, money, money, money, money),
            [new MonthlyDto(text, 2, money, money), new MonthlyDto("2026-04", 1, money, money)],
            [text, "self-pay"],
            null,
            [session, session with { Date = new DateOnly(1, 1, 1) }, session with { Date = new DateOnly(9999, 12, 31) }],
            text,
            text,
            null,
            null);
        return estimate with
        {
            Range = new RangeResponseDto(estimate, estimate with { SessionsDetail = null }),
            Pricing = new PricingUsedDto(money, money, money, money, true, text),
            ChargeRange = new ChargeRangeDto(money, money, estimate with { Pricing = new PricingUsedDto(money, money, money, null, false, text) }, estimate),
        };
    }

    private static string RandomRequest(Random random)
    {
        var start = new DateOnly(2024, 1, 1).AddDays(random.Next(5 * 366));
        var weeks = random.Next(1, 53);
        var program = new JsonObject { ["startDate"] = Iso(start), ["weeks"] = weeks, ["daysPerWeek"] = random.Next(1, 8) };
        if (random.Next(5) == 0)
        {
            program["closedDates"] = new JsonArray([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => (JsonNode)Iso(start.AddDays(random.Next(weeks * 7))))]);
        }

        var request = new JsonObject { ["program"] = program };
        if (random.Next(4) != 0)
        {
            var pricing = new JsonObject();
            Maybe(pricing, "chargePerDay", 0.8, () => Money(random, 2000));
            Maybe(pricing, "allowedPerDay", 0.6, () => Money(random, 1500));
            Maybe(pricing, "selfPayPerDay", 0.5, () => Money(random, 1000));
            Maybe(pricing, "selfPayPackagePrice", 0.25, () => Money(random, 20000));
            request["pricing"] = pricing;
        }

        if (random.Next(5) != 0)
        {
            var coverage = new JsonObject
            {
                ["status"] = random.Next(6) == 0 ? "inactive" : "active",
                ["network"] = random.Next(3) == 0 ? "out" : "in",
                ["planYearStart"] = random.Next(2) == 0 ? "01-01" : $"{random.Next(1, 13):00}-{random.Next(1, 29):00}",
                ["deductible"] = new JsonObject
                {
                    ["individual"] = Money(random, 5000),
                    ["family"] = Money(random, 10000),
                    ["embedded"] = random.Next(2) == 0,
                    ["appliesToService"] = random.Next(5) != 0,
                },
                ["copayPerDay"] = random.Next(3) == 0 ? Money(random, 100) : 0,
                ["copayCountsTowardOutOfPocket"] = random.Next(4) != 0,
                ["coinsurancePercent"] = Money(random, 50),
                ["priorAuthorizationRequired"] = random.Next(2) == 0,
            };
            Maybe(coverage, "coverageEndDate", 0.2, () => Iso(start.AddDays(random.Next(weeks * 7 + 30))));
            Maybe(coverage, "outOfPocketMax", 0.7, () => new JsonObject { ["individual"] = Money(random, 15000), ["family"] = Money(random, 30000) });
            Maybe(coverage, "visitLimitPerPlanYear", 0.25, () => random.Next(61));
            Maybe(coverage, "accumulators", 0.6, () => new JsonObject
            {
                ["deductibleIndividualMet"] = Money(random, 3000),
                ["deductibleFamilyMet"] = Money(random, 6000),
                ["outOfPocketIndividualMet"] = Money(random, 8000),
                ["outOfPocketFamilyMet"] = Money(random, 16000),
                ["visitsUsed"] = random.Next(40),
            });
            request["coverage"] = coverage;
        }

        if (random.Next(4) == 0)
        {
            var (weeksLow, weeksHigh) = Ordered(random.Next(1, 53), random.Next(1, 53));
            var (daysLow, daysHigh) = Ordered(random.Next(1, 8), random.Next(1, 8));
            request["range"] = new JsonObject
            {
                ["weeks"] = new JsonObject { ["min"] = weeksLow, ["max"] = weeksHigh },
                ["daysPerWeek"] = new JsonObject { ["min"] = daysLow, ["max"] = daysHigh },
            };
        }

        return request.ToJsonString();

        void Maybe(JsonObject parent, string name, double chance, Func<JsonNode> value)
        {
            if (random.NextDouble() < chance)
            {
                parent[name] = value();
            }
        }

        static (int Low, int High) Ordered(int a, int b) => a <= b ? (a, b) : (b, a);

        static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    // 0 to maxWhole with 0, 1 or 2 decimals as written (650, 650.5, 650.50), sometimes exactly zero.
    private static decimal Money(Random random, int maxWhole)
    {
        if (random.Next(10) == 0)
        {
            return 0m;
        }

        var scale = (byte)random.Next(3);
        var units = random.Next(maxWhole * (scale == 0 ? 1 : scale == 1 ? 10 : 100) + 1);
        return new decimal(units, 0, 0, isNegative: false, scale);
    }

    private sealed class StaticMonitor(RateCardOptions value) : IOptionsMonitor<RateCardOptions>
    {
        public RateCardOptions CurrentValue => value;

        public RateCardOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RateCardOptions, string?> listener) => null;
    }
}
