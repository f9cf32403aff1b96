namespace CoverageCheck.Service.Tests;

/// <summary>
/// The clock of every in-process test host: it starts at <see cref="Start"/> whatever the machine's date, and runs at
/// the real rate. So "today" is always 28 November 2026 (the dates of service, program dates and census files the
/// tests send stay within the service's rules, and the plan year the sandbox answers with is always 2026), while
/// timers, delays, the worker's polling and the resilience pipeline's waits behave as deployed. A test that must step
/// time by hand gives its host a <c>FakeTimeProvider</c> instead.
/// </summary>
internal sealed class TestClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = DateOnly.FromDateTime(Start.UtcDateTime);

    private readonly long _started = TimeProvider.System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => Start + TimeProvider.System.GetElapsedTime(_started);
}
