using CoverageCheck.Service.Features.CarveOuts;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Writes what one attempt found: completed, needs-review, or back in the queue on a persisted backoff schedule
/// (never a Polly retry as a scheduler). Every write is fenced by the lease the caller holds.
/// </summary>
internal sealed class VerificationOutcomes(
    VerificationQueue queue,
    CoverageChangeDetector changes,
    CarveOutFollower carveOuts,
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
        var ended = true;
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Waiting:
                written = await carveOuts.WaitAsync(record, leaseOwner, attempt, cancellationToken);
                ended = false;
                break;

            case AttemptOutcome.Completed:
                var found = record.PreviousVerificationId is { } previous
                    ? await changes.DetectAsync(previous, attempt.Result, cancellationToken)
                    : null;
                written = await queue.CompleteAsync(
                    record.Id, leaseOwner, VerificationStatus.Completed, VerificationJson.Write(attempt.Result!), now, cancellationToken,
                    changes: found, log: Log(record, attempt));
                break;

            case AttemptOutcome.NeedsReview:
                written = await queue.MarkNeedsReviewAsync(
                    record.Id, leaseOwner, VerificationJson.WriteOrNull(attempt.Result), now, attempt.ErrorCode, attempt.Error, cancellationToken, Log(record, attempt));
                break;

            default:
                // Given up by time (the payer's outage may last hours), or by count only for answers about this member.
                var log = Log(record, attempt);

                // A call the breaker refused tells nothing new: keep what the payer said last (its AAA code, its 5xx).
                var (errorCode, error) = attempt.Cause == RetryCause.NotSent && record.LastErrorCode is not null
                    ? (record.LastErrorCode, record.LastError)
                    : (attempt.ErrorCode, attempt.Error);
                var counted = log.Counted ? await queue.CountCountedAttemptsAsync(record.Id, cancellationToken) + 1 : 0;
                var giveUpAt = GiveUpAt(record, settings);
                if (now >= giveUpAt || counted >= settings.MaxAttempts)
                {
                    var why = now >= giveUpAt
                        ? $"Gave up at {giveUpAt:u} (Verification:GiveUpAfter, or the program's start date) after {record.Attempts} attempts."
                        : $"Gave up after {counted} retryable answers from the payer for this inquiry (Verification:MaxAttempts).";
                    written = await queue.MarkNeedsReviewAsync(
                        record.Id, leaseOwner, VerificationJson.WriteOrNull(attempt.Result), now, errorCode,
                        $"{why} Last: {error}", cancellationToken, log);
                    telemetry.RecordGaveUp(record.PayerId);
                }
                else
                {
                    // One last try at the deadline rather than none after it.
                    var next = now + Backoff(record.Attempts, attempt.RetryAfter, settings);
                    written = await queue.RescheduleAsync(
                        record.Id, leaseOwner, next < giveUpAt ? next : giveUpAt, errorCode, error, cancellationToken, log);
                    telemetry.RecordRetryScheduled(record.PayerId);
                    ended = false;
                }

                break;
        }

        if (!written)
        {
            logger.LogWarning("Verification {VerificationId}: the lease was lost before its outcome could be written; another instance owns it", record.Id);
        }
        else if (ended)
        {
            // A linked verification to a carve-out administrator has ended: its parent need not wait any longer.
            await carveOuts.ChildEndedAsync(record, cancellationToken);
        }

        return written;
    }

    private static AttemptLog Log(VerificationRecord record, AttemptResult attempt) =>
        new(record.Attempts, attempt.Sent, attempt.Outcome == AttemptOutcome.Retry && attempt.Cause == RetryCause.Member);

    /// <summary>
    /// When a verification the payer cannot answer is given up: <c>Verification:GiveUpAfter</c> after its creation, and
    /// never after the end (UTC) of its program's start date, when that date was still ahead at creation (a nightly
    /// re-verification of a patient already in treatment has only the first limit).
    /// </summary>
    internal static DateTimeOffset GiveUpAt(VerificationRecord record, VerificationOptions settings)
    {
        var limit = record.CreatedAt + settings.GiveUpAfter;
        var program = VerificationJson.ReadPayload(record.PayloadJson).Program;
        if (program is not null)
        {
            var endOfStartDate = new DateTimeOffset(program.StartDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endOfStartDate > record.CreatedAt && endOfStartDate < limit)
            {
                limit = endOfStartDate;
            }
        }

        return limit;
    }

    /// <summary>
    /// Exponential backoff with jitter: base × 2^(attempt−1), ±20 %, capped at <c>Verification:RetryMaxDelay</c>; a
    /// payer's Retry-After wins when longer, up to the same cap (a <c>Retry-After: 99999999</c> must not park a
    /// verification for years). A zero Retry-After (the real-time budget ran out) means "as soon as the worker can".
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
        if (retryAfter is { } after && after > delay)
        {
            return after < settings.RetryMaxDelay ? after : settings.RetryMaxDelay;
        }

        return delay;
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
