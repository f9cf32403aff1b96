using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// Slows password guessing at the staff sign-in without letting anyone lock the staff out. Failures are counted per
/// user name and client address together: after <see cref="SignInThrottleOptions.FreeFailures"/> of them, that name
/// from that address must wait <see cref="SignInThrottleOptions.BaseDelay"/> after its last failure, doubling with
/// each further failure up to <see cref="SignInThrottleOptions.MaxDelay"/>; a refused try costs nothing more. The
/// same name from any other address is not held back, and neither are other names from the same address (an office
/// behind one NAT address), so an attacker only ever slows themself down. Guessing across many names stays slow
/// through the password hash's cost (<see cref="StaffPasswordHasher"/>) and the common-password list. The name need
/// not exist (the answer must not tell); a successful sign-in clears its pair; failures are forgotten
/// <see cref="SignInThrottleOptions.Window"/> after the last one. Held in memory: each instance counts its own.
/// </summary>
internal sealed class SignInThrottle(TimeProvider timeProvider, IOptions<StaffSignInOptions> options)
{
    // Bounded: past this many tracked pairs, those whose last failure left the window are dropped first, then the
    // oldest, so a flood of made-up names cannot grow memory without end.
    private const int MaxTrackedKeys = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    private SignInThrottleOptions Settings => options.Value.SignInThrottle;

    /// <summary>How long until this name may try again from this address; <see cref="TimeSpan.Zero"/> when it may now.</summary>
    public TimeSpan RetryAfter(string userName, string address)
    {
        if (!_failures.TryGetValue(Key(userName, address), out var failures))
        {
            return TimeSpan.Zero;
        }

        var now = timeProvider.GetUtcNow();
        var settings = Settings;
        lock (failures)
        {
            if (now - failures.Last >= settings.Window || failures.Count <= settings.FreeFailures)
            {
                return TimeSpan.Zero;
            }

            var wait = failures.Last + Delay(failures.Count - settings.FreeFailures, settings) - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    public void Failed(string userName, string address)
    {
        var now = timeProvider.GetUtcNow();
        if (_failures.Count >= MaxTrackedKeys)
        {
            Prune(now);
        }

        var failures = _failures.GetOrAdd(Key(userName, address), static _ => new Failures());
        lock (failures)
        {
            if (now - failures.Last >= Settings.Window)
            {
                failures.Count = 0;
            }

            failures.Count++;
            failures.Last = now;
        }
    }

    public void Succeeded(string userName, string address) => _failures.TryRemove(Key(userName, address), out _);

    /// <summary>The wait after the <paramref name="costly"/>-th failure past the free ones: base × 2^(costly-1), capped.</summary>
    internal static TimeSpan Delay(int costly, SignInThrottleOptions settings)
    {
        var doublings = Math.Min(costly - 1, 40);
        var ticks = settings.BaseDelay.Ticks * Math.Pow(2, doublings);
        return ticks >= settings.MaxDelay.Ticks ? settings.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    private void Prune(DateTimeOffset now)
    {
        var window = Settings.Window;
        foreach (var (key, failures) in _failures)
        {
            lock (failures)
            {
                if (now - failures.Last >= window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        // Still full of live pairs: drop the oldest half rather than refuse to track new ones.
        if (_failures.Count >= MaxTrackedKeys)
        {
            foreach (var (key, _) in _failures.OrderBy(pair => pair.Value.Last).Take(MaxTrackedKeys / 2).ToList())
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string Key(string userName, string address) => userName.Trim().ToUpperInvariant() + "\u001f" + address;

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;
    }
}
