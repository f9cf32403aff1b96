using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// Issue #17: after the worker gives up on a payer that stays down, the result page says so and what to do, and
/// "Retry now" asks the payer once more (audited); it never retries work stopped for want of consent, nor finished work.
/// </summary>
internal sealed class RetryNowTests
{
    [Test]
    public async Task After_giving_up_the_page_says_so_and_retry_now_asks_the_payer_once_more_audited()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"));
        var location = response.Headers.Location!.ToString();
        var gaveUp = await VerificationsHost.WaitForAsync(client, location, TimeSpan.FromSeconds(60), "needs-review");
        var id = Guid.Parse((string)gaveUp["id"]!);
        var attempts = (int)gaveUp["attempts"]!;

        var page = await client.GetStringAsync($"/staff/verifications/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("We stopped asking"));
            Assert.That(page, Does.Contain("the payer did not answer. Nothing more happens on its own."));
            Assert.That(page, Does.Contain("id=\"retry-now\""));
            Assert.That(page, Does.Not.Contain("nothing to do"));
        });

        var queue = host.Factory.Services.GetRequiredService<VerificationQueue>();
        var staff = new AccessContext("ana.admissions", "admissions", "staff page: verification result") { ActorKind = ActorKinds.LocalUser };
        Assert.That(await queue.RetryNowAsync(id, staff, CancellationToken.None), Is.EqualTo(RetryNowOutcome.Queued));
        host.Factory.Services.GetRequiredService<VerificationSignal>().Notify();

        // Past Verification:GiveUpAfter already, one more try that the payer still refuses ends in review again.
        var again = await WaitForAttemptsAsync(client, location, attempts + 1, TimeSpan.FromSeconds(30));
        var audit = await host.Factory.Services.GetRequiredService<AuditStore>()
            .ListForRecordAsync(AuditRecordTypes.Verification, id.ToString(), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That((string?)again["status"], Is.EqualTo("needs-review"));
            Assert.That((int)again["attempts"]!, Is.EqualTo(attempts + 1), "one more try, not a new round of retries");
            Assert.That(audit.Any(a => a.Action == AuditActions.Update && a.Actor == "ana.admissions" && a.Purpose.EndsWith("(retry now)", StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task Retry_now_leaves_finished_work_alone_and_never_asks_without_consent()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        using var completed = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var done = await VerificationsHost.ReadAsync(completed);
        using var revokedResponse = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"));
        var queued = await VerificationsHost.ReadAsync(revokedResponse);
        using var revoke = await client.PostAsJsonAsync($"/api/v1/consents/{queued["consent"]!["id"]}/revocation", new { method = "verbal" });
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stopped = await VerificationsHost.WaitForAsync(client, revokedResponse.Headers.Location!.ToString(), TimeSpan.FromSeconds(30), "needs-review");
        Assert.That((string?)stopped["lastErrorCode"], Is.EqualTo("consent-revoked"));

        var queue = host.Factory.Services.GetRequiredService<VerificationQueue>();
        var staff = new AccessContext("ana.admissions", "admissions", "staff page: verification result");
        var finished = await queue.RetryNowAsync(Guid.Parse((string)done["id"]!), staff, CancellationToken.None);
        var withoutConsent = await queue.RetryNowAsync(Guid.Parse((string)stopped["id"]!), staff, CancellationToken.None);
        var unknown = await queue.RetryNowAsync(Guid.NewGuid(), staff, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.EqualTo(RetryNowOutcome.NotRetryable));
            Assert.That(withoutConsent, Is.EqualTo(RetryNowOutcome.NoConsent));
            Assert.That(unknown, Is.EqualTo(RetryNowOutcome.NotFound));
        });
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> WaitForAttemptsAsync(HttpClient client, string location, int attempts, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(location);
            var body = await VerificationsHost.ReadAsync(response);
            if (((int?)body["attempts"] >= attempts && (string?)body["status"] == "needs-review") || waited.Elapsed > timeout)
            {
                return body;
            }

            await Task.Delay(200);
        }
    }
}
