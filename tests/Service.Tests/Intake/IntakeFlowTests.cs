using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Intake;

/// <summary>
/// A consented web request end to end (issue #18): a consent record (electronic, by the patient, the text version read),
/// a verification queued under it and answered by the sandbox clearinghouse, and the request in the admissions list
/// with its callback preference; an unknown insurer waits for staff to pick the payer.
/// </summary>
internal sealed class IntakeFlowTests
{
    private static VerificationsHost Host() => new(IntakeClient.Settings(("Intake:MinimumFillTime", "00:00:00")));

    private static async Task<JsonObject> OnlyRequestAsync(HttpClient admissions)
    {
        var list = await admissions.GetFromJsonAsync<JsonObject>("/api/v1/intake/requests");
        var items = list!["items"]!.AsArray();
        Assert.That(items, Has.Count.EqualTo(1));
        return items[0]!.AsObject();
    }

    [Test]
    public async Task A_consented_request_records_its_consent_queues_a_verification_and_reaches_admissions()
    {
        using var host = Host();
        using var website = host.Client(apiKey: null);
        using var admissions = host.Client(TestApiKeys.Admissions);

        var consent = await IntakeClient.ConsentAsync(website);
        using var response = await website.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, payerId: SandboxCatalogue.Aetna));
        var ack = await VerificationsHost.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), ack.ToJsonString());
        Assert.That(ack.ToJsonString(), Does.Not.Contain("PPOSAMPLE").And.Not.Contain("covered").And.Not.Contain("active"));

        var request = await OnlyRequestAsync(admissions);
        Assert.Multiple(() =>
        {
            Assert.That((string?)request["reference"], Is.EqualTo((string?)ack["reference"]));
            Assert.That((string?)request["source"], Is.EqualTo("website"));
            Assert.That((string?)request["callback"]!["status"], Is.EqualTo("new"));
            Assert.That((string?)request["callback"]!["phone"], Is.EqualTo("(555) 201-3344"));
            Assert.That((string?)request["callback"]!["bestTime"], Is.EqualTo("weekday mornings"));
            Assert.That((bool?)request["callback"]!["mayLeaveMessage"], Is.True);
            Assert.That((bool?)request["payerKnown"], Is.True);
        });

        var verificationId = (string)request["verificationId"]!;
        var verification = await VerificationsHost.WaitForAsync(admissions, $"/api/v1/verifications/{verificationId}", TimeSpan.FromSeconds(30), "completed", "failed", "needs-review");
        Assert.That((string?)verification["status"], Is.EqualTo("completed"), verification.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That((string?)verification["consent"]!["id"], Is.EqualTo((string?)request["consentId"]));
            Assert.That((string?)verification["consent"]!["method"], Is.EqualTo("electronic"));
            Assert.That((string?)verification["consent"]!["givenBy"], Is.EqualTo("patient"));
            Assert.That((string?)verification["consent"]!["attestedBy"], Is.EqualTo("website"));
            Assert.That((string?)verification["consent"]!["scope"]!["payerId"], Is.EqualTo(SandboxCatalogue.Aetna));
        });

        using var record = await admissions.GetAsync($"/api/v1/consents/{request["consentId"]}");
        Assert.That((string?)(await VerificationsHost.ReadAsync(record))["textVersion"], Is.EqualTo((string?)consent["version"]));

        var audit = await host.Factory.Services.GetRequiredService<AuditStore>().ListForRecordAsync("intake-request", (string)request["id"]!, CancellationToken.None);
        Assert.That(audit.Select(entry => entry.Action), Does.Contain("create").And.Contain("read"));
    }

    [Test]
    public async Task Nothing_the_visitor_sent_is_logged_or_stored_in_plain_text()
    {
        using var host = Host();
        using var website = host.Client(apiKey: null);
        var consent = await IntakeClient.ConsentAsync(website);
        using var response = await website.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, first: "QUENTINA", last: "LOGCHECK", memberId: "LOGME12345"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var logs = string.Join("\n", host.Logs.Lines);
        Assert.That(logs, Does.Not.Contain("QUENTINA").And.Not.Contain("LOGME12345").And.Not.Contain("2013344").And.Not.Contain("ava@example.org"));

        foreach (var file in Directory.GetFiles(host.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                await stream.ReadExactlyAsync(bytes);
            }

            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.That(text, Does.Not.Contain("QUENTINA").And.Not.Contain("LOGME12345"), file);
        }
    }

    [Test]
    public async Task An_unknown_insurer_waits_for_staff_to_pick_the_payer_which_queues_the_verification()
    {
        using var host = Host();
        using var website = host.Client(apiKey: null);
        using var admissions = host.Client(TestApiKeys.Admissions);

        var consent = await IntakeClient.ConsentAsync(website);
        using var response = await website.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, payerId: null, payerName: "Aetna through my employer"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var request = await OnlyRequestAsync(admissions);
        Assert.Multiple(() =>
        {
            Assert.That((bool?)request["payerKnown"], Is.False);
            Assert.That((string?)request["payerName"], Is.EqualTo("Aetna through my employer"));
            Assert.That(request["verificationId"], Is.Null);
        });

        using var picked = await admissions.PutAsJsonAsync($"/api/v1/intake/requests/{request["id"]}/callback", new { status = "called", payerId = SandboxCatalogue.Aetna });
        var updated = await VerificationsHost.ReadAsync(picked);
        Assert.That(picked.StatusCode, Is.EqualTo(HttpStatusCode.OK), updated.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That((string?)updated["callback"]!["status"], Is.EqualTo("called"));
            Assert.That((bool?)updated["payerKnown"], Is.True);
            Assert.That((string?)updated["payerId"], Is.EqualTo(SandboxCatalogue.Aetna));
        });

        var verification = await VerificationsHost.WaitForAsync(admissions, $"/api/v1/verifications/{updated["verificationId"]}", TimeSpan.FromSeconds(30), "completed", "failed", "needs-review");
        Assert.That((string?)verification["status"], Is.EqualTo("completed"), verification.ToJsonString());

        using var badFilter = await admissions.GetAsync("/api/v1/intake/requests?status=maybe");
        Assert.That(badFilter.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var bad = await admissions.PutAsJsonAsync($"/api/v1/intake/requests/{request["id"]}/callback", new { status = "maybe" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_work_queue_shows_the_web_request_with_its_callback_preference_and_its_page_lets_admissions_work_it()
    {
        using var host = Host();
        using var website = host.Client(apiKey: null);
        using var admissions = host.Client(TestApiKeys.Admissions);
        using var response = await website.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(await IntakeClient.ConsentAsync(website), payerId: null, payerName: "Blue Sky Health"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var queue = await admissions.GetStringAsync("/staff/queue");
        Assert.Multiple(() =>
        {
            Assert.That(queue, Does.Contain("Web requests to call back (1)"));
            Assert.That(queue, Does.Contain("(555) 201-3344"));
            Assert.That(queue, Does.Contain("weekday mornings · may leave a message"));
            Assert.That(queue, Does.Contain("Unknown: Blue Sky Health"));
            Assert.That(queue, Does.Contain("pick the payer"));
        });

        var request = await OnlyRequestAsync(admissions);
        var page = await admissions.GetStringAsync($"/staff/intake/{request["id"]}");
        Assert.That(page, Does.Contain("AVA PPOSAMPLE").And.Contain("id=\"payerId\"").And.Contain("Callback status"));
    }

    [Test]
    public async Task The_admissions_list_needs_an_admissions_key()
    {
        using var host = Host();
        using var anonymous = host.Client(apiKey: null);
        using var finance = host.Client(TestApiKeys.Finance);
        using var none = await anonymous.GetAsync("/api/v1/intake/requests");
        using var wrongRole = await finance.GetAsync("/api/v1/intake/requests");
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongRole.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
