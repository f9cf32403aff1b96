using System.Collections.Concurrent;

namespace CoverageCheck.Sandbox;

/// <summary>What the fault draw decided for one request.</summary>
public enum SandboxFault
{
    None,
    Http503,
    Http429,
    Timeout,
    Aaa42,
}

/// <summary>Run-time knobs: latency and fault rates, replaced as a whole (never torn).</summary>
public sealed record SandboxKnobs(int LatencyMs, int SlowLatencyMs, int TimeoutDelayMs, SandboxFaults Faults);

/// <summary>
/// The sandbox's mutable state: its members (changeable at run time), the knobs, the per-member call counters
/// behind the bursts, and the seeded fault draw. Thread-safe.
/// </summary>
public sealed class SandboxState
{
    private readonly SandboxOptions _options;
    private readonly ConcurrentDictionary<string, SandboxMember> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Lock _randomLock = new();
    private Random _random;
    private SandboxKnobs _knobs;
    private long _requests;
    private int _inFlight;
    private int _peakInFlight;

    public SandboxState(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Faults.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        _options = options;
        _knobs = InitialKnobs(options);
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        LoadCatalogue();
    }

    public SandboxKnobs Knobs => Volatile.Read(ref _knobs);

    public IReadOnlyList<SandboxMember> Members =>
        [.. _members.Values.OrderBy(m => m.PayerId, StringComparer.Ordinal).ThenBy(m => m.MemberId, StringComparer.Ordinal)];

    public SandboxMember? Find(string payerId, string memberId) =>
        _members.TryGetValue(Key(payerId, memberId), out var member) ? member : null;

    /// <summary>Finds a member by member ID alone, when it is unique across payers.</summary>
    public SandboxMember? FindByMemberId(string memberId)
    {
        var matches = _members.Values.Where(m => string.Equals(m.MemberId, memberId, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Replaces a member's coverage atomically; returns the new member, or null when unknown.</summary>
    public SandboxMember? Update(string payerId, string memberId, Func<SandboxMember, SandboxMember> change)
    {
        var key = Key(payerId, memberId);
        while (_members.TryGetValue(key, out var current))
        {
            var updated = change(current);
            if (_members.TryUpdate(key, updated, current))
            {
                return updated;
            }
        }

        return null;
    }

    public void SetKnobs(SandboxKnobs knobs)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        var problems = knobs.Faults.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        Volatile.Write(ref _knobs, knobs);
    }

    /// <summary>Back to the catalogue and the configured knobs, with the seed restarted.</summary>
    /// <summary>Eligibility inquiries received since the start (or the last reset), in flight now, and at most at once.</summary>
    public SandboxTraffic Traffic => new(Interlocked.Read(ref _requests), Volatile.Read(ref _inFlight), Volatile.Read(ref _peakInFlight));

    public void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peakInFlight);
        while (inFlight > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void Reset()
    {
        _members.Clear();
        _calls.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Volatile.Write(ref _peakInFlight, Volatile.Read(ref _inFlight));
        LoadCatalogue();
        Volatile.Write(ref _knobs, InitialKnobs(_options));
        lock (_randomLock)
        {
            _random = _options.Seed is { } seed ? new Random(seed) : new Random();
        }
    }

    /// <summary>The 1-based number of this call for the member (drives the bursts).</summary>
    public int NextCall(SandboxMember member) =>
        _calls.AddOrUpdate(Key(member.PayerId, member.MemberId), 1, (_, n) => n + 1);

    /// <summary>Draws a fault for one request from the current rates (one draw per request, so a seed replays).</summary>
    public SandboxFault DrawFault()
    {
        var faults = Knobs.Faults;
        if (faults.Total <= 0)
        {
            return SandboxFault.None;
        }

        double draw;
        lock (_randomLock)
        {
            draw = _random.NextDouble();
        }

        if ((draw -= faults.Timeout) < 0)
        {
            return SandboxFault.Timeout;
        }

        if ((draw -= faults.Http503) < 0)
        {
            return SandboxFault.Http503;
        }

        if ((draw -= faults.Http429) < 0)
        {
            return SandboxFault.Http429;
        }

        return draw - faults.Aaa42 < 0 ? SandboxFault.Aaa42 : SandboxFault.None;
    }

    private void LoadCatalogue()
    {
        foreach (var member in SandboxCatalogue.Members)
        {
            _members[Key(member.PayerId, member.MemberId)] = member;
        }
    }

    private static SandboxKnobs InitialKnobs(SandboxOptions options) =>
        new(options.LatencyMs, options.SlowLatencyMs, options.TimeoutDelayMs, options.Faults);

    private static string Key(string payerId, string memberId) => $"{payerId}|{memberId.ToUpperInvariant()}";
}

/// <summary>What the sandbox has seen: inquiries received, in flight now, and the most in flight at once.</summary>
public sealed record SandboxTraffic(long Requests, int InFlight, int PeakInFlight);
