using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// Slows password guessing at the staff sign-in: after <see cref="SignInThrottleOptions.MaxFailuresPerUser"/> failed
/// sign-ins for one user name, or <see cref="SignInThrottleOptions.MaxFailuresPerAddress"/> from one client address,
/// within <see cref="SignInThrottleOptions.Window"/>, further attempts are refused without checking the password until
/// the oldest failure leaves the window. The name need not exist (the answer must not tell), and a successful sign-in
/// clears that name's failures. Held in memory: each instance counts its own attempts.
/// </summary>
internal sealed class SignInThrottle(TimeProvider timeProvider, IOptions<StaffSignInOptions> options)
{
    // Bounded: past this many tracked keys, those with no failure left in the window are dropped first.
    private const int MaxTrackedKeys = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    private SignInThrottleOptions Settings => options.Value.SignInThrottle;

    /// <summary>How long until this name and address may try again; <see cref="TimeSpan.Zero"/> when they may now.</summary>
    public TimeSpan RetryAfter(string userName, string address)
    {
        var now = timeProvider.GetUtcNow();
        var settings = Settings;
        return Max(
            Wait(UserKey(userName), settings.MaxFailuresPerUser, now, settings.Window),
            Wait(AddressKey(address), settings.MaxFailuresPerAddress, now, settings.Window));
    }

    public void Failed(string userName, string address)
    {
        var now = timeProvider.GetUtcNow();
        if (_failures.Count >= MaxTrackedKeys)
        {
            Prune(now);
        }

        Record(UserKey(userName), now);
        Record(AddressKey(address), now);
    }

    public void Succeeded(string userName) => _failures.TryRemove(UserKey(userName), out _);

    private TimeSpan Wait(string key, int limit, DateTimeOffset now, TimeSpan window)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return TimeSpan.Zero;
        }

        lock (failures)
        {
            failures.Forget(now - window);
            return failures.Times.Count < limit ? TimeSpan.Zero : failures.Times.Peek() + window - now;
        }
    }

    private void Record(string key, DateTimeOffset now)
    {
        var failures = _failures.GetOrAdd(key, static _ => new Failures());
        lock (failures)
        {
            failures.Forget(now - Settings.Window);
            failures.Times.Enqueue(now);
            // Never more kept than the largest limit needs.
            while (failures.Times.Count > Math.Max(Settings.MaxFailuresPerUser, Settings.MaxFailuresPerAddress))
            {
                failures.Times.Dequeue();
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var cutoff = now - Settings.Window;
        foreach (var (key, failures) in _failures)
        {
            lock (failures)
            {
                failures.Forget(cutoff);
                if (failures.Times.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private static string UserKey(string userName) => "user:" + userName.Trim().ToUpperInvariant();

    private static string AddressKey(string address) => "address:" + address;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Failures
    {
        public Queue<DateTimeOffset> Times { get; } = new();

        public void Forget(DateTimeOffset before)
        {
            while (Times.Count > 0 && Times.Peek() <= before)
            {
                Times.Dequeue();
            }
        }
    }
}
