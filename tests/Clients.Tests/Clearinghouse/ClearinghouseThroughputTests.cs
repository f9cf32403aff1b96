using System.Diagnostics;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>
/// The client against the sandbox at volume: the concurrency limit lets work overlap up to the limit (a finance batch
/// is not serialised), and the pipeline adds little to each call. Figures go to the test log (docs/clearinghouse.md).
/// </summary>
public sealed class ClearinghouseThroughputTests
{
    private static readonly string[] Members = ["W100000001", "W100000002", "K200000001", "U300000001", "C400000001", "1EG4TE5MK73"];

    private static async Task<(SandboxHost Sandbox, ServiceProvider Services, IClearinghouseClient Client)> Start(int latencyMs, int maxConcurrency)
    {
        var sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = latencyMs }, CancellationToken.None);
        var settings = ClearinghouseClientFactory.FastSettings(sandbox.BaseAddress);
        settings["Clearinghouse:MaxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var services = ClearinghouseClientFactory.Build(settings);
        return (sandbox, services, services.GetRequiredService<IClearinghouseClient>());
    }

    private static EligibilityInquiry InquiryFor(int i)
    {
        var member = SandboxCatalogue.Members.Single(m => m.MemberId == Members[i % Members.Length]);
        return new EligibilityInquiry(member.PayerId, member.FirstName, member.LastName, member.DateOfBirth, member.MemberId,
            member.GroupNumber, new DateOnly(2026, 12, 1), "AI", $"{i + 1:000000000}");
    }

    [Test]
    public async Task Four_hundred_inquiries_at_50_ms_with_20_permits_overlap_up_to_the_limit()
    {
        var (sandbox, services, client) = await Start(latencyMs: 50, maxConcurrency: 20);
        await using var _ = sandbox;
        await using var __ = services;
        await client.CheckEligibilityAsync(InquiryFor(0), CancellationToken.None); // warm up connections and JIT

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => client.CheckEligibilityAsync(InquiryFor(i), CancellationToken.None)));
        clock.Stop();

        var perSecond = 400 / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"400 inquiries, 50 ms sandbox latency, MaxConcurrency 20: {clock.Elapsed.TotalMilliseconds:0} ms, {perSecond:0} inquiries/s (ideal 1000 ms, 400/s)");
        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(200));
        Assert.That(answers.Select(a => a.Attempts), Is.All.EqualTo(1));
        Assert.That(answers.Select(a => a.Reading.Coverage), Is.All.Not.Null, "every answer comes back normalised");
        // What the payer side saw: every inquiry once (and the warm-up), never more than the limit in flight at once.
        Assert.That(sandbox.State.Traffic.Requests, Is.EqualTo(401));
        Assert.That(sandbox.State.Traffic.PeakInFlight, Is.EqualTo(20));
        // Serialised it would take 20 s; overlapping up to 20 at a time, 1 s plus overhead (generous bound for a busy 2-core CI).
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
    }

    [Test]
    public async Task The_pipeline_adds_little_to_each_call()
    {
        var (sandbox, services, client) = await Start(latencyMs: 0, maxConcurrency: 40);
        await using var _ = sandbox;
        await using var __ = services;
        for (var i = 0; i < 20; i++)
        {
            await client.CheckEligibilityAsync(InquiryFor(i), CancellationToken.None);
        }

        var timings = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var answer = await client.CheckEligibilityAsync(InquiryFor(i), CancellationToken.None);
            timings.Add(answer.Elapsed.TotalMilliseconds);
        }

        timings.Sort();
        double P(double q) => timings[(int)Math.Ceiling(q * timings.Count) - 1];
        TestContext.Out.WriteLine($"300 sequential inquiries, sandbox latency 0: p50 {P(0.50):0.00} ms, p95 {P(0.95):0.00} ms, max {timings[^1]:0.00} ms (client, pipeline, loopback HTTP and the sandbox's JSON + X12 writing)");
        Assert.That(P(0.50), Is.LessThan(50), "a call with no payer latency is quick");
    }
}
