using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Batches;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoverageCheck.Service.Tests.Consents;

/// <summary>
/// Consent as a record (42 CFR Part 2): recorded with each verification, shown with it, checked before every payer call
/// (real-time, worker, nightly re-verification, census row), and revoked so that no payer hears of the patient again.
/// Payer calls are counted at the sandbox clearinghouse itself (<c>/sandbox/stats</c>).
/// </summary>
internal sealed class ConsentTests
{
    private static object Request(string first, string last, string dob, string payerId, string memberId, object? consent = null) => new
    {
        patient = new { firstName = first, lastName = last, dateOfBirth = dob },
        insurance = new { payerId, memberId },
        dateOfService = "2026-12-01",
        consent = consent ?? new { obtained = true, method = "verbal" },
        program = new { startDate = "2026-12-07", weeks = 8, daysPerWeek = 5 },
    };

    private static object PpoMember(object? consent = null) => Request("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001", consent);

    private static object PayerDownMember => Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042");

    private static async Task<long> PayerCallsAsync(VerificationsHost host)
    {
        using var sandbox = await host.SandboxAsync();
        var stats = await sandbox.GetFromJsonAsync<JsonObject>("/sandbox/stats");
        return (long)stats!["requests"]!;
    }

    private static async Task<JsonObject> RevokeAsync(HttpClient client, string consentId, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/consents/{consentId}/revocation", new { method = "written", reason = "Letter from the patient" });
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return await VerificationsHost.ReadAsync(response);
    }

