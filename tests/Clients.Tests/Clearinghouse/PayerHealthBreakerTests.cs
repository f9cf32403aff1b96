using System.Diagnostics;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>
/// What opens a payer's breaker (issue #14): the payer's ill health, not one member's slow answer. Against the
/// sandbox clearinghouse over loopback, through the production client and pipeline.
/// </summary>
public sealed class PayerHealthBreakerTests
{
    private static readonly DateOnly DateOfService = new(2026, 12, 1);
    private SandboxHost _sandbox = null!;
    private ServiceProvider _services = null!;
    private IClearinghouseClient _client = null!;
    private int _control;

    [SetUp]
    public async Task Start()
    {
        // The slow member answers after 3 s; an attempt may take 250 ms: every attempt for that member times out.
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = 0, SlowLatencyMs = 3_000 }, CancellationToken.None);
        var settings = ClearinghouseClientFactory.FastSettings(baseUrl: null);
        settings["Clearinghouse:AttemptTimeout"] = "00:00:00.250";
        settings["Clearinghouse:MaxRetryAttempts"] = "1";
        _services = ClearinghouseClientFactory.Build(settings, (_, _) => new ValueTask<Uri>(_sandbox.BaseAddress));
        _client = _services.GetRequiredService<IClearinghouseClient>();
    }

    [TearDown]
    public async Task Stop()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private EligibilityInquiry Inquiry(SandboxMember member, int? control = null) => new(
        member.PayerId, member.FirstName, member.LastName, member.DateOfBirth, member.MemberId, null, DateOfService, "30",
        (control ?? Interlocked.Increment(ref _control)).ToString("D9", System.Globalization.CultureInfo.InvariantCulture));

    private static SandboxMember Member(string memberId) =>
        SandboxCatalogue.Members.Single(m => m.MemberId == memberId);

    [Test]
    public async Task One_members_stalling_answers_do_not_open_the_breaker_for_the_payers_other_members_issue_14()
    {
        var slow = Member("R600000001");

        // The same member's inquiry asked again and again (as the worker would): 8 timed-out attempts, twice the
        // breaker's minimum throughput, at a 100 % failure ratio.
        for (var i = 0; i < 4; i++)
        {
            var failure = await CatchUnavailable(Inquiry(slow, control: 777));
            Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Timeout));
        }

        // Another member of the same payer, answering normally.
        var other = _sandbox.State.Update(SandboxCatalogue.Regional, "R600000503", m => m with { Behaviour = SandboxBehaviour.Normal })!;
        var answer = await _client.CheckEligibilityAsync(Inquiry(other), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(200), "the breaker stayed closed: the payer's other members are still asked");
        Assert.That(answer.Reading.Coverage?.Active, Is.True);
        Assert.That(_sandbox.State.Traffic.Requests, Is.EqualTo(9), "8 stalled attempts, then the other member's one");
    }

    [Test]
    public async Task AAA_42_answers_say_the_payer_is_unavailable_and_open_its_breaker_issue_14()
    {
        var down = Member("R600000042");
        for (var i = 0; i < 4; i++)
        {
            var answer = await _client.CheckEligibilityAsync(Inquiry(down), CancellationToken.None);
            Assert.That(answer.Reading.Errors.Select(e => e.Code), Does.Contain("42"));
        }

        var refused = await CatchUnavailable(Inquiry(down));

        Assert.That(refused.Reason, Is.EqualTo(ClearinghouseFailureReason.CircuitOpen));
        Assert.That(refused.Attempts, Is.Zero, "the open breaker sent nothing");
        Assert.That(_sandbox.State.Traffic.Requests, Is.EqualTo(4));
    }

    [Test]
    public async Task Many_members_timing_out_at_once_do_open_the_breaker()
    {
        var slow = Member("R600000001");

        // Distinct inquiries all stalling: the payer (or the clearinghouse's path to it) is what is slow.
        var failures = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => CatchUnavailable(Inquiry(slow, control: 900 + i))));
        Assert.That(failures.Select(f => f.Reason), Is.All.AnyOf(ClearinghouseFailureReason.Timeout, ClearinghouseFailureReason.CircuitOpen));

        var refused = await CatchUnavailable(Inquiry(slow, control: 999));
        Assert.That(refused.Reason, Is.EqualTo(ClearinghouseFailureReason.CircuitOpen));
    }

    private async Task<ClearinghouseUnavailableException> CatchUnavailable(EligibilityInquiry inquiry)
    {
        try
        {
            await _client.CheckEligibilityAsync(inquiry, CancellationToken.None);
        }
        catch (ClearinghouseUnavailableException ex)
        {
            return ex;
        }

        Assert.Fail("Expected ClearinghouseUnavailableException.");
        throw new UnreachableException();
    }
}
