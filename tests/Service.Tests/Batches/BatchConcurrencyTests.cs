using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// Issue 19: a census of one payer is limited by the clearinghouse, not by a per-payer default; a payer that needs a
/// limit of its own gets it from <c>Verification:PayerConcurrency:{payerId}</c>. The sandbox counts the inquiries it
/// has in flight, so the peak is what the payer side saw.
/// </summary>
internal sealed class BatchConcurrencyTests
{
    private const int Rows = 90;

    [Test]
    public async Task With_the_defaults_a_one_payer_census_uses_every_clearinghouse_slot()
    {
        var peak = await PeakInFlightAsync(new Dictionary<string, string?>());
        // The old default of 20 per payer capped this at 20; the clearinghouse's 30 is the only limit now.
        Assert.That(peak, Is.GreaterThan(20).And.LessThanOrEqualTo(30));
    }

    [Test]
    public async Task A_payer_with_its_own_limit_never_has_more_in_flight()
    {
        var peak = await PeakInFlightAsync(new Dictionary<string, string?> { ["Verification:PayerConcurrency:60054"] = "4" });
        Assert.That(peak, Is.InRange(2, 4));
    }

    private static async Task<int> PeakInFlightAsync(Dictionary<string, string?> settings)
    {
        settings["Sandbox:LatencyMs"] = "250";
        settings["Clearinghouse:MaxConcurrency"] = "30";
        using var host = new VerificationsHost(settings);
        using var client = host.Client(TestApiKeys.Finance);
        using var post = await client.PostAsync("/api/v1/batches", new StringContent(SandboxCensus.Build(Rows), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());

        var waited = System.Diagnostics.Stopwatch.StartNew();
        string? status;
        do
        {
            await Task.Delay(200);
            using var get = await client.GetAsync(post.Headers.Location);
            status = (string?)(await VerificationsHost.ReadAsync(get))["status"];
        }
        while (status != "completed" && waited.Elapsed < TimeSpan.FromSeconds(60));

        Assert.That(status, Is.EqualTo("completed"));
        using var sandbox = await host.SandboxAsync();
        var traffic = await sandbox.GetFromJsonAsync<SandboxTraffic>("/sandbox/stats");
        return traffic!.PeakInFlight;
    }
}
