using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Infrastructure.Json;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Estimates;

internal sealed class EstimatesApiTests
{
    private const string Url = "/api/v1/estimates";
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [TestCase("S01-copay-only")]
    [TestCase("S08-out-of-network-balance-billing")]
    [TestCase("S11-self-pay-package-cap")]
    [TestCase("S14-range-estimate-8-12-weeks-3-5-days")]
    public async Task A_reference_case_matches_its_expected_numbers_over_the_wire(string id)
    {
        var @case = EstimateCases.Load(id);
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsJsonAsync(Url, @case["request"]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() => EstimateCases.AssertContains(body.RootElement, @case["expected"]));
        Assert.That(body.RootElement.TryGetProperty("sessionsDetail", out _), Is.False, "the ledger only with ?detail=sessions");
        Assert.That(body.RootElement.GetProperty("explanation").GetString(), Is.Not.Empty);
        Assert.That(body.RootElement.GetProperty("disclaimer").GetString(), Does.Contain("estimate"));
    }

    [Test]
    public async Task Concurrent_requests_over_kestrel_each_get_the_answer_to_their_own_body()
    {
        // The endpoint parses the body in place in Kestrel's buffers, which Kestrel reuses for the next request:
        // answers must not mix up bodies under load. Each body is answered once alone, then all at once.
        using var app = new ServiceApplication();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient(TestApiKeys.Website);
        var bodies = Enumerable.Range(0, 24).Select(i =>
        {
            var request = EstimateCases.Load("S14-range-estimate-8-12-weeks-3-5-days")["request"]!.DeepClone().AsObject();
            request["program"]!["weeks"] = 1 + i % 12;
            request["program"]!["daysPerWeek"] = 1 + i % 5;
            return request.ToJsonString();
        }).ToArray();
        var alone = new string[bodies.Length];
        for (var i = 0; i < bodies.Length; i++)
        {
            alone[i] = await Post(client, bodies[i]);
        }

        var together = await Task.WhenAll(Enumerable.Range(0, 20 * bodies.Length).Select(i => Post(client, bodies[i % bodies.Length])));

        Assert.That(alone.Distinct().Count(), Is.EqualTo(bodies.Length), "every body has its own answer");
        for (var i = 0; i < together.Length; i++)
        {
            Assert.That(together[i], Is.EqualTo(alone[i % bodies.Length]), $"request {i}");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_answer_is_the_feature_contexts_json_of_what_the_pricer_priced(bool sessions)
    {
        using var app = new ServiceApplication();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient(TestApiKeys.Website);
        var body = File.ReadAllText(Path.Combine(EstimateCases.RepositoryRoot(), "samples", "estimates", "iop-12-weeks-ppo.json"));

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(Url + (sessions ? "?detail=sessions" : ""), content);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(bytes));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        var pricer = app.Services.GetRequiredService<EstimatePricer>();
        var request = JsonSerializer.Deserialize(body, EstimatesJsonContext.Default.EstimateRequestDto)!;
        var errors = new FieldErrors();
        var input = EstimateRequestValidation.Validate(request, errors);
        Assert.That(errors.IsEmpty, Is.True);
        var expected = JsonSerializer.SerializeToUtf8Bytes(
            pricer.Estimate(input, sessions).Response!,
            EstimatesJsonContext.Default.EstimateResponse);
        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(Encoding.UTF8.GetString(expected)));
    }

    private static async Task<string> Post(HttpClient client, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(Url, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return text;
    }

    [Test]
    public async Task A_plain_estimate_says_what_it_assumed_and_words_each_warning_for_the_patient()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);
        const string body = """
            {"program":{"startDate":"2025-03-03","weeks":8,"daysPerWeek":3},
             "pricing":{"chargePerDay":650.00,"allowedPerDay":400.00},
             "coverage":{"status":"active","network":"in","coinsurancePercent":20,"priorAuthorizationRequired":true}}
            """;

        using var answer = JsonDocument.Parse(await Post(client, body));
        var root = answer.RootElement;
        var assumptions = root.GetProperty("assumptions").EnumerateArray().Select(a => a.GetString()).ToArray();
        var messages = root.GetProperty("warningMessages").EnumerateArray().ToArray();

