using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Authorizations;

/// <summary>
/// Issue #17: authorisations recorded on a verification of the sandbox PPO member (W100000001: $1,300 of a $1,500
/// deductible left, then 20 %; 40 sessions at $450 allowed from Monday 7 December 2026, the plan year resetting on
/// 1 January). The estimate, checked by hand (docs/contracts-and-authorizations.md):
/// December (19 sessions): 450 + 450 + 410 (400 deductible + 20 % of 50) + 16 × 90 = 2,750;
/// January (21 sessions, deductible again): 450 × 3 + 210 (150 + 20 % of 300) + 17 × 90 = 3,090; the program 5,840.
/// The first ten sessions (7–18 December) cost 450 + 450 + 410 + 7 × 90 = 1,940; the first five 1,490.
/// </summary>
internal sealed class AuthorizationsApiTests
{
    private const string Number = "AUTH-77X1";
    private const string ReviewerPhone = "(800) 555-0142";
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost(clock: _clock);

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    internal static object Approved(int days = 10, string status = "approved", string number = Number, string from = "2026-12-07", string to = "2027-01-05", string? review = "2026-12-16") => new
    {
        number,
        status,
        days,
        effectiveDate = from,
        expirationDate = to,
        nextReviewDate = review,
        reviewer = new { name = "R. NURSE", phone = ReviewerPhone },
    };

