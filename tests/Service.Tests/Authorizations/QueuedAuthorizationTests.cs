using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Authorizations;

/// <summary>
/// Issue #17: an authorisation recorded while the payer is down (the verification queued) is in the estimate the worker
/// makes when the payer answers. The sandbox Kaiser HMO member: a $25 copay a day and nothing else, so ten authorised
/// sessions cost $250 and the program of 40 $1,000.
/// </summary>
internal sealed class QueuedAuthorizationTests
{
    [Test]
    public async Task An_authorization_recorded_on_a_queued_verification_splits_the_estimate_the_worker_makes()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        await host.SetFaultsAsync(new FaultSettings(Http503: 1.0));
        using var accepted = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("GUS", "COPAYONLY", "1988-06-21", SandboxCatalogue.Kaiser, "K200000001"));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var location = accepted.Headers.Location!.ToString();

        using var recorded = await client.PostAsJsonAsync($"{location}/authorizations", AuthorizationsApiTests.Approved(number: "KP-1"));
        var whileQueued = await VerificationsHost.ReadAsync(recorded);
        Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(whileQueued["estimate"], Is.Null, "no answer yet, so no estimate to split");

        await host.SetFaultsAsync(new FaultSettings(Http503: 0));
        var done = await VerificationsHost.WaitForAsync(client, location, TimeSpan.FromSeconds(30), "completed", "needs-review");

        Assert.That((string?)done["status"], Is.EqualTo("completed"));
        Assert.That(done["estimate"]!["authorization"]!.ToJsonString(),
            Is.EqualTo("""{"sessionsAuthorized":10,"sessionsBeyond":30,"patientWithinAuthorization":250.00,"patientIfExtended":1000.00}"""));
    }
}
