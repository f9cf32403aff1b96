using CoverageCheck.Service.Data;
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
                var queued = await RunOnceAsync(stoppingToken);
                logger.LogInformation("Nightly re-verification queued {Count} verifications", queued);
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

    /// <summary>Queues one re-verification per active patient; returns how many.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<VerificationStore>();
        var intake = scope.ServiceProvider.GetRequiredService<VerificationIntake>();
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var access = AccessContext.ForWorker("re-verification", "nightly re-verification of the active census");
        var count = 0;
        foreach (var candidate in await store.ListReverificationCandidatesAsync(today, cancellationToken))
        {
            var previous = await store.GetAsync(candidate.VerificationId, access, cancellationToken);
            if (previous is null)
            {
                continue;
            }

            var payload = VerificationPayloadJson.Read(previous.PayloadJson) with { DateOfService = today };
            await intake.SubmitAsync(payload, access, new SubmitOptions { PreviousVerificationId = previous.Id }, cancellationToken);
            count++;
        }

        return count;
    }
}