    private async Task<string> VerifyAsync()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var body = await VerificationsHost.ReadAsync(created);
        Assert.That((string?)body["status"], Is.EqualTo("completed"), body.ToJsonString());
        Assert.That(body["estimate"]!["authorization"], Is.Null, "no authorisation yet: no split");
        return (string)body["id"]!;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string verificationId, object authorization, string key = TestApiKeys.Admissions)
    {
        using var client = _host.Client(key);
        using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{verificationId}/authorizations", authorization);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private static JsonNode Split(JsonObject verification) => verification["estimate"]!["authorization"]!;

    private static string[] Warnings(JsonObject verification) => [.. verification["estimate"]!["warnings"]!.AsArray().Select(w => (string)w!)];

    [Test]
    public async Task Ten_approved_days_split_the_program_into_ten_within_and_thirty_beyond_with_the_patient_totals()
    {
        var id = await VerifyAsync();

        var (status, body) = await PostAsync(id, Approved());

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(Split(body).ToJsonString(), Is.EqualTo("""{"sessionsAuthorized":10,"sessionsBeyond":30,"patientWithinAuthorization":1940.00,"patientIfExtended":5840.00}"""));
            Assert.That((decimal?)body["estimate"]!["totals"]!["patient"], Is.EqualTo(5840.00m), "the totals are the whole program");
            Assert.That(Warnings(body), Does.Contain("beyond-authorization").And.Not.Contain("authorization-denied"));
            Assert.That(body["estimate"]!["warningMessages"]!.AsArray().Select(m => (string?)m!["code"]), Does.Contain("beyond-authorization"));
        });

        // GET shows the same, with the authorisation as recorded.
        using var client = _host.Client(TestApiKeys.Finance);
        var read = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/verifications/{id}"))!;
        var recorded = read["authorizations"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(Split(read).ToJsonString(), Is.EqualTo(Split(body).ToJsonString()));
            Assert.That((string?)recorded["number"], Is.EqualTo(Number));
            Assert.That((string?)recorded["status"], Is.EqualTo("approved"));
            Assert.That((string?)recorded["nextReviewDate"], Is.EqualTo("2026-12-16"));
            Assert.That((string?)recorded["reviewer"]!["phone"], Is.EqualTo(ReviewerPhone));
            Assert.That((string?)recorded["createdBy"], Is.EqualTo("test-admissions"));
            Assert.That(recorded["supersededBy"], Is.Null);
        });

        var audit = _host.Factory.Services.GetRequiredService<AuditStore>();
        var entries = await audit.ListForRecordAsync(AuditRecordTypes.Authorization, (string)recorded["id"]!, CancellationToken.None);
        var onVerification = await audit.ListForRecordAsync(AuditRecordTypes.Verification, id, CancellationToken.None);
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "create" }));
        Assert.That(onVerification.Select(e => e.Action), Does.Contain("update"), "the re-priced result");
        Assert.That(_host.Logs.Lines, Has.None.Contains(Number).And.None.Contains("555-0142"), "the number and the reviewer's phone are never logged");
    }

    [Test]
    public async Task A_later_record_of_the_same_number_supersedes_the_earlier_one()
    {
        var id = await VerifyAsync();
        await PostAsync(id, Approved(status: "requested", days: 20, review: null));

        var (status, body) = await PostAsync(id, Approved(status: "partial", days: 5, number: " auth-77x1 "));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        var list = body["authorizations"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(Split(body).ToJsonString(), Is.EqualTo("""{"sessionsAuthorized":5,"sessionsBeyond":35,"patientWithinAuthorization":1490.00,"patientIfExtended":5840.00}"""),
                "450 + 450 + 410 + 90 + 90; the requested 20 days no longer count");
            Assert.That(list, Has.Count.EqualTo(2));
            Assert.That((string?)list[0]!["supersededBy"], Is.EqualTo((string?)list[1]!["id"]));
        });
    }

    [Test]
    public async Task A_denied_authorization_leaves_every_session_beyond_with_the_denied_warning()
    {
        var id = await VerifyAsync();

        var (_, body) = await PostAsync(id, Approved(status: "denied", number: "DEN-1"));

        Assert.That(Split(body).ToJsonString(), Is.EqualTo("""{"sessionsAuthorized":0,"sessionsBeyond":40,"patientWithinAuthorization":0.00,"patientIfExtended":5840.00}"""));
        Assert.That(Warnings(body), Does.Contain("authorization-denied").And.Not.Contain("beyond-authorization"));
    }

    [Test]
    public async Task Only_admissions_and_admin_record_authorizations_and_finance_may_read_them()
    {
        var id = await VerifyAsync();
        using var anonymous = _host.Client(null);
        using var unauthenticated = await anonymous.PostAsJsonAsync($"/api/v1/verifications/{id}/authorizations", Approved());

        var website = await PostAsync(id, Approved(), TestApiKeys.Website);
        var finance = await PostAsync(id, Approved(), TestApiKeys.Finance);
        var admin = await PostAsync(id, Approved(number: "ADMIN-1"), TestApiKeys.Admin);
        using var financeClient = _host.Client(TestApiKeys.Finance);
        using var list = await financeClient.GetAsync($"/api/v1/verifications/{id}/authorizations");

        Assert.That(
            (unauthenticated.StatusCode, website.Status, finance.Status, admin.Status, list.StatusCode),
            Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Created, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Every_bad_field_is_named_without_echoing_it_and_an_unknown_verification_is_404()
    {
        var id = await VerifyAsync();

        var (status, problem) = await PostAsync(id, new
        {
            number = "",
            status = "maybe",
            days = 400,
            effectiveDate = "2027-01-10",
            expirationDate = "2027-01-09",
            nextReviewDate = "2027-01-01",
            reviewer = new { name = "R", phone = "call 555-SECRET" },
        });
        var missing = await PostAsync(Guid.CreateVersion7().ToString(), Approved());

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.EquivalentTo(new[] { "number", "status", "days", "expirationDate", "nextReviewDate", "reviewer.phone" }));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("maybe").And.Not.Contain("SECRET"));
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Reviews_due_in_three_days_and_expiring_authorizations_are_listed_with_today_in_the_programs_time_zone()
    {
        // A host of its own: its clock moves forward only, and no other test's authorisations are in its lists.
        var clock = new FakeTimeProvider(TestClock.Start);
        using var host = new VerificationsHost(clock: clock);
        async Task<string> VerifyOnAsync()
        {
            using var client = host.Client(TestApiKeys.Admissions);
            using var created = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
            return (string)(await VerificationsHost.ReadAsync(created))["id"]!;
        }

        async Task RecordAsync(string id, object authorization)
        {
            using var client = host.Client(TestApiKeys.Admissions);
            using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{id}/authorizations", authorization);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var due = await VerifyOnAsync();
        var later = await VerifyOnAsync();
        var expiring = await VerifyOnAsync();
        await RecordAsync(due, Approved(number: "DUE-1", review: "2026-12-17", to: "2027-01-05"));
        await RecordAsync(later, Approved(number: "LATER-1", review: "2026-12-18", to: "2027-01-05"));
        await RecordAsync(expiring, Approved(number: "EXP-1", review: null, to: "2026-12-14"));
        await RecordAsync(expiring, Approved(number: "DEN-2", status: "denied", review: "2026-12-15", to: "2026-12-15"));

        // 07:30 UTC on 15 December is 23:30 on the 14th in Los Angeles: today is the 14th, the next three days run to the 17th.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 7, 30, 0, TimeSpan.Zero));
        using var reader = host.Client(TestApiKeys.Admissions);
        var body = (await reader.GetFromJsonAsync<JsonObject>("/api/v1/authorizations/due"))!;
        using var bad = await reader.GetAsync("/api/v1/authorizations/due?days=99");

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["today"], Is.EqualTo("2026-12-14"));
            Assert.That((string?)body["through"], Is.EqualTo("2026-12-17"));
            Assert.That(body["reviewsDue"]!.AsArray().Select(r => (string?)r!["verificationId"]).ToArray(), Is.EqualTo(new[] { due }),
                "17 December is due; the 18th is not yet; denied ones never");
            Assert.That((bool?)body["reviewsDue"]![0]!["reviewOverdue"], Is.False);
            Assert.That(body["expiring"]!.AsArray().Select(r => (string?)r!["verificationId"]).ToArray(), Is.EqualTo(new[] { expiring }),
                "expires on the 14th, today there (the 15th in UTC)");
            Assert.That(body.ToJsonString(), Does.Not.Contain("DUE-1").And.Not.Contain("555-0142"), "no PHI in the lists");
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }
}
