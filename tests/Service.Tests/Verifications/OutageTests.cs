using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Tests.Batches;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// Long payer outages (issue #14): a verification is given up by time (<c>Verification:GiveUpAfter</c>, the program's
/// start), never by a count of calls the payer could not answer, and a payer's Retry-After is capped. The hosts run on a
/// <see cref="FakeTimeProvider"/> the tests step by hand, with the production retry schedule (30 s doubling to 30 min).
/// </summary>
internal sealed class OutageTests
{
    /// <summary>The production schedule and breaker, with waits that a stepped fake clock cannot cut short by accident.</summary>
    private static Dictionary<string, string?> ProductionSchedule(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Verification:RetryBaseDelay"] = "00:00:30",
            ["Verification:RetryMaxDelay"] = "00:30:00",
            ["Verification:MaxAttempts"] = "6",
            ["Verification:GiveUpAfter"] = null, // the service's default, 24 h (the test hosts' 10 s removed)
            ["Verification:PollInterval"] = "00:00:01",

            // The clock jumps seconds at a time, and only while the sandbox has nothing in flight; still, an attempt
            // must not time out or lose its lease because of a jump (the sandbox answers in milliseconds of real time).
            ["Verification:LeaseDuration"] = "01:00:00",
            ["Clearinghouse:AttemptTimeout"] = "00:01:30",
            ["Clearinghouse:TotalTimeout"] = "00:30:00",
            ["Clearinghouse:MaxRetryAttempts"] = "0",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Test]
    public void A_Retry_After_of_99999999_seconds_waits_no_longer_than_RetryMaxDelay_issue_14()
    {
        var settings = new VerificationOptions { RetryBaseDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromMinutes(30) };

        var wait = VerificationOutcomes.Backoff(1, TimeSpan.FromSeconds(99_999_999), settings);

        Assert.That(wait, Is.EqualTo(TimeSpan.FromMinutes(30)), "capped at Verification:RetryMaxDelay (99,999,999 s is 3.2 years)");
        Assert.That(VerificationOutcomes.Backoff(1, TimeSpan.FromMinutes(5), settings), Is.EqualTo(TimeSpan.FromMinutes(5)), "a shorter hint longer than the backoff is still honoured");
    }

    [Test]
    public async Task A_payer_that_stays_down_is_retried_past_MaxAttempts_until_GiveUpAfter_issue_14()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var host = new VerificationsHost(ProductionSchedule(("Verification:GiveUpAfter", "06:00:00")), clock);
        using var client = host.Client(TestApiKeys.Admissions);

        // The sandbox's "payer down" member: every call answers AAA 42 "Unable to Respond at Current Time".
        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var location = response.Headers.Location!.ToString();

        var sandbox = await SandboxOf(host);
        var atFiveHours = await StepAsync(clock, sandbox, client, location, TimeSpan.FromHours(5), TimeSpan.FromSeconds(20));
        Assert.That((string?)atFiveHours["status"], Is.EqualTo("queued"), "still being retried five hours into the outage");
        Assert.That((int?)atFiveHours["attempts"], Is.GreaterThan(6), "more calls than Verification:MaxAttempts, none of them counted");

