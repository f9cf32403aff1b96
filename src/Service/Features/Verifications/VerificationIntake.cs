using CoverageCheck.Service.Features.CarveOuts;
using CoverageCheck.Service.Features.Consents;
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
    /// <summary>
    /// Whether the payload's consent is one given now, to record (a census row). A re-verification re-uses the consent
    /// on file and never records one: a verification stored without a consent record stays without one.
    /// </summary>
    public bool RecordsConsent { get; init; } = true;

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
    CarveOutFollower carveOuts,
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

        var ids = await store.InsertQueuedAsync(Prepare(submissions), access, cancellationToken);
        signal.Notify();
        return ids;
    }

    /// <summary>Wakes the worker: verifications were queued outside <see cref="QueueManyAsync"/> (a census intake's own transaction).</summary>
    public void Notify() => signal.Notify();

    /// <summary>
    /// The verifications a set of queued submissions becomes, ids assigned, each with the consent record its row gave
    /// (a re-verification re-uses the consent on file); for <see cref="VerificationStore.InsertQueuedAsync(IReadOnlyList{NewVerification}, AccessContext, CancellationToken)"/>
    /// or an intake that writes them inside its own transaction.
    /// </summary>
    public IReadOnlyList<NewVerification> Prepare(IReadOnlyList<QueuedSubmission> submissions)
    {
        var traceParent = VerificationTelemetry.CurrentTraceParent();
        var now = timeProvider.GetUtcNow();
        return
            [.. submissions.Select(submission =>
            {
                var source = submission.BatchId is null ? ConsentSources.Api : ConsentSources.Census;
                var (payload, consent) = submission.RecordsConsent ? WithConsent(submission.Payload, source, now) : (submission.Payload, null);
                return new NewVerification
                {
                    Id = Guid.CreateVersion7(now),
                    PayerId = payload.Insurance.PayerId,
                    MemberId = payload.Insurance.MemberId,
                    PatientRef = payload.PatientRef,
                    PayloadJson = VerificationJson.Write(payload),
                    ProgramEnd = payload.Program is { } program ? program.End : null,
                    BatchId = submission.BatchId,
                    BatchLine = submission.BatchLine,
                    PreviousVerificationId = submission.PreviousVerificationId,
                    TraceParent = traceParent,
                    ConsentId = payload.Consent.Id,
                    NewConsent = consent,
                };
            })];
    }


    public async Task<SubmittedVerification> SubmitAsync(
        VerificationPayload payload, AccessContext access, SubmitOptions submit, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var leaseOwner = $"{_instance}:{id:N}";
        (payload, var consent) = WithConsent(payload, ConsentSources.Api, now);
        var inserted = await store.InsertAsync(
            new NewVerification
            {
                Id = id,
                PayerId = payload.Insurance.PayerId,
                MemberId = payload.Insurance.MemberId,
                PatientRef = payload.PatientRef,
                PayloadJson = VerificationJson.Write(payload),
                IdempotencyKey = submit.IdempotencyKey,
                ProgramEnd = payload.Program is { } program ? program.End : null,
                BatchId = submit.BatchId,
                BatchLine = submit.BatchLine,
                PreviousVerificationId = submit.PreviousVerificationId,
                TraceParent = VerificationTelemetry.CurrentTraceParent(),
                // The real-time attempt holds the lease, so no worker takes the item while the caller waits.
                Lease = submit.RealTime ? new VerificationLease(leaseOwner, settings.LeaseDuration) : null,
                ConsentId = payload.Consent.Id,
                NewConsent = consent,
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
        var started = timeProvider.GetTimestamp();
        AttemptResult attempt;
        using (var budget = new CancellationTokenSource(settings.RealTimeBudget, timeProvider))
        {
            try
            {
                attempt = await processor.AttemptAsync(record.Id, payload, attempt: 1, budget.Token, access: access);
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
        else if (attempt.Outcome == AttemptOutcome.Waiting)
        {
            // The worker is asking the plan's behavioural-health administrator: wait for it within what is left of the budget.
            await carveOuts.WaitForParentAsync(record.Id, settings.RealTimeBudget - timeProvider.GetElapsedTime(started), cancellationToken);
        }

        var current = await store.GetAsync(record.Id, access, CancellationToken.None) ?? record;
        return new SubmittedVerification(current, Created: true);
    }

    /// <summary>
    /// The consent record a request's consent becomes (recorded with the verification, in its transaction), and the
    /// payload pointing at it. A request that already refers to a consent on file (a re-verification) keeps it; one
    /// without a usable consent gets none, and the check before the payer call stops it (<c>consent-missing</c>).
    /// </summary>
    private static (VerificationPayload Payload, NewConsent? Consent) WithConsent(VerificationPayload payload, string source, DateTimeOffset now)
    {
        var given = payload.Consent;
        if (given.Id is not null || !given.Obtained || !ConsentMethods.IsKnown(given.Method))
        {
            return (payload, null);
        }

        var givenAt = given.GivenAt ?? now;
        var consent = new NewConsent(
            Guid.CreateVersion7(now),
            ConsentGivers.IsKnown(given.GivenBy) ? given.GivenBy! : ConsentGivers.Patient,
            given.Method!,
            givenAt,
            given.ExpiresAt ?? ConsentTerms.DefaultExpiry(givenAt, payload.Program),
            payload.Insurance.PayerId,
            given.TextVersion,
            source);
        var recorded = given with { Id = consent.Id, GivenBy = consent.GivenBy, GivenAt = consent.GivenAt, ExpiresAt = consent.ExpiresAt };
        return (payload with { Consent = recorded }, consent);
    }
}
