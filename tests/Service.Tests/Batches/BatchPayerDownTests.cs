using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Tests.Verifications;
using CsvHelper;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// Issue 19, reproduced with the sandbox's payer-down member (MAX PAYERDOWN, payer 00710, AAA 42): the sample census
/// sat at "19/20 rows 95 %" for 14 minutes with an ETA of "a few seconds". Retries here are 10 minutes apart, so the
/// row is still waiting when the test looks: the batch must be complete without it, and say when it is tried next.
/// </summary>
internal sealed class BatchPayerDownTests
{
    private const string PayerDownRow = "D-001,MAX,PAYERDOWN,1980-04-04,00710,R600000042,REG001,2026-12-07,5,8,450.00,verbal,2026-11-20";

    [Test]
    public async Task A_row_waiting_for_a_payer_that_is_down_does_not_hold_the_batch()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?>
        {
            ["Verification:RetryBaseDelay"] = "00:10:00",
            ["Verification:RetryMaxDelay"] = "00:30:00",
            ["Verification:GiveUpAfter"] = "01:00:00",
        });
        using var client = host.Client(TestApiKeys.Finance);
        var census = new StringBuilder(Census.Header).Append('\n');
        for (var n = 1; n <= 3; n++)
        {
            census.Append(string.Create(CultureInfo.InvariantCulture, $"A-{n:D3},AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00,verbal,2026-11-20\n"));
        }

        census.Append(PayerDownRow).Append('\n');
        using var post = await client.PostAsync("/api/v1/batches", new StringContent(census.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var location = post.Headers.Location!.ToString();

        var state = await WaitAsync(client, location, s => (string?)s["status"] == "completed", TimeSpan.FromSeconds(60));
        var retrying = state["retrying"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That((string?)state["status"], Is.EqualTo("completed"), state.ToJsonString());
            Assert.That((int)state["counts"]!["completed"]!, Is.EqualTo(3));
            Assert.That((int)state["counts"]!["queued"]!, Is.EqualTo(1), "the row still retries on its own");
            Assert.That((int)state["waitingForPayer"]!, Is.EqualTo(1));
            Assert.That(state["estimatedCompletion"], Is.Null);
            Assert.That(retrying.Select(r => ((int)r!["line"]!, (string)r["payerId"]!, (string)r["reason"]!)), Is.EqualTo(new[] { (5, "00710", "payer-unavailable") }));
            Assert.That((DateTimeOffset)retrying[0]!["nextTryAt"]!, Is.GreaterThan(TestClock.Start.AddMinutes(5)), "10 minutes ± jitter after the attempt");
            Assert.That((string?)state["eta"], Does.StartWith("1 row waiting for payer ").And.Contain("(00710)").And.Contain("next try at " + (string)retrying[0]!["nextTry"]!));
            Assert.That((string)retrying[0]!["nextTry"]!, Does.Match(@"^[A-Z][a-z]{2} \d{1,2}, 2026 \d{1,2}:\d{2} [AP]M [A-Z]{3,4}$"), "program time, as staff read it");
        });

        using var report = await client.GetAsync($"{location}/report.csv");
        using var reader = new CsvReader(new StreamReader(await report.Content.ReadAsStreamAsync()), CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var down = rows.Single(r => (string)r["patient_ref"] == "D-001");
        Assert.Multiple(() =>
        {
            Assert.That(down["status"], Is.EqualTo("queued"));
            Assert.That((string)down["retrying"], Does.StartWith("waiting for payer ").And.Contain("next try at "));
            Assert.That((string)down["next_try_at"], Is.Not.Empty);
            Assert.That(rows.Where(r => (string)r["patient_ref"] != "D-001").Select(r => (string)r["retrying"]), Is.All.Empty);
        });
    }

    private static async Task<JsonObject> WaitAsync(HttpClient client, string location, Func<JsonObject, bool> until, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(location);
            var state = await VerificationsHost.ReadAsync(response);
            if (until(state) || waited.Elapsed > timeout)
            {
                return state;
            }

            await Task.Delay(200);
        }
    }
}
