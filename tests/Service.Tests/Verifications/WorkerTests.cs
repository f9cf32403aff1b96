using System.Net.Http.Json;
using System.Net;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>The worker: leases, take-over after a crash, and the persisted backoff schedule on TimeProvider.</summary>
internal sealed class WorkerTests
{
    internal static VerificationPayload Payload(string first, string last, string dob, string payer, string member) => new(
        new PatientInfo(first, last, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture)),
        new InsuranceInfo(payer, member, null),
        new DateOnly(2026, 12, 1),
        new ConsentInfo(true, "verbal"),
        new ProgramInfo(new DateOnly(2026, 12, 7), 8, 5),
        new PricingInfo(450m));

    [Test]
    public async Task Work_claimed_by_a_crashed_instance_is_taken_over_when_its_lease_expires()
    {
        // The survivor's own lease (longer than Verification:RealTimeBudget, as the options require) must outlast
        // its attempt even on a loaded machine, or it would claim the item twice.
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:LeaseDuration"] = "00:00:30" });
        var store = host.Factory.Services.GetRequiredService<VerificationStore>();
        var payload = Payload("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001");

        // An instance claimed this item (its lease runs 1 s) and died before writing anything.
        var inserted = await InsertLeasedAsync(store, payload, "api:crashed-instance", TimeSpan.FromSeconds(1));
        Assert.That(inserted.Record.Status, Is.EqualTo(VerificationStatus.InProgress));

        using var client = host.Client(TestApiKeys.Admissions);
        var done = await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{inserted.Record.Id}", TimeSpan.FromSeconds(20), "completed");

        Assert.That((int?)done["attempts"], Is.EqualTo(2), "the dead instance's attempt, then the take-over");
        Assert.That((bool?)done["coverage"]!["active"], Is.True);
        var audit = await host.Factory.Services.GetRequiredService<AuditStore>()
            .ListForRecordAsync(AuditRecordTypes.Verification, inserted.Record.Id.ToString(), CancellationToken.None);
        Assert.That(audit.Count(a => a.Action == AuditActions.Claim), Is.EqualTo(1), "claimed once, by the surviving worker");
    }

    [Test]
    public async Task The_crashed_instance_cannot_write_once_its_item_was_taken_over()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        var store = host.Factory.Services.GetRequiredService<VerificationStore>();
        var queue = host.Factory.Services.GetRequiredService<VerificationQueue>();
        var time = host.Factory.Services.GetRequiredService<TimeProvider>();
        var payload = Payload("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001");
        var inserted = await InsertLeasedAsync(store, payload, "slow-instance", TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);

        var claimed = await queue.ClaimAsync("second-instance", time.GetUtcNow(), TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        var lateWrite = await queue.CompleteAsync(inserted.Record.Id, "slow-instance", VerificationStatus.Completed, "{}", time.GetUtcNow(), CancellationToken.None);

        Assert.That(claimed.Select(c => c.Id), Does.Contain(inserted.Record.Id));
        Assert.That(lateWrite, Is.False, "fenced: the slow instance no longer holds the lease");
    }

    [Test]
    public async Task A_transient_failure_waits_for_its_persisted_retry_time_on_the_clock()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var host = new VerificationsHost(
            new Dictionary<string, string?>
            {
                ["Verification:RetryBaseDelay"] = "00:00:30",
                ["Verification:RetryMaxDelay"] = "00:05:00",
                ["Verification:GiveUpAfter"] = null, // the default 24 h: the test hosts' 10 s would cut the 30 s wait short
            },
            clock);
        using var client = host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"));
        var queued = await VerificationsHost.ReadAsync(response);
        var location = response.Headers.Location!.ToString();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var next = DateTimeOffset.Parse((string)queued["nextAttemptAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(next - clock.GetUtcNow(), Is.InRange(TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36)), "30 s ± 20 % jitter");

        // Time stands still: however long the worker polls, the item is not due.
        await Task.Delay(500);
        using (var still = await client.GetAsync(location))
        {
            Assert.That((int?)(await VerificationsHost.ReadAsync(still))["attempts"], Is.EqualTo(1));
        }

        clock.Advance(TimeSpan.FromSeconds(40));
        var deadline = Environment.TickCount64 + 15_000;
        int attempts;
        do
        {
            clock.Advance(TimeSpan.FromMilliseconds(100)); // the worker's poll runs on the same clock
            await Task.Delay(50);
            using var read = await client.GetAsync(location);
            attempts = (int?)(await VerificationsHost.ReadAsync(read))["attempts"] ?? 0;
        }
        while (attempts < 2 && Environment.TickCount64 < deadline);

        Assert.That(attempts, Is.EqualTo(2), "retried once its time came");
    }

    private static AccessContext TestPatientsAccess => new("test-admissions", "admissions", "test");

    /// <summary>An item another instance claimed (its lease running for <paramref name="lease"/>) and never finished.</summary>
    /// <summary>As an instance's real-time attempt stores it: with its consent record, leased to that instance.</summary>
    private static Task<InsertedVerification> InsertLeasedAsync(VerificationStore store, VerificationPayload payload, string owner, TimeSpan lease)
    {
        var consent = new NewConsent(
            Guid.NewGuid(), ConsentGivers.Patient, ConsentMethods.Verbal, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero), payload.Insurance.PayerId, TextVersion: null, ConsentSources.Api);
        var withConsent = payload with { Consent = payload.Consent with { Id = consent.Id } };
        return store.InsertAsync(
            new NewVerification
            {
                PayerId = payload.Insurance.PayerId,
                MemberId = payload.Insurance.MemberId,
                PayloadJson = VerificationJson.Write(withConsent),
                Lease = new VerificationLease(owner, lease),
                NewConsent = consent,
            },
            TestPatientsAccess,
            CancellationToken.None);
    }
}
