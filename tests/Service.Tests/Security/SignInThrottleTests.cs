using CoverageCheck.Service.Features.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Security;

internal sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    private static SignInThrottleOptions Settings => new()
    {
        FreeFailures = 3,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromMinutes(15),
        Window = TimeSpan.FromHours(1),
    };

    private SignInThrottle Throttle() => new(_time, Options.Create(new StaffSignInOptions { SignInThrottle = Settings }));

    [Test]
    public void The_free_failures_cost_nothing_then_the_wait_doubles_from_the_last_failure()
    {
        var throttle = Throttle();
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            throttle.Failed("pat", "10.0.0.1");
            waits.Add(throttle.RetryAfter(" PAT ", "10.0.0.1"));
        }

        Assert.That(waits, Is.EqualTo(new[]
        {
            TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4),
        }), "names compare without case or spaces");
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.FromSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.Zero), "the wait is over: one more try");
    }

    [Test]
    public void Issue14_failures_from_one_address_never_hold_back_the_name_from_another()
    {
        var throttle = Throttle();
        for (var i = 0; i < 50; i++)
        {
            throttle.Failed("pat", "203.0.113.66");
        }

        Assert.That(throttle.RetryAfter("pat", "203.0.113.66"), Is.EqualTo(TimeSpan.FromMinutes(15)), "the attacker waits the longest");
        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.Zero), "the staff member's own address");
    }

    [Test]
    public void Issue14_failures_with_many_names_never_hold_back_another_name_on_that_address()
    {
        var throttle = Throttle();
        for (var i = 0; i < 100; i++)
        {
            throttle.Failed($"made.up.{i}", "10.0.0.1");
        }

        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void The_wait_is_capped_and_failures_are_forgotten_after_the_window()
    {
        Assert.That(SignInThrottle.Delay(100, Settings), Is.EqualTo(TimeSpan.FromMinutes(15)));
        var throttle = Throttle();
        for (var i = 0; i < 10; i++)
        {
            throttle.Failed("pat", "10.0.0.1");
        }

        _time.Advance(TimeSpan.FromHours(1));
        throttle.Failed("pat", "10.0.0.1");
        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.Zero), "counting starts again: one free failure");
    }

    [Test]
    public void A_successful_sign_in_clears_its_name_and_address()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed("pat", "10.0.0.1");
            throttle.Failed("pat", "10.0.0.2");
        }

        throttle.Succeeded("pat", "10.0.0.1");

        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.EqualTo(TimeSpan.Zero));
        Assert.That(throttle.RetryAfter("pat", "10.0.0.2"), Is.GreaterThan(TimeSpan.Zero), "another address's failures still count");
    }
}
