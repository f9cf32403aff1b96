using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Writes what one attempt found: completed, needs-review, or back in the queue on a persisted backoff schedule
/// (never a Polly retry as a scheduler). Every write is fenced by the lease the caller holds.
/// </summary>
internal sealed class VerificationOutcomes(
    VerificationQueue queue,
    CoverageChangeDetector changes,
    VerificationTelemetry telemetry,
    TimeProvider timeProvider,
    IOptionsMonitor<VerificationOptions> options,
    ILogger<VerificationOutcomes> logger)
{
    /// <returns>False when the lease was lost (another instance owns the item now) and nothing was written.</returns>
    public async Task<bool> ApplyAsync(VerificationRecord record, string leaseOwner, AttemptResult attempt, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var settings = options.CurrentValue;
        bool written;
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Completed:
                var found = record.PreviousVerificationId is { } previous
                    ? await changes.DetectAsync(previous, attempt.Result, cancellationToken)
                    : null;
                written = await queue.CompleteAsync(
                    record.Id, leaseOwner, VerificationStatus.Completed, VerificationJson.Write(attempt.Result!), now, cancellationToken, changes: found);
                break;

            case AttemptOutcome.NeedsReview:
                written = await queue.MarkNeedsReviewAsync(record.Id, leaseOwner, VerificationJson.WriteOrNull(attempt.Result), now, attempt.ErrorCode, attempt.Error, cancellationToken);
                break;

            default:
                if (record.Attempts >= settings.MaxAttempts)
                {
                    written = await queue.MarkNeedsReviewAsync(
                        record.Id, leaseOwner, VerificationJson.WriteOrNull(attempt.Result), now, attempt.ErrorCode,
                        $"Gave up after {record.Attempts} attempts. Last: {attempt.Error}", cancellationToken);
                    telemetry.RecordGaveUp(record.PayerId);
                }
                else
                {
                    var next = now + Backoff(record.Attempts, attempt.RetryAfter, settings);
                    written = await queue.RescheduleAsync(record.Id, leaseOwner, next, attempt.ErrorCode, attempt.Error, cancellationToken);
                    telemetry.RecordRetryScheduled(record.PayerId);
                }

                break;
        }

        if (!written)
        {
            logger.LogWarning("Verification {VerificationId}: the lease was lost before its outcome could be written; another instance owns it", record.Id);
        }

        return written;
    }

    /// <summary>
    /// Exponential backoff with jitter: base × 2^(attempt−1), ±20 %, capped; a payer's Retry-After wins when longer.
    /// A zero Retry-After (the real-time budget ran out) means "as soon as the worker can".
    /// </summary>
    internal static TimeSpan Backoff(int attempts, TimeSpan? retryAfter, VerificationOptions settings)
    {
        if (retryAfter == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = settings.RetryBaseDelay * Math.Pow(2, exponent);
        if (delay > settings.RetryMaxDelay)
        {
            delay = settings.RetryMaxDelay;
        }

        delay *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        return retryAfter is { } after && after > delay ? after : delay;
    }
}

/// <summary>Wakes the worker when new work is queued, so it need not wait for its next poll.</summary>
internal sealed class VerificationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up is enough.
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);
}
