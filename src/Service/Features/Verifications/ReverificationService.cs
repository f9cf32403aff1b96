using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Re-verifies the active census on a schedule (default nightly, <c>Verification:ReverifySchedule</c>): every patient
/// whose latest completed verification has a program still running is asked about again, and what changed (coverage
/// ended, deductible progressed, plan changed) is recorded against the new verification.
/// </summary>
internal sealed class ReverificationService(
    IServiceScopeFactory scopes,
    DatabaseReadiness readiness,
    TimeProvider timeProvider,
    IOptions<VerificationOptions> options,
    ILogger<ReverificationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ReverifyAt is not { } at || !options.Value.WorkerEnabled)
        {
            return;
        }

        try
        {
            await readiness.WhenMigrated.WaitAsync(stoppingToken);
        }
        catch (DatabaseUnavailableException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            await Task.Delay(UntilNext(now, at), timeProvider, stoppingToken);
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The nightly re-verification failed; it runs again at its next time");
            }
        }
    }

    internal static TimeSpan UntilNext(DateTimeOffset now, TimeOnly at)
    {
        var utc = now.UtcDateTime;
        var next = new DateTimeOffset(DateOnly.FromDateTime(utc).ToDateTime(at), TimeSpan.Zero);
        if (next <= now)
        {
            next = next.AddDays(1);
        }

        return next - now;
    }

    /// <summary>
    /// Queues one re-verification per active patient as a batch of its own — the same kind finance uploads, so the
    /// same progress, reports and "changes since the previous run" apply. Returns how many were queued.
    /// </summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<VerificationStore>();
        var batches = scope.ServiceProvider.GetRequiredService<BatchStore>();
        var intake = scope.ServiceProvider.GetRequiredService<VerificationIntake>();
        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var access = AccessContext.ForWorker("re-verification", "nightly re-verification of the active census");

        var candidates = await store.ListReverificationCandidatesAsync(today, cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        var batch = await batches.CreateAsync(Guid.CreateVersion7(now), access, now, cancellationToken);
        await batches.SetNameAsync(batch.Id, BatchNames.Nightly, cancellationToken); // compared with the last nightly run
        var line = 1; // line 1 of an uploaded census is its header; keep the numbering finance knows
        var queued = 0;
        foreach (var chunk in candidates.Chunk(ChunkSize))
        {
            var submissions = new List<QueuedSubmission>(chunk.Length);
            var refs = new List<(int Line, string? PatientRef)>(chunk.Length);
            foreach (var candidate in chunk)
            {
                if (await store.GetAsync(candidate.VerificationId, access, cancellationToken) is not { } previous)
                {
                    continue;
                }

                var payload = VerificationJson.ReadPayload(previous.PayloadJson) with { DateOfService = today };
                line++;
                submissions.Add(new QueuedSubmission(payload, batch.Id, line) { PreviousVerificationId = previous.Id, RecordsConsent = false });
                refs.Add((line, payload.PatientRef));
            }

            var ids = await intake.QueueManyAsync(submissions, access, cancellationToken);
            await batches.AddRowsAsync(batch.Id, [.. refs.Select((r, i) => new BatchRowEntry(r.Line, r.PatientRef, ids[i], null, null))], cancellationToken);
            queued += ids.Count;
        }

        await batches.MarkRunningAsync(batch.Id, queued, cancellationToken);
        logger.LogInformation("Nightly re-verification queued {Count} verifications as batch {BatchId}", queued, batch.Id);
        return queued;
    }

    private const int ChunkSize = 500;
}
