using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.CarveOuts;

/// <summary>
/// Issue #16: <c>CarveOuts:N:MemberIdFrom</c> <c>same</c> asks the administrator with the card's member ID. ACME knows
/// U300000077 only as C400000002, so it answers AAA 75 and the parent, waiting on it, ends in needs-review too.
/// </summary>
internal sealed class CarveOutMemberIdTests
{
    [Test]
    public async Task MemberIdFrom_same_asks_the_administrator_with_the_cards_ID_and_a_child_needing_review_stops_the_parent()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["CarveOuts:0:MemberIdFrom"] = "same" });

        var (_, parent, child) = await CarveOutTests.VerifyAsync(host, CarveOutTests.CarvedOutMember);

        Assert.Multiple(() =>
        {
            Assert.That((string?)child!["insurance"]!["memberId"], Is.EqualTo("U300000077"));
            Assert.That((string?)child["payer"]!["id"], Is.EqualTo("ACMBH"));
            Assert.That((string?)child["status"], Is.EqualTo("needs-review"));
            Assert.That(child["errors"]!.AsArray().Select(e => (string?)e!["code"]), Does.Contain("75"));
            Assert.That((string?)parent["status"], Is.EqualTo("needs-review"));
            Assert.That((string?)parent["lastErrorCode"], Is.EqualTo("carve-out-needs-review"));
            Assert.That((string?)parent["coverage"]!["carveOut"]!["status"], Is.EqualTo("needs-review"));
            Assert.That(parent["coverage"]!["benefitsFrom"], Is.Null);
        });
    }

    [Test]
    public async Task Revoking_the_consent_stops_the_linked_verification_too_and_the_administrator_hears_no_more()
    {
        using var host = CarveOutTests.ShortBudgetHost();
        var sandbox = await host.Factory.Services.GetRequiredService<SandboxClearinghouse>().GetStateAsync(CancellationToken.None);
        sandbox.Update(SandboxCatalogue.AcmeBehavioralHealth, "C400000002", m => m with { Behaviour = SandboxBehaviour.PayerUnavailable });
        using var client = host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", CarveOutTests.CarvedOutMember);
        var location = response.Headers.Location!.ToString();

        JsonObject parent;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(50);
            parent = await VerificationsHost.ReadAsync(await client.GetAsync(location));
        }
        while (parent["coverage"]?["carveOut"]?["verificationId"] is null && waited.Elapsed < TimeSpan.FromSeconds(30));

        var childLocation = $"/api/v1/verifications/{parent["coverage"]!["carveOut"]!["verificationId"]}";
        using var revoke = await client.PostAsJsonAsync($"/api/v1/consents/{parent["consent"]!["id"]}/revocation", new { method = "written" });
        revoke.EnsureSuccessStatusCode();

        var child = await VerificationsHost.WaitForAsync(client, childLocation, TimeSpan.FromSeconds(30), "needs-review", "completed");
        parent = await VerificationsHost.WaitForAsync(client, location, TimeSpan.FromSeconds(30), "needs-review", "completed");
        Assert.Multiple(() =>
        {
            Assert.That((string?)child["status"], Is.EqualTo("needs-review"));
            Assert.That((string?)child["lastErrorCode"], Is.EqualTo("consent-revoked"));
            Assert.That((string?)parent["status"], Is.EqualTo("needs-review"));
            Assert.That((string?)parent["lastErrorCode"], Is.EqualTo("consent-revoked"));
        });
    }
}
