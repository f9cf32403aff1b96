using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Metrics and traces of verifications: by payer and outcome, payer latency, retries, queue depth and the age of the
/// oldest queued item. Tags carry payer IDs and outcomes only — never a person.
/// </summary>
internal sealed class VerificationTelemetry : IDisposable
{
    public const string Name = "CoverageCheck.Verifications";
    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The W3C <c>traceparent</c> of the current activity when it is recorded (traces are exported), for the
    /// verification to keep: its later attempts in the worker then join the request's trace. Null otherwise.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// The trace a worker attempt joins: the one the verification was created in, when traces are recorded and it kept
    /// one; otherwise none (the attempt starts its own).
    /// </summary>
    public static async Task<ActivityContext> ParentOfAttemptAsync(VerificationStore store, Guid verificationId, CancellationToken cancellationToken) =>
        Source.HasListeners()
        && await store.GetTraceParentAsync(verificationId, cancellationToken) is { } traceParent
        && ActivityContext.TryParse(traceParent, null, out var parent)
            ? parent
            : default;

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _gaveUp;
    private readonly Histogram<double> _payerLatency;
    private QueueStats _queue = new(0, 0, null);

    public VerificationTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _attempts = _meter.CreateCounter<long>("coveragecheck.verification.attempts", description: "Verification attempts by payer and outcome.");
        _retries = _meter.CreateCounter<long>("coveragecheck.verification.retries", description: "Attempts that ended in a scheduled retry.");
        _gaveUp = _meter.CreateCounter<long>("coveragecheck.verification.gave_up", description: "Verifications sent to needs-review after their last attempt.");
        _payerLatency = _meter.CreateHistogram<double>("coveragecheck.payer.latency", unit: "s", description: "Time the clearinghouse took to answer one attempt.");
        _meter.CreateObservableGauge("coveragecheck.queue.depth", () => new Measurement<int>(Volatile.Read(ref _queue).Queued), description: "Queued verifications.");
        _meter.CreateObservableGauge("coveragecheck.queue.in_progress", () => new Measurement<int>(Volatile.Read(ref _queue).InProgress), description: "Verifications being worked on.");
        _meter.CreateObservableGauge("coveragecheck.queue.oldest_age", () => new Measurement<double>(Volatile.Read(ref _queue).OldestQueuedAge?.TotalSeconds ?? 0), unit: "s", description: "Age of the oldest queued verification.");
    }

    public void RecordAttempt(string payerId, AttemptOutcome outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("payer", payerId), new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void RecordRetryScheduled(string payerId) => _retries.Add(1, new KeyValuePair<string, object?>("payer", payerId));

    public void RecordGaveUp(string payerId) => _gaveUp.Add(1, new KeyValuePair<string, object?>("payer", payerId));

    public void RecordPayerLatency(string payerId, TimeSpan elapsed) =>
        _payerLatency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("payer", payerId));

    public void UpdateQueue(QueueStats stats) => Volatile.Write(ref _queue, stats);

    public void Dispose() => _meter.Dispose();
}
