using System.Diagnostics;
using System.Net;
using System.Text;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// A normal-sized census (10,000 rows) through the API with the worker off, so the figures are the service's own:
/// upload and queue, progress, and each report format over 10,000 queued rows.
/// </summary>
internal sealed class BatchesScaleTests
{
    [Test]
    public async Task Ten_thousand_rows_are_queued_counted_and_reported()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        using var client = host.Client(TestApiKeys.Finance);
        client.Timeout = TimeSpan.FromMinutes(10);
        var census = new StringBuilder(Census.Header).Append('\n');
        for (var i = 1; i <= 10_000; i++)
        {
            census.Append(i % 100 == 0 ? $"P-{i:D5},ANN,TESTER,1980-01-01,60054,,,2026-12-07,5,8,450.00,verbal,2026-11-20" : Census.Row(i)).Append('\n');
        }

        var stopwatch = Stopwatch.StartNew();
        using var post = await client.PostAsync("/api/v1/batches", new StringContent(census.ToString(), Encoding.UTF8, "text/csv"));
        var upload = stopwatch.Elapsed;
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var created = await VerificationsHost.ReadAsync(post);
        Assert.That(((int)created["accepted"]!, (int)created["rejected"]!), Is.EqualTo((9_900, 100)));

        stopwatch.Restart();
        using var get = await client.GetAsync(post.Headers.Location);
        var state = await VerificationsHost.ReadAsync(get);
        var progress = stopwatch.Elapsed;
        Assert.That(((int)state["counts"]!["queued"]!, (int)state["counts"]!["rejected"]!), Is.EqualTo((9_900, 100)));

        var timings = new StringBuilder();
        foreach (var format in new[] { "csv", "xlsx", "html" })
        {
            stopwatch.Restart();
            using var report = await client.GetAsync($"{post.Headers.Location}/report.{format}");
            var bytes = await report.Content.ReadAsByteArrayAsync();
            Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            timings.Append($"; report.{format} {bytes.Length:N0} bytes in {stopwatch.ElapsedMilliseconds:N0} ms");
        }

        TestContext.Out.WriteLine($"10,000-row census: upload and queue {upload.TotalMilliseconds:N0} ms; progress {progress.TotalMilliseconds:N0} ms{timings}");
    }
}
