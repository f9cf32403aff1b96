using CoverageCheck.Service.Features.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Security;

internal sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    private SignInThrottle Throttle(int perUser = 3, int perAddress = 5) => new(_time, Options.Create(new StaffSignInOptions
    {
        SignInThrottle = new SignInThrottleOptions { MaxFailuresPerUser = perUser, MaxFailuresPerAddress = perAddress, Window = TimeSpan.FromMinutes(15) },
    }));

    [Test]
    public void A_name_is_refused_at_its_limit_until_the_oldest_failure_leaves_the_window()
    {
        var throttle = Throttle();
        throttle.Failed("pat", "10.0.0.1");
        _time.Advance(TimeSpan.FromMinutes(5));
        throttle.Failed("Pat", "10.0.0.2");
        Assert.That(throttle.RetryAfter("pat", "10.0.0.3"), Is.EqualTo(TimeSpan.Zero), "two of three");

        throttle.Failed(" PAT ", "10.0.0.3");

        Assert.That(throttle.RetryAfter("pat", "10.0.0.9"), Is.EqualTo(TimeSpan.FromMinutes(10)), "names compare without case or spaces; any address");
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.That(throttle.RetryAfter("pat", "10.0.0.9"), Is.EqualTo(TimeSpan.Zero), "the first failure has left the window");
    }

    [Test]
    public void An_address_is_refused_at_its_limit_whatever_the_names()
    {
        var throttle = Throttle();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            Assert.That(throttle.RetryAfter(name, "10.0.0.1"), Is.EqualTo(TimeSpan.Zero));
            throttle.Failed(name, "10.0.0.1");
        }

        Assert.That(throttle.RetryAfter("f", "10.0.0.1"), Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(throttle.RetryAfter("f", "10.0.0.2"), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void A_successful_sign_in_clears_the_name_but_not_the_address()
    {
        var throttle = Throttle(perUser: 2, perAddress: 3);
        throttle.Failed("pat", "10.0.0.1");
        throttle.Failed("pat", "10.0.0.1");
        throttle.Succeeded("pat");

        Assert.That(throttle.RetryAfter("pat", "10.0.0.2"), Is.EqualTo(TimeSpan.Zero));
        throttle.Failed("sam", "10.0.0.1");
        Assert.That(throttle.RetryAfter("pat", "10.0.0.1"), Is.GreaterThan(TimeSpan.Zero), "the address still counts its three failures");
    }
}
