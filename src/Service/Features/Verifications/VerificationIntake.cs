using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>How a verification enters the system.</summary>
internal sealed record SubmitOptions
{
    /// <summary>The caller's <c>Idempotency-Key</c>: a repeat returns the verification the first call made.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Ask the payer now, within <see cref="VerificationOptions.RealTimeBudget"/>; otherwise only queue it.</summary>
    public bool RealTime { get; init; }

    public Guid? BatchId { get; init; }
    public int? BatchLine { get; init; }

    /// <summary>The verification this one re-checks (nightly re-verification): changes between them are recorded.</summary>
    public Guid? PreviousVerificationId { get; init; }
}

internal sealed record SubmittedVerification(VerificationRecord Record, bool Created);

/// <summary>One census row for <see cref="VerificationIntake.QueueManyAsync"/>: its request and where it came from.</summary>
internal sealed record QueuedSubmission(VerificationPayload Payload, Guid? BatchId, int? BatchLine)
{
    /// <summary>The verification this one re-checks (nightly re-verification): changes between them are recorded.</summary>
    public Guid? PreviousVerificationId { get; init; }
}

/// <summary>
/// The one way in for a verification — the API, batches and the nightly re-verification all submit here. The request
/// is stored before the payer is asked, so nothing is lost if the payer is slow or the process dies: the worker
/// finishes whatever the real-time attempt could not.
/// </summary>
internal sealed class VerificationIntake(
    VerificationStore store,
    VerificationProcessor processor,
    VerificationOutcomes outcomes,
    VerificationSignal signal,
    TimeProvider timeProvider,
    IOptionsMonitor<VerificationOptions> options)
{
    private readonly string _instance = $"api:{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Queues many verifications at once (a census batch): stored in one write, no real-time attempt, the worker told
    /// once. Returns their ids in the order given.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> QueueManyAsync(IReadOnlyList<QueuedSubmission> submissions, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        if (submissions.Count == 0)
        {
            return [];
        }

        var traceParent = VerificationTelemetry.CurrentTraceParent();

        var now = timeProvider.GetUtcNow();
        var ids = await store.InsertQueuedAsync(
            [.. submissions.Select(submission => new NewVerification
            {
                Id = Guid.CreateVersion7(now),
                PayerId = submission.Payload.Insurance.PayerId,
                MemberId = submission.Payload.Insurance.MemberId,
                PayloadJson = VerificationJson.Write(submission.Payload),
                ProgramEnd = submission.Payload.Program is { } program ? program.End : null,
                BatchId = submission.BatchId,
                BatchLine = submission.BatchLine,
                PreviousVerificationId = submission.PreviousVerificationId,
                TraceParent = traceParent,
            })],
            access,
            cancellationToken);
        signal.Notify();
        return ids;
    }

    public async Task<SubmittedVerification> SubmitAsync(
        VerificationPayload payload, AccessContext access, SubmitOptions submit, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var id = Guid.CreateVersion7(timeProvider.GetUtcNow());
        var leaseOwner = $"{_instance}:{id:N}";
        var inserted = await store.InsertAsync(
            new NewVerification
            {
                Id = id,
                PayerId = payload.Insurance.PayerId,
                MemberId = payload.Insurance.MemberId,
                PayloadJson = VerificationJson.Write(payload),
                IdempotencyKey = submit.IdempotencyKey,
                ProgramEnd = payload.Program is { } program ? program.End : null,
                BatchId = submit.BatchId,
                BatchLine = submit.BatchLine,
                PreviousVerificationId = submit.PreviousVerificationId,
                TraceParent = VerificationTelemetry.CurrentTraceParent(),
                // The real-time attempt holds the lease, so no worker takes the item while the caller waits.
                Lease = submit.RealTime ? new VerificationLease(leaseOwner, settings.LeaseDuration) : null,
            },
            access,
            cancellationToken);

        if (!inserted.Created)
        {
            return new SubmittedVerification(inserted.Record, Created: false);
        }

        if (!submit.RealTime)
        {
            signal.Notify();
            return new SubmittedVerification(inserted.Record, Created: true);
        }

        var record = inserted.Record;
        AttemptResult attempt;
        using (var budget = new CancellationTokenSource(settings.RealTimeBudget, timeProvider))
        {
            try
            {
                attempt = await processor.AttemptAsync(record.Id, payload, attempt: 1, budget.Token);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                attempt = new AttemptResult(AttemptOutcome.Retry, null, "real-time-budget",
                    $"The payer did not answer within {settings.RealTimeBudget.TotalSeconds:0.#} s; the worker keeps trying.", RetryAfter: TimeSpan.Zero);
            }
        }

        // Written whatever the caller's connection does now: the answer must not be lost.
        await outcomes.ApplyAsync(record with { Attempts = Math.Max(1, record.Attempts) }, leaseOwner, attempt, CancellationToken.None);
        if (attempt.Outcome == AttemptOutcome.Retry)
        {
            signal.Notify();
        }

        var current = await store.GetAsync(record.Id, access, CancellationToken.None) ?? record;
        return new SubmittedVerification(current, Created: true);
    }
}