    [Test]
    public async Task A_verification_records_its_consent_and_answers_with_it()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        var body = await VerificationsHost.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());

        var consent = body["consent"]!;
        var programEnd = ProgramInfo.LastDay(new DateOnly(2026, 12, 7), 8);
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse((string?)consent["id"], out _), Is.True);
            Assert.That((string?)consent["state"], Is.EqualTo("active"));
            Assert.That((string?)consent["givenBy"], Is.EqualTo("patient"));
            Assert.That((string?)consent["method"], Is.EqualTo("verbal"));
            Assert.That((string?)consent["attestedBy"], Is.EqualTo("test-admissions"));
            Assert.That((string?)consent["scope"]!["payerId"], Is.EqualTo(SandboxCatalogue.Aetna));
            Assert.That((string?)consent["scope"]!["purpose"], Is.EqualTo("eligibility"));
            Assert.That((DateTimeOffset?)consent["givenAt"], Is.EqualTo(host.Factory.Clock.GetUtcNow()).Within(TimeSpan.FromMinutes(1)));
            // The end of the day, 90 days after the program's last day.
            Assert.That((DateTimeOffset?)consent["expiresAt"], Is.EqualTo(new DateTimeOffset(programEnd.AddDays(91).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
            Assert.That(consent["revokedAt"], Is.Null);
        });

        using var read = await client.GetAsync($"/api/v1/consents/{consent["id"]}");
        var record = await VerificationsHost.ReadAsync(read);
        Assert.That((string?)record["id"], Is.EqualTo((string?)consent["id"]));
        var audit = await host.Factory.Services.GetRequiredService<AuditStore>()
            .ListForRecordAsync(AuditRecordTypes.Consent, (string)consent["id"]!, CancellationToken.None);
        Assert.That(audit.Select(a => (a.Action, a.Actor)), Is.EqualTo(new[] { (AuditActions.Create, "test-admissions"), (AuditActions.Read, "test-admissions") }));
    }

    [Test]
    public async Task Consent_terms_are_checked_and_a_bad_or_expired_consent_is_a_400_naming_the_field()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        var calls = await PayerCallsAsync(host);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember(new
        {
            obtained = true,
            method = "telepathy",
            givenBy = "neighbour",
            givenAt = "2025-01-01T00:00:00Z",
            expiresAt = "2025-06-01T00:00:00Z",
        }));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "consent.method", "consent.givenBy", "consent.expiresAt" }));
        Assert.That(await PayerCallsAsync(host), Is.EqualTo(calls), "nothing was asked");
    }

    [Test]
    public async Task After_a_revocation_no_payer_hears_of_the_patient_again_not_even_at_night()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        using var first = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        var verified = await VerificationsHost.ReadAsync(first);
        Assert.That((string?)verified["status"], Is.EqualTo("completed"));
        var consentId = (string)verified["consent"]!["id"]!;

        var revoked = await RevokeAsync(client, consentId);
        Assert.Multiple(() =>
        {
            Assert.That((string?)revoked["state"], Is.EqualTo("revoked"));
            Assert.That((string?)revoked["revokedBy"], Is.EqualTo("test-admissions"));
            Assert.That((string?)revoked["revocationMethod"], Is.EqualTo("written"));
            Assert.That(revoked["revokedAt"], Is.Not.Null);
        });

        // The nightly re-verification re-uses the consent on file: it is checked, and the payer is not called.
        var calls = await PayerCallsAsync(host);
        var nightly = host.Factory.Services.GetServices<IHostedService>().OfType<ReverificationService>().Single();
        Assert.That(await nightly.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        var store = host.Factory.Services.GetRequiredService<VerificationStore>();
        var recheck = (await store.ListAsync(new VerificationQuery { Limit = 10 }, CancellationToken.None)).Items.First(i => i.CreatedBy == "re-verification");
        var stopped = await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{recheck.Id}", TimeSpan.FromSeconds(30), "completed", "needs-review");

        Assert.Multiple(async () =>
        {
            Assert.That((string?)stopped["status"], Is.EqualTo("needs-review"));
            Assert.That((string?)stopped["lastErrorCode"], Is.EqualTo("consent-revoked"));
            Assert.That((string?)stopped["consent"]!["state"], Is.EqualTo("revoked"));
            Assert.That(await PayerCallsAsync(host), Is.EqualTo(calls), "the payer was not asked");
        });

        // The next night does not even queue it again, and the audit trail shows who revoked it.
        Assert.That(await nightly.RunOnceAsync(CancellationToken.None), Is.Zero);
        var audit = await host.Factory.Services.GetRequiredService<AuditStore>().ListForRecordAsync(AuditRecordTypes.Consent, consentId, CancellationToken.None);
        Assert.That(audit.Select(a => a.Action), Does.Contain(AuditActions.Revoke));

        // A consent given after the revocation is a new permission: the patient may be verified again.
        using var again = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        Assert.That((string?)(await VerificationsHost.ReadAsync(again))["status"], Is.EqualTo("completed"));
    }

    [Test]
    public async Task Queued_work_stops_at_once_when_its_consent_is_revoked()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:RealTimeBudget"] = "00:00:01" });
        using var client = host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", PayerDownMember);
        var queued = await VerificationsHost.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), queued.ToJsonString());

        await RevokeAsync(client, (string)queued["consent"]!["id"]!);

        var stopped = await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{queued["id"]}", TimeSpan.FromSeconds(30), "needs-review", "completed");
        Assert.That((string?)stopped["lastErrorCode"], Is.EqualTo("consent-revoked"));
        var calls = await PayerCallsAsync(host);
        await Task.Delay(1500);
        Assert.That(await PayerCallsAsync(host), Is.EqualTo(calls), "nothing more reaches the payer");
    }

    [Test]
    public async Task A_revocation_reaches_every_consent_on_file_for_that_member_and_older_dated_ones_that_come_later()
    {
        using var host = new VerificationsHost();
        using var admissions = host.Client(TestApiKeys.Admissions);
        using var one = await admissions.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        using var two = await admissions.PostAsJsonAsync("/api/v1/verifications", PpoMember(new { obtained = true, method = "written", givenBy = "representative" }));
        var first = await VerificationsHost.ReadAsync(one);
        var second = await VerificationsHost.ReadAsync(two);
        Assert.That((string?)second["consent"]!["givenBy"], Is.EqualTo("representative"));

        await RevokeAsync(admissions, (string)first["consent"]!["id"]!);

        using var other = await admissions.GetAsync($"/api/v1/consents/{second["consent"]!["id"]}");
        Assert.That((string?)(await VerificationsHost.ReadAsync(other))["state"], Is.EqualTo("revoked"), "the member's other consent is revoked with it");

        // A census dated before the revocation arrives afterwards: its consent is already withdrawn.
        using var finance = host.Client(TestApiKeys.Finance);
        var census = Census.Header + "\nLATE-1,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00,verbal,2026-11-20\n";
        var calls = await PayerCallsAsync(host);
        using var upload = await finance.PostAsync("/api/v1/batches", new StringContent(census, Encoding.UTF8, "text/csv"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await upload.Content.ReadAsStringAsync());
        var batches = host.Factory.Services.GetRequiredService<VerificationStore>();
        var row = (await batches.ListAsync(new VerificationQuery { Limit = 10, CreatedBy = "test-finance" }, CancellationToken.None)).Items.Single();
        var result = await VerificationsHost.WaitForAsync(admissions, $"/api/v1/verifications/{row.Id}", TimeSpan.FromSeconds(30), "needs-review", "completed");

        Assert.That((string?)result["lastErrorCode"], Is.EqualTo("consent-revoked"));
        Assert.That(await PayerCallsAsync(host), Is.EqualTo(calls));
    }

    [Test]
    public async Task A_census_row_s_consent_is_recorded_as_given_and_attested_by_the_uploader()
    {
        using var host = new VerificationsHost();
        using var finance = host.Client(TestApiKeys.Finance);
        var census = string.Join('\n',
            "patient_ref,first_name,last_name,date_of_birth,payer_id,member_id,group_number,program_start,days_per_week,weeks,charge_per_day,consent_method,consent_date,consent_expires,consent_given_by",
            "C-1,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00,written,2026-11-18,2027-06-30,representative",
            "C-2,BEN,DEDMET,1979-09-30,60054,W100000002,AET100,2026-12-07,5,8,450.00,,,,") + "\n";
        using var upload = await finance.PostAsync("/api/v1/batches", new StringContent(census, Encoding.UTF8, "text/csv"));
        var created = await VerificationsHost.ReadAsync(upload);
        Assert.That(created["errors"]!.AsArray().Select(e => ((int)e!["line"]!, (string?)e["code"])), Is.EqualTo(new[] { (3, (string?)"consent-missing") }));

        var row = (await host.Factory.Services.GetRequiredService<VerificationStore>()
            .ListAsync(new VerificationQuery { Limit = 10 }, CancellationToken.None)).Items.Single();
        using var admissions = host.Client(TestApiKeys.Admissions);
        var verification = await VerificationsHost.WaitForAsync(admissions, $"/api/v1/verifications/{row.Id}", TimeSpan.FromSeconds(30), "completed", "needs-review");
        var consent = verification["consent"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)verification["status"], Is.EqualTo("completed"));
            Assert.That((string?)consent["method"], Is.EqualTo("written"));
            Assert.That((string?)consent["givenBy"], Is.EqualTo("representative"));
            Assert.That((string?)consent["attestedBy"], Is.EqualTo("test-finance"));
            Assert.That((string?)consent["source"], Is.EqualTo("census"));
            Assert.That((DateTimeOffset?)consent["givenAt"], Is.EqualTo(new DateTimeOffset(2026, 11, 18, 0, 0, 0, TimeSpan.Zero)));
            Assert.That((DateTimeOffset?)consent["expiresAt"], Is.EqualTo(new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public async Task A_verification_stored_without_a_consent_record_is_never_sent()
    {
        using var host = new VerificationsHost();
        var store = host.Factory.Services.GetRequiredService<VerificationStore>();
        var calls = await PayerCallsAsync(host);

        // As every census row was stored before consent records: "obtained" stamped on, no record behind it.
        var legacy = WorkerTests.Payload("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001") with { Consent = new ConsentInfo(true, "census") };
        var inserted = await store.InsertAsync(
            new NewVerification { PayerId = SandboxCatalogue.Aetna, MemberId = "W100000001", PayloadJson = VerificationJson.Write(legacy) },
            new AccessContext("test", Roles.Admin, "test"),
            CancellationToken.None);

        using var client = host.Client(TestApiKeys.Admissions);
        var result = await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{inserted.Record.Id}", TimeSpan.FromSeconds(30), "needs-review", "completed");
        Assert.That((string?)result["lastErrorCode"], Is.EqualTo("consent-missing"));
        Assert.That(result["consent"], Is.Null);
        Assert.That(await PayerCallsAsync(host), Is.EqualTo(calls));
    }

    [Test]
    public async Task A_consent_covers_only_its_payer_and_only_until_it_expires()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        var id = Guid.Parse((string)(await VerificationsHost.ReadAsync(response))["id"]!);
        var record = await host.Factory.Services.GetRequiredService<VerificationStore>().GetAsync(id, new AccessContext("test", Roles.Admin, "test"), CancellationToken.None);
        var payload = VerificationJson.ReadPayload(record!.PayloadJson);
        var consents = host.Factory.Services.GetRequiredService<ConsentStore>();
        var now = host.Factory.Clock.GetUtcNow();

        var today = await consents.CheckAsync(payload, now, CancellationToken.None);
        var otherPayer = await consents.CheckAsync(payload with { Insurance = payload.Insurance with { PayerId = SandboxCatalogue.Humana } }, now, CancellationToken.None);
        var afterExpiry = await consents.CheckAsync(payload, payload.Consent.ExpiresAt!.Value.AddMinutes(1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(today.Allowed, Is.True);
            Assert.That((otherPayer.Allowed, otherPayer.Code), Is.EqualTo((false, (string?)ConsentErrorCodes.Missing)));
            Assert.That((afterExpiry.Allowed, afterExpiry.Code), Is.EqualTo((false, (string?)ConsentErrorCodes.Missing)));
            Assert.That(afterExpiry.Reason, Does.Contain("expired"));
        });
    }

    [Test]
    public async Task Revoking_needs_how_it_was_revoked_and_admissions()
    {
        using var host = new VerificationsHost();
        using var admissions = host.Client(TestApiKeys.Admissions);
        using var response = await admissions.PostAsJsonAsync("/api/v1/verifications", PpoMember());
        var consentId = (string)(await VerificationsHost.ReadAsync(response))["consent"]!["id"]!;

        using var noMethod = await admissions.PostAsJsonAsync($"/api/v1/consents/{consentId}/revocation", new { reason = "x" });
        var problem = await VerificationsHost.ReadAsync(noMethod);
        using var finance = host.Client(TestApiKeys.Finance);
        using var byFinance = await finance.PostAsJsonAsync($"/api/v1/consents/{consentId}/revocation", new { method = "verbal" });
        using var unknown = await admissions.PostAsJsonAsync($"/api/v1/consents/{Guid.NewGuid()}/revocation", new { method = "verbal" });
        using var anonymous = host.Client(null);
        using var byNobody = await anonymous.GetAsync($"/api/v1/consents/{consentId}");

        Assert.Multiple(() =>
        {
            Assert.That(noMethod.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "method" }));
            Assert.That(byFinance.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(byNobody.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });

        var firstTime = await RevokeAsync(admissions, consentId);
        var secondTime = await RevokeAsync(admissions, consentId);
        Assert.That((string?)secondTime["revokedAt"], Is.EqualTo((string?)firstTime["revokedAt"]), "revoked once; a repeat changes nothing");
    }
}
