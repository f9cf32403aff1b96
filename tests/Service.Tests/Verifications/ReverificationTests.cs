using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Verifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>The nightly re-verification: a batch of the active census, and what changed since the last check.</summary>
internal sealed class ReverificationTests
{
    [Test]
    public async Task The_active_census_is_re_verified_as_a_batch_and_changes_are_recorded()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        using var first = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.PpoMember);
        var before = await VerificationsHost.ReadAsync(first);
        Assert.That((string?)before["status"], Is.EqualTo("completed"));
        var deductibleBefore = (decimal?)before["coverage"]!["inNetwork"]!["deductible"]!["individual"]!["remaining"];

        // Between two nights the payer's books move: some deductible is met.
        using (var sandbox = await host.SandboxAsync())
        {
            using var update = await sandbox.PutAsJsonAsync("/sandbox/members/W100000001",
                new SandboxMemberUpdate(PayerId: SandboxCatalogue.Aetna, DeductibleRemaining: 500m));
            Assert.That(update.IsSuccessStatusCode, Is.True, await update.Content.ReadAsStringAsync());
        }

        var nightly = host.Factory.Services.GetServices<IHostedService>().OfType<ReverificationService>().Single();
        var queued = await nightly.RunOnceAsync(CancellationToken.None);
        Assert.That(queued, Is.GreaterThanOrEqualTo(1));

        var store = host.Factory.Services.GetRequiredService<VerificationStore>();
        var page = await store.ListAsync(new VerificationQuery { Limit = 50 }, CancellationToken.None);
        var recheck = page.Items.First(i => i.Id != Guid.Parse((string)before["id"]!) && i.CreatedBy == "re-verification");
        var after = await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{recheck.Id}", TimeSpan.FromSeconds(30), "completed", "needs-review");

        Assert.That((string?)after["status"], Is.EqualTo("completed"));
        Assert.That((string?)after["previousVerificationId"], Is.EqualTo((string?)before["id"]));
        Assert.That((decimal?)after["coverage"]!["inNetwork"]!["deductible"]!["individual"]!["remaining"], Is.EqualTo(500m));
        Assert.That(deductibleBefore, Is.EqualTo(1300m));

        // Recorded against the new verification, and the run is a batch finance can follow and report on.
        var changes = await store.ListChangesAsync(recheck.Id, CancellationToken.None);
        Assert.That(changes.Select(c => c.Kind), Does.Contain(VerificationChangeKinds.DeductibleProgressed));
        var batchId = (string?)after["batchId"];
        Assert.That(batchId, Is.Not.Null);
        using var finance = host.Client(TestApiKeys.Finance);
        using var batch = await finance.GetAsync($"/api/v1/batches/{batchId}");
        Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await batch.Content.ReadAsStringAsync());
    }
}
