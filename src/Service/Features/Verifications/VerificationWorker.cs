using System.Collections.Concurrent;
using System.Threading.Channels;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Finishes every queued verification. It claims due items with a lease in the database (so several instances sharing
/// one database never work on one item at once, and a crashed instance's items are taken over when their lease
/// expires), hands them through a bounded channel to a fixed set of consumers, limits how many run per payer, and
/// writes each outcome fenced by its lease.
/// </summary>
internal sealed class VerificationWorker(
    VerificationStore store,
    VerificationQueue queue,
    VerificationProcessor processor,
    VerificationOutcomes outcomes,
    VerificationSignal signal,
    VerificationTelemetry telemetry,
    DatabaseReadiness readiness,
    TimeProvider timeProvider,
    IOptions<VerificationOptions> options,
    IOptions<ClearinghouseOptions> clearinghouse,
    ILogger<VerificationWorker> logger) : BackgroundService
{
    private readonly string _workerId = $"worker:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _payerSlots = new(StringComparer.Ordinal);
    private int _inFlight;
    private long _statsAt;

    internal string WorkerId => _workerId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WorkerEnabled)
        {
            logger.LogInformation("The verification worker is disabled in this instance (Verification:WorkerEnabled)");
            return;
        }

        try
        {
            await readiness.WhenMigrated.WaitAsync(stoppingToken);
        }
        catch (DatabaseUnavailableException)
        {
            return; // the migration service stops the host and says why
        }

        var concurrency = settings.EffectiveWorkerConcurrency(clearinghouse.Value.MaxConcurrency);
        logger.LogInformation(
            "The verification worker runs up to {Concurrency} verifications at once, {PerPayer} per payer ({PayerLimits} payers with their own limit), {ClearinghouseLimit} at the clearinghouse",
            concurrency, settings.PerPayerConcurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no limit", settings.PayerConcurrency.Count, clearinghouse.Value.MaxConcurrency);
        var channel = Channel.CreateBounded<VerificationRecord>(new BoundedChannelOptions(concurrency)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var consumers = Enumerable.Range(0, concurrency)
            .Select(_ => Task.Run(() => ConsumeAsync(channel.Reader, stoppingToken), CancellationToken.None))
            .ToArray();

        try
        {
            await ProduceAsync(channel.Writer, settings, concurrency, stoppingToken);
        }
        finally
        {
            channel.Writer.TryComplete();
            await Task.WhenAll(consumers);
        }
    }

    private async Task ProduceAsync(ChannelWriter<VerificationRecord> writer, VerificationOptions settings, int concurrency, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimedAny = false;
            try
            {
                // Claim only what can start now: a claimed item waiting in a queue would burn its lease.
                var free = concurrency - Volatile.Read(ref _inFlight);
                if (free > 0)
                {
                    var claimed = await queue.ClaimAsync(_workerId, timeProvider.GetUtcNow(), settings.LeaseDuration, free, stoppingToken);
                    foreach (var record in claimed)
                    {
                        Interlocked.Increment(ref _inFlight);
                        await writer.WriteAsync(record, stoppingToken);
                    }

                    claimedAny = claimed.Count == free;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The verification worker could not claim work; it tries again after {PollInterval}", settings.PollInterval);
            }

            await RefreshQueueStatsAsync(stoppingToken);
            if (!claimedAny)
            {
                await WaitForWorkAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    private async Task RefreshQueueStatsAsync(CancellationToken stoppingToken)
    {
        var now = timeProvider.GetTimestamp();
        if (_statsAt != 0 && timeProvider.GetElapsedTime(_statsAt, now) < TimeSpan.FromSeconds(5))
        {
            return;
        }

        _statsAt = now;
        try
        {
            telemetry.UpdateQueue(await queue.GetQueueStatsAsync(stoppingToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Queue statistics could not be read");
        }
    }

    private async Task WaitForWorkAsync(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        // Whichever comes first: new work signalled, or the poll interval (on TimeProvider, so tests control it).
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(signal.WaitAsync(wake.Token), Task.Delay(pollInterval, timeProvider, wake.Token));
        await wake.CancelAsync();
    }

    private async Task ConsumeAsync(ChannelReader<VerificationRecord> reader, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await foreach (var record in reader.ReadAllAsync(CancellationToken.None))
        {
            // Only a payer with a limit of its own waits for a payer slot; the others share the worker's slots.
            var slot = settings.ConcurrencyFor(record.PayerId) is { } limit
                ? _payerSlots.GetOrAdd(record.PayerId, _ => new SemaphoreSlim(limit, limit))
                : null;
            try
            {
                if (slot is not null)
                {
                    await slot.WaitAsync(stoppingToken);
                }

                try
                {
                    await ProcessAsync(record, stoppingToken);
                }
                finally
                {
                    slot?.Release();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the lease expires and another instance (or this one, restarted) takes the item over.
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                signal.Notify();
            }
        }
    }

    private async Task ProcessAsync(VerificationRecord record, CancellationToken stoppingToken)
    {
        AttemptResult attempt;
        // An attempt must end well inside its lease, or another instance could take the item over while it runs.
        using var leaseBudget = new CancellationTokenSource(options.Value.LeaseDuration * 0.8, timeProvider);
        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseBudget.Token);
        try
        {
            var payload = VerificationJson.ReadPayload(record.PayloadJson);
            var parent = await VerificationTelemetry.ParentOfAttemptAsync(store, record.Id, attemptToken.Token);
            attempt = await processor.AttemptAsync(record.Id, payload, record.Attempts, attemptToken.Token, parent, AccessContext.ForWorker(_workerId));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (leaseBudget.IsCancellationRequested)
        {
            attempt = new AttemptResult(AttemptOutcome.Retry, null, "attempt-timeout", "The payer did not answer within the worker's lease; it will be retried.");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Verification {VerificationId} attempt {Attempt} failed unexpectedly", record.Id, record.Attempts);
            attempt = new AttemptResult(AttemptOutcome.Retry, null, "internal-error", "An internal error stopped this attempt; it will be retried.", Cause: RetryCause.Member);
        }

        try
        {
            await outcomes.ApplyAsync(record, _workerId, attempt, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The lease expires and the item is claimed again: nothing is lost, the attempt is repeated.
            logger.LogError(e, "Verification {VerificationId}: its outcome could not be written; it will be retried when its lease expires", record.Id);
        }
    }
}