        Assert.That(assumptions, Has.Some.Contains("No deductible was given"));
        Assert.That(assumptions, Has.Some.Contains("No out-of-pocket maximum was given"));
        Assert.That(assumptions, Has.None.Contains("copay or coinsurance"), "coinsurance was given");
        Assert.That(messages.Select(m => m.GetProperty("code").GetString()), Is.EqualTo(root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString())));
        Assert.That(messages.Select(m => m.GetProperty("message").GetString()), Has.Some.Contains("prior authorisation"));
    }

    [Test]
    public async Task A_fully_stated_estimate_has_no_assumptions_member()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);
        const string body = """
            {"program":{"startDate":"2025-03-03","weeks":8,"daysPerWeek":3},
             "pricing":{"chargePerDay":650.00,"allowedPerDay":400.00},
             "coverage":{"deductible":{"individual":1500},"outOfPocketMax":{"individual":6000},"coinsurancePercent":20,
                         "accumulators":{"deductibleIndividualMet":0}}}
            """;

        using var answer = JsonDocument.Parse(await Post(client, body));

        Assert.That(answer.RootElement.TryGetProperty("assumptions", out _), Is.False);
        Assert.That(answer.RootElement.TryGetProperty("totals", out _), Is.True);
    }

    [Test]
    public async Task Money_is_written_with_two_decimals_and_dates_as_iso_days()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsJsonAsync(Url, EstimateCases.Load("S01-copay-only")["request"]);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(text, Does.Contain("\"totals\":{\"charges\":15600.00,\"allowed\":9600.00,\"patient\":1200.00,\"payer\":8400.00}"));
        Assert.That(text, Does.Contain("\"firstSession\":\"2025-03-03\""));
        Assert.That(text, Does.Contain("{\"month\":\"2025-03\",\"sessions\":13,\"patient\":650.00,\"payer\":4550.00}"));
    }

    [Test]
    public async Task Detail_sessions_adds_the_day_by_day_ledger()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsJsonAsync(Url + "?detail=sessions", EstimateCases.Load("S05-copay-counts-toward-oop")["request"]);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var ledger = body.RootElement.GetProperty("sessionsDetail").EnumerateArray().ToArray();
        Assert.That(ledger, Has.Length.EqualTo(20));
        Assert.That(ledger[0].GetRawText(), Is.EqualTo(
            "{\"date\":\"2025-02-03\",\"charge\":650.00,\"allowed\":350.00,\"copay\":100.00,\"deductible\":0.00,\"coinsurance\":50.00,"
            + "\"balanceBill\":0.00,\"selfPay\":0.00,\"patient\":150.00,\"payer\":200.00}"));
        Assert.That(ledger.Sum(day => day.GetProperty("patient").GetDecimal()), Is.EqualTo(500m));
    }

    [Test]
    public async Task Without_pricing_or_a_configured_charge_the_answer_prices_the_published_range()
    {
        // The shipped rate card sets a charge (#17); a program that publishes only its range is priced over the range.
        using var app = new ServiceApplication(new Dictionary<string, string?>
        {
            ["RateCard:Iop:ChargePerDay"] = "",
            ["RateCard:Iop:AllowedPerDay"] = "",
            ["RateCard:Iop:SelfPayPerDay"] = "",
        });
        using var client = app.CreateClient(TestApiKeys.Website);
        var request = new JsonObject
        {
            ["program"] = new JsonObject { ["startDate"] = "2025-03-03", ["weeks"] = 8, ["daysPerWeek"] = 3 },
        };

        using var response = await client.PostAsJsonAsync(Url, request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Is.EqualTo(new[] { "charge-unknown", "self-pay" }));
        Assert.That(root.GetProperty("pricing").GetProperty("chargeKnown").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("totals").GetProperty("patient").GetDecimal(), Is.EqualTo(24 * 650m), "the main estimate uses the top of the range");
        var range = root.GetProperty("chargeRange");
        Assert.That(range.GetProperty("chargePerDayLow").GetDecimal(), Is.EqualTo(250m));
        Assert.That(range.GetProperty("low").GetProperty("totals").GetProperty("patient").GetDecimal(), Is.EqualTo(6000m));
        Assert.That(range.GetProperty("high").GetProperty("totals").GetProperty("patient").GetDecimal(), Is.EqualTo(15600m));
        Assert.That(root.GetProperty("explanation").GetString(), Does.StartWith("We do not know the program's daily charge")
            .And.Contain("$6,000.00 at $250.00 a day").And.Contain("$15,600.00 at $650.00 a day"));
    }

    [Test]
    public async Task A_configured_rate_card_fills_missing_pricing_field_by_field()
    {
        using var app = new ServiceApplication(new Dictionary<string, string?>
        {
            ["RateCard:Iop:ChargePerDay"] = "450.00",
            ["RateCard:Iop:SelfPayPerDay"] = "300.00",
            ["RateCard:Iop:SelfPayPackagePrice"] = "3000.00",
        });
        using var client = app.CreateClient();
        var request = new JsonObject
        {
            ["program"] = new JsonObject { ["startDate"] = "2025-03-03", ["weeks"] = 8, ["daysPerWeek"] = 3 },
            ["pricing"] = new JsonObject { ["selfPayPerDay"] = 200.00m },
        };

        using var response = await client.PostAsJsonAsync(Url, request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(root.GetProperty("pricing").GetRawText(), Is.EqualTo(
            "{\"chargePerDay\":450.00,\"allowedPerDay\":400.00,\"selfPayPerDay\":200.00,\"selfPayPackagePrice\":3000.00,\"chargeKnown\":true,\"chargeSource\":\"rateCard\"}"));
        Assert.That(root.GetProperty("totals").GetProperty("charges").GetDecimal(), Is.EqualTo(24 * 450m));
        Assert.That(root.GetProperty("breakdown").GetProperty("selfPay").GetDecimal(), Is.EqualTo(3000m), "15 days at $200 reach the package price");
        Assert.That(root.TryGetProperty("chargeRange", out _), Is.False);
    }

    public static IEnumerable<TestCaseData> BadRequests()
    {
        const string Valid = """
            {"program":{"startDate":"2025-03-03","weeks":8,"daysPerWeek":3},
             "pricing":{"chargePerDay":650.00,"allowedPerDay":400.00},
             "coverage":{"status":"active","network":"in","coinsurancePercent":20}}
            """;
        TestCaseData Case(string name, string body, params string[] fields) => new TestCaseData(body, fields).SetArgDisplayNames(name);

        yield return Case("daysPerWeek 9", Valid.Replace("\"daysPerWeek\":3", "\"daysPerWeek\":9"), "program.daysPerWeek");
        yield return Case("weeks 0", Valid.Replace("\"weeks\":8", "\"weeks\":0"), "program.weeks");
        yield return Case("weeks as text", Valid.Replace("\"weeks\":8", "\"weeks\":\"eight\""), "program.weeks");
        yield return Case("weeks 8.5", Valid.Replace("\"weeks\":8", "\"weeks\":8.5"), "program.weeks");
        yield return Case("malformed date", Valid.Replace("2025-03-03", "2025-02-30"), "program.startDate");
        yield return Case("date in another format", Valid.Replace("2025-03-03", "03/03/2025"), "program.startDate");
        yield return Case("coinsurance 150", Valid.Replace("\"coinsurancePercent\":20", "\"coinsurancePercent\":150"), "coverage.coinsurancePercent");
        yield return Case("network sideways", Valid.Replace("\"network\":\"in\"", "\"network\":\"sideways\""), "coverage.network");
        yield return Case("status maybe", Valid.Replace("\"status\":\"active\"", "\"status\":\"maybe\""), "coverage.status");
        yield return Case("negative money", Valid.Replace("\"chargePerDay\":650.00", "\"chargePerDay\":-650.00"), "pricing.chargePerDay");
        yield return Case("unknown weekday", Valid.Replace("\"daysPerWeek\":3", "\"daysPerWeek\":3,\"sessionWeekdays\":[\"Mon\",\"Funday\"]"), "program.sessionWeekdays[1]");
        yield return Case("bad plan year start", Valid.Replace("\"network\":\"in\"", "\"network\":\"in\",\"planYearStart\":\"13-01\""), "coverage.planYearStart");
        yield return Case("deductible not an object", Valid.Replace("\"network\":\"in\"", "\"network\":\"in\",\"deductible\":1500"), "coverage.deductible");
        yield return Case("duplicate session dates", Valid.Replace("\"startDate\":\"2025-03-03\"", "\"sessionDates\":[\"2025-03-03\",\"2025-03-03\"]"), "program.sessionDates");
        yield return Case("367 sessions", Valid.Replace("\"startDate\":\"2025-03-03\"", "\"sessionDates\":[" + string.Join(",", Enumerable.Range(0, 367).Select(i => $"\"{new DateOnly(2025, 1, 1).AddDays(i):yyyy-MM-dd}\"")) + "]"), "program.sessionDates");
        yield return Case("range min above max", Valid.Replace("\"coverage\"", "\"range\":{\"weeks\":{\"min\":12,\"max\":8},\"daysPerWeek\":{\"min\":3,\"max\":5}},\"coverage\""), "range.weeks");
        yield return Case("start at the end of the calendar (issue 14: was a 500)", Valid.Replace("2025-03-03", "9999-12-27"), "program.startDate");
        yield return Case("a session date at the end of the calendar", Valid.Replace("\"startDate\":\"2025-03-03\"", "\"sessionDates\":[\"9999-12-31\"]"), "program.sessionDates");
        yield return Case("no program", """{"pricing":{"chargePerDay":650.00}}""", "program");
        yield return Case("array body", "[]", "body");
        yield return Case("empty body", "", "body");
        yield return Case("truncated JSON", """{"program":{"startDate":"2025-03-03","weeks":""", "program.weeks");
        yield return Case("malformed value", """{"program":{"startDate":"2025-03-03","weeks":8,"daysPerWeek":tree}}""", "program.daysPerWeek");
        yield return Case("malformed array item", """{"program":{"sessionDates":["2025-03-03",oops]}}""", "program.sessionDates[1]");
        yield return Case("every bad field at once", """
            {"program":{"startDate":"2025-13-01","weeks":99,"daysPerWeek":0},
             "pricing":{"chargePerDay":-1,"allowedPerDay":"lots"},
             "coverage":{"status":"active","network":"sideways","coinsurancePercent":101,"accumulators":{"visitsUsed":-3}}}
            """,
            "program.startDate", "program.weeks", "program.daysPerWeek", "pricing.chargePerDay", "pricing.allowedPerDay",
            "coverage.network", "coverage.coinsurancePercent", "coverage.accumulators.visitsUsed");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task Bad_input_answers_400_problem_details_naming_every_bad_field(string body, string[] fields)
    {
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsync(Url, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(400));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(fields));
        Assert.That(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()), Is.All.Not.Empty);
    }

    [Test]
    public async Task An_unknown_detail_value_is_a_bad_field()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsJsonAsync(Url + "?detail=everything", EstimateCases.Load("S01-copay-only")["request"]);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "detail" }));
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);

        using var response = await client.PostAsync(Url, new StringContent("weeks=8", Encoding.UTF8, "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task An_oversized_body_is_413()
    {
        using var client = _app.CreateClient(TestApiKeys.Website);
        var body = "{\"program\":{\"closedDates\":[" + string.Join(",", Enumerable.Repeat("\"2025-01-01\"", 7000)) + "]}}";

        using var response = await client.PostAsync(Url, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task The_endpoint_is_in_the_openapi_document_with_its_request_schema()
    {
        using var client = _app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var post = document.RootElement.GetProperty("paths").GetProperty("/api/v1/estimates").GetProperty("post");
        Assert.That(post.GetProperty("operationId").GetString(), Is.EqualTo("CreateEstimate"));
        Assert.That(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), Is.True);
    }

    [Test]
    public async Task The_openapi_document_shows_the_records_choices_as_the_strings_the_api_reads_and_writes()
    {
        using var client = _app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        string?[] Choices(string name) => [.. schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString())];
        Assert.That(Choices("CoverageStatus"), Is.SupersetOf(new[] { "active", "inactive" }));
        Assert.That(Choices("NetworkStatus"), Is.SupersetOf(new[] { "in", "out" }));
        Assert.That(Choices("AaaClass"), Does.Contain("correct-data"));
        Assert.That(schemas.GetProperty("EstimateResponse").GetProperty("properties").TryGetProperty("assumptions", out _), Is.True);
    }
}