        var after = await StepAsync(clock, sandbox, client, location, TimeSpan.FromHours(1.6), TimeSpan.FromSeconds(20), "needs-review");
        Assert.That((string?)after["status"], Is.EqualTo("needs-review"), "given up once GiveUpAfter (6 h) had passed");
        Assert.That((string?)after["lastErrorCode"], Is.EqualTo("42"));
    }

    [Test]
    public async Task A_verification_is_given_up_no_later_than_the_end_of_its_programs_start_date_issue_14()
    {
        var clock = new FakeTimeProvider(TestClock.Start); // 2026-11-28 15:00 UTC
        using var host = new VerificationsHost(ProductionSchedule(), clock);
        using var client = host.Client(TestApiKeys.Admissions);
        var request = new
        {
            patient = new { firstName = "MAX", lastName = "PAYERDOWN", dateOfBirth = "1980-04-04" },
            insurance = new { payerId = SandboxCatalogue.Regional, memberId = "R600000042", groupNumber = (string?)null },
            dateOfService = "2026-11-28",
            consent = new { obtained = true, method = "verbal" },
            program = new { startDate = "2026-11-28", weeks = 8, daysPerWeek = 5 }, // the program starts today
            pricing = new { chargePerDay = 450.00m },
        };
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var location = response.Headers.Location!.ToString();

        var sandbox = await SandboxOf(host);
        var evening = await StepAsync(clock, sandbox, client, location, TimeSpan.FromHours(8), TimeSpan.FromSeconds(20));
        Assert.That((string?)evening["status"], Is.EqualTo("queued"), "23:00 on the start date: still trying");

        var nextDay = await StepAsync(clock, sandbox, client, location, TimeSpan.FromHours(2), TimeSpan.FromSeconds(20), "needs-review");
        Assert.That((string?)nextDay["status"], Is.EqualTo("needs-review"), "past the program's start date: no 24 h wait");
    }

    /// <summary>
    /// THE OUTAGE FIGURE: 1,000 queued census rows, the payer down (every call 503) for two hours of the fake clock, then
    /// back. Everything completes; nothing goes to needs-review.
    /// </summary>
    [Test]
    public async Task A_two_hour_payer_outage_with_1000_queued_verifications_loses_none_issue_14()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var host = new VerificationsHost(ProductionSchedule(), clock);
        using var finance = host.Client(TestApiKeys.Finance);
        finance.Timeout = TimeSpan.FromMinutes(2);
        var sandbox = await SandboxOf(host);
        await host.SetFaultsAsync(new FaultSettings(Http503: 1.0));
        var wall = Stopwatch.StartNew();

        using var post = await finance.PostAsync("/api/v1/batches",
            new StringContent(SandboxCensus.Build(1_000), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var batch = post.Headers.Location!.ToString();

        // Two hours down.
        var outageStart = clock.GetUtcNow();
        JsonObject counts;
        do
        {
            await AdvanceAsync(clock, sandbox, TimeSpan.FromSeconds(10));
        }
        while (clock.GetUtcNow() - outageStart < TimeSpan.FromHours(2));

        counts = await CountsAsync(finance, batch);
        var sentDuringOutage = sandbox.Traffic.Requests;
        var needsReviewDuringOutage = (int?)counts["needs-review"] ?? 0;

        // The payer is back; the queue drains as each item's next attempt comes due (30 min at most) and the breaker's
        // half-open probe succeeds.
        await host.SetFaultsAsync(new FaultSettings(Http503: 0.0));
        var recovered = clock.GetUtcNow();
        do
        {
            await AdvanceAsync(clock, sandbox, TimeSpan.FromSeconds(10));
            if (clock.GetUtcNow().Second % 60 == 0)
            {
                counts = await CountsAsync(finance, batch);
            }
        }
        while ((((int?)counts["completed"] ?? 0) + ((int?)counts["needs-review"] ?? 0)) < 1_000
               && clock.GetUtcNow() - recovered < TimeSpan.FromHours(3)
               && wall.Elapsed < TimeSpan.FromSeconds(150));

        counts = await CountsAsync(finance, batch);
        var completed = (int?)counts["completed"] ?? 0;
        var needsReview = (int?)counts["needs-review"] ?? 0;
        var attempts = await TotalAttemptsAsync(host, batch);
        var (refused, counted) = await AttemptLogAsync(host, batch);
        TestContext.Out.WriteLine(
            $"Outage figure (FakeTimeProvider, production schedule 30 s doubling to 30 min, breaker 50 %/10/3 min/30 s): " +
            $"1,000 queued, payer down 2 h: {completed:N0} completed, {needsReview:N0} needs-review " +
            $"({needsReviewDuringOutage:N0} during the outage); {attempts:N0} attempts in all, {sentDuringOutage:N0} calls reached the payer during the outage " +
            $"({refused:N0} tries refused by the open breaker, none counted against MaxAttempts: {counted}), {sandbox.Traffic.Requests - sentDuringOutage:N0} after; " +
            $"drained {(clock.GetUtcNow() - recovered).TotalMinutes:N0} min (fake) after recovery; wall {wall.Elapsed.TotalSeconds:N1} s");

        Assert.That(needsReviewDuringOutage, Is.Zero, "nothing given up while the payer was down");
        Assert.That(completed, Is.EqualTo(1_000));
        Assert.That(needsReview, Is.Zero);
        Assert.That(refused, Is.GreaterThan(0), "the breaker did refuse calls during the outage");
        Assert.That(counted, Is.Zero, "neither the refused calls nor the 503s counted against Verification:MaxAttempts");
    }

    private static async Task<(long Refused, long Counted)> AttemptLogAsync(VerificationsHost host, string batch)
    {
        var database = host.Factory.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        const string sql = """
            SELECT COALESCE(SUM(CASE WHEN a.sent = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN a.counted = 1 THEN 1 ELSE 0 END), 0)
            FROM verification_attempts a JOIN verifications v ON v.id = a.verification_id
            WHERE v.batch_id = @batchId
            """;
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(sql, new { batchId = Guid.Parse(batch.Split('/')[^1]) }));
    }

    private static async Task<JsonObject> CountsAsync(HttpClient client, string batch)
    {
        using var response = await client.GetAsync(batch);
        return (await VerificationsHost.ReadAsync(response))["counts"]!.AsObject();
    }

    private static async Task<long> TotalAttemptsAsync(VerificationsHost host, string batch)
    {
        var database = host.Factory.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        const string sql = "SELECT COALESCE(SUM(attempts), 0) FROM verifications WHERE batch_id = @batchId";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { batchId = Guid.Parse(batch.Split('/')[^1]) }));
    }

    /// <summary>Steps the clock for <paramref name="span"/> (or until a status), reading the verification as it goes.</summary>
    private static async Task<JsonObject> StepAsync(
        FakeTimeProvider clock, SandboxState sandbox, HttpClient client, string location, TimeSpan span, TimeSpan step, string? until = null)
    {
        var end = clock.GetUtcNow() + span;
        JsonObject body;
        do
        {
            await AdvanceAsync(clock, sandbox, step);
            using var read = await client.GetAsync(location);
            body = await VerificationsHost.ReadAsync(read);
        }
        while (clock.GetUtcNow() < end && (until is null || (string?)body["status"] != until));

        return body;
    }

    /// <summary>Moves the clock on once the sandbox has no inquiry in flight (bounded), then lets the worker run.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider clock, SandboxState sandbox, TimeSpan step)
    {
        for (var spins = 0; sandbox.Traffic.InFlight > 0 && spins < 200; spins++)
        {
            await Task.Delay(5);
        }

        clock.Advance(step);
        await Task.Delay(10);
    }

    private static Task<SandboxState> SandboxOf(VerificationsHost host) =>
        host.Factory.Services.GetRequiredService<SandboxClearinghouse>().GetStateAsync(CancellationToken.None).AsTask();
}
