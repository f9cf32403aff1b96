using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>"Verify coverage today" end to end: the API, the sandbox clearinghouse over HTTP, storage, the worker.</summary>
internal sealed class VerificationsApiTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [TearDown]
    public Task Heal() => _host.SetFaultsAsync(new FaultSettings(Http503: 0, Http429: 0, Timeout: 0, Aaa42: 0));

    internal static object Request(string first, string last, string dob, string payerId, string memberId, bool consent = true, bool program = true, string? patientRef = null) => new
    {
        patient = new { firstName = first, lastName = last, dateOfBirth = dob },
        insurance = new { payerId, memberId, groupNumber = (string?)null },
        dateOfService = "2026-12-01",
        consent = new { obtained = consent, method = "verbal" },
        program = program ? new { startDate = "2026-12-07", weeks = 8, daysPerWeek = 5 } : null,
        pricing = new { chargePerDay = 450.00m },
        patientRef,
    };

    internal static object PpoMember => Request("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001");

    [Test]
    public async Task A_sandbox_PPO_member_is_verified_in_real_time_with_benefits_and_estimate()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember);
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/verifications/{body["id"]}"));
        Assert.That((string?)body["status"], Is.EqualTo("completed"));
        var inNetwork = body["coverage"]!["inNetwork"]!;
        Assert.Multiple(() =>
        {
            Assert.That((bool?)body["coverage"]!["active"], Is.True);
            Assert.That((string?)body["payer"]!["name"], Is.EqualTo("AETNA"));
            Assert.That((decimal?)inNetwork["deductible"]!["individual"]!["total"], Is.EqualTo(1500m));
            Assert.That((decimal?)inNetwork["deductible"]!["individual"]!["remaining"], Is.EqualTo(1300m));
            Assert.That((decimal?)inNetwork["coinsurancePercent"], Is.EqualTo(20m));
            Assert.That((bool?)inNetwork["priorAuthorizationRequired"], Is.True);
        });

        // 40 sessions at $450 allowed from 7 December: the $1,300 left this plan year, then the plan year resets on
        // 1 January (plan begin 01-01) and the full $1,500 applies again.
        var estimate = body["estimate"]!;
        Assert.Multiple(() =>
        {
            Assert.That((int?)estimate["sessions"], Is.EqualTo(40));
            Assert.That((decimal?)estimate["breakdown"]!["deductible"], Is.EqualTo(1300m + 1500m));
            Assert.That(estimate["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("plan-year-reset"));
            Assert.That((decimal?)estimate["totals"]!["patient"] + (decimal?)estimate["totals"]!["payer"], Is.EqualTo((decimal?)estimate["totals"]!["allowed"]));
            Assert.That(estimate["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("prior-authorization-required"));
            Assert.That(estimate["range"]!["low"], Is.Not.Null);
            Assert.That(estimate["range"]!["high"], Is.Not.Null);
        });
    }

    [Test]
    public async Task A_verification_is_read_back_by_id_and_every_read_is_audited()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember);
        var id = (string)(await VerificationsHost.ReadAsync(created))["id"]!;

        using var read = await client.GetAsync($"/api/v1/verifications/{id}");
        var body = await VerificationsHost.ReadAsync(read);
        using var finance = _host.Client(TestApiKeys.Finance);
        using var financeRead = await finance.GetAsync($"/api/v1/verifications/{id}");

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(financeRead.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["insurance"]!["memberId"], Is.EqualTo("W100000001"));
        var audit = await _host.Factory.Services.GetRequiredService<AuditStore>()
            .ListForRecordAsync(AuditRecordTypes.Verification, id, CancellationToken.None);
        Assert.That(audit.Select(a => (a.Actor, a.Action)), Is.SupersetOf(new[]
        {
            ("test-admissions", AuditActions.Create),
            ("test-admissions", AuditActions.Read),
            ("test-finance", AuditActions.Read),
        }));
    }

    [Test]
    public async Task Without_consent_the_request_is_refused_and_nothing_is_asked()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            Request("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001", consent: false));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "consent.obtained" }));
    }

    [Test]
    public async Task Every_bad_field_is_named_in_one_problem()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var request = new
        {
            patient = new { firstName = "", lastName = "X", dateOfBirth = "1985-02-30" },
            insurance = new { payerId = "60054", memberId = "W1<script>" },
            consent = new { obtained = true },
            program = new { startDate = "2026-12-07", weeks = 60, daysPerWeek = 0 },
            pricing = new { chargePerDay = -1 },
        };

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "patient.firstName", "patient.dateOfBirth", "insurance.memberId", "consent.method", "program.weeks", "program.daysPerWeek", "pricing.chargePerDay",
        }));
    }

    [TestCase("{ not json")]
    [TestCase("""{"patient": {"firstName": 5}}""")]
    [TestCase("""{"program": {"weeks": "eight"}}""")]
    [TestCase("[]")]
    public async Task Malformed_json_is_a_400_problem_never_a_500(string json)
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsync("/api/v1/verifications", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Every_field_of_the_wrong_type_is_named_in_one_answer_without_echoing_its_value()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        const string json = """
            {"patient": {"firstName": 5, "LastName": "Rivera", "dateOfBirth": 19800101},
             "insurance": "60054",
             "dateOfService": "2026-12-01",
             "consent": {"obtained": "yes", "method": "verbal"},
             "program": {"startDate": "2026-12-07", "weeks": "eight", "daysPerWeek": "4"},
             "pricing": {"chargePerDay": true}}
            """;

        using var response = await client.PostAsync("/api/v1/verifications", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await VerificationsHost.ReadAsync(response);
        var errors = problem["errors"]!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "patient.firstName", "patient.dateOfBirth", "insurance", "consent.obtained", "program.weeks", "pricing.chargePerDay",
        }), "every wrong type at once; lastName matched case-insensitively, daysPerWeek read from text; the first name is not also 'required'");
        Assert.That((string?)errors["patient.dateOfBirth"]![0], Is.EqualTo("Must be a date as YYYY-MM-DD."));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("19800101").And.Not.Contain("Rivera"));
    }

    [Test]
    public async Task A_duplicate_key_is_refused_not_read_as_the_last_one_issue_14()
    {
        // "obtained": false, then true: a reader that keeps the last value and one that keeps the first disagree on
        // whether consent was given. The body is refused, naming the field, and nothing reaches a payer.
        using var client = _host.Client(TestApiKeys.Admissions);
        const string json = """
            {"patient": {"firstName": "AVA", "lastName": "PPOSAMPLE", "dateOfBirth": "1985-04-12"},
             "insurance": {"payerId": "60054", "memberId": "W100000001"},
             "consent": {"obtained": false, "obtained": true, "method": "verbal"}}
            """;

        using var response = await client.PostAsync("/api/v1/verifications", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "consent.obtained" }));
        Assert.That(response.Headers.Location, Is.Null);
    }

    [TestCase("9999-12-31")]
    [TestCase("0001-01-01")]
    public async Task A_start_date_at_the_end_of_the_calendar_is_a_bad_field_not_a_500_issue_14(string start)
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var json = $$$"""
            {"patient": {"firstName": "AVA", "lastName": "PPOSAMPLE", "dateOfBirth": "1985-04-12"},
             "insurance": {"payerId": "60054", "memberId": "W100000001"},
             "consent": {"obtained": true, "method": "verbal"},
             "program": {"startDate": "{{{start}}}", "weeks": 12, "daysPerWeek": 5}}
            """;

        using var response = await client.PostAsync("/api/v1/verifications", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "program.startDate" }));
    }

    [Test]
    public async Task A_repeated_idempotency_key_returns_the_same_verification()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync(client, PpoMember, key);
        using var second = await PostAsync(client, PpoMember, key);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await VerificationsHost.ReadAsync(second))["id"], Is.EqualTo((string?)(await VerificationsHost.ReadAsync(first))["id"]));
    }

    [Test]
    public async Task Member_not_found_is_reported_as_AAA_75_for_a_person_to_correct()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", Request("NO", "SUCHPERSON", "1980-01-01", SandboxCatalogue.Aetna, "W999999999"));
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((string?)body["status"], Is.EqualTo("needs-review"));
        Assert.That((string?)body["errors"]![0]!["code"], Is.EqualTo("75"));
        Assert.That((bool?)body["errors"]![0]!["retryable"], Is.False);
        Assert.That((int?)body["attempts"], Is.EqualTo(1), "a data error is not retried");
    }

    [Test]
    public async Task Payer_unavailable_AAA_42_is_queued_retried_with_backoff_then_sent_to_review()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"));
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((string?)body["status"], Is.EqualTo("queued"));
        Assert.That((string?)body["lastErrorCode"], Is.EqualTo("42"));
        var final = await VerificationsHost.WaitForAsync(client, response.Headers.Location!.ToString(), TimeSpan.FromSeconds(30), "needs-review");
        Assert.That((int?)final["attempts"], Is.GreaterThan(6), "AAA 42 is the payer's outage: it never counts against Verification:MaxAttempts (issue #14)");
        Assert.That((string?)final["lastError"], Does.StartWith("Gave up at"), "given up by time: Verification:GiveUpAfter (10 s in the tests)");
    }

    [Test]
    public async Task With_the_clearinghouse_down_a_verification_is_accepted_and_completes_when_it_recovers()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        await _host.SetFaultsAsync(new FaultSettings(Http503: 1.0));

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", Request("GUS", "COPAYONLY", "1988-06-21", SandboxCatalogue.Kaiser, "K200000001"));
        var queued = await VerificationsHost.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((string?)queued["status"], Is.EqualTo("queued"));
        Assert.That((string?)queued["lastErrorCode"], Does.StartWith("clearinghouse-"));

        await _host.SetFaultsAsync(new FaultSettings(Http503: 0));
        var done = await VerificationsHost.WaitForAsync(client, response.Headers.Location!.ToString(), TimeSpan.FromSeconds(30), "completed", "needs-review");

        Assert.That((string?)done["status"], Is.EqualTo("completed"));
        Assert.That((bool?)done["coverage"]!["active"], Is.True);
        Assert.That((int?)done["attempts"], Is.GreaterThan(1));
    }

    [Test]
    public async Task The_work_queue_lists_verifications_by_status_without_personal_data()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember);
        var id = (string?)(await VerificationsHost.ReadAsync(created))["id"];

        using var response = await client.GetAsync("/api/v1/verifications?status=completed&limit=500");
        var text = await response.Content.ReadAsStringAsync();
        var list = JsonNode.Parse(text)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list["items"]!.AsArray().Select(i => (string?)i!["id"]), Does.Contain(id));
        Assert.That(list["items"]!.AsArray().All(i => (string?)i!["status"] == "completed"), Is.True);
        Assert.That(text, Does.Not.Contain("W100000001").And.Not.Contain("PPOSAMPLE"));
    }

    [Test]
    public async Task An_unknown_status_filter_is_a_validation_problem()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.GetAsync("/api/v1/verifications?status=lost");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verifications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
