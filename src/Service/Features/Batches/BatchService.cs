using System.Security.Cryptography;
using System.Text;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>What became of an uploaded census.</summary>
/// <param name="BatchId">The batch, or null when nothing could be read (see <paramref name="FileError"/>) or the census has no rows.</param>
/// <param name="Accepted">Rows queued as verifications.</param>
/// <param name="Rejected">Rows rejected, each in <paramref name="Errors"/>.</param>
/// <param name="Errors">Every rejected row with its line and reason, in file order.</param>
/// <param name="FileError">A file-level error before any row (bad header, not UTF-8, empty file).</param>
internal sealed record BatchSubmission(Guid? BatchId, int Accepted, int Rejected, IReadOnlyList<CensusRowError> Errors, CensusRowError? FileError)
{
    /// <summary>The answer of an earlier upload with the same <c>Idempotency-Key</c>: nothing new was stored.</summary>
    public bool Replayed { get; init; }
}

/// <summary>The state of a batch as <c>GET /api/v1/batches/{id}</c> shows it.</summary>
/// <param name="Batch">The stored batch.</param>
/// <param name="Progress">Rows by status and each payer's pace.</param>
/// <param name="Retrying">Rows queued again after an attempt, in line order (at most <see cref="BatchService.RetryingListed"/>).</param>
/// <param name="RetryingCount">All rows queued again after an attempt.</param>
/// <param name="Eta">The estimate in words, in program time: rows left at the payers' pace, and payers waited for with their next try.</param>
internal sealed record BatchState(BatchRecord Batch, BatchProgress Progress, IReadOnlyList<RetryingRow> Retrying, int RetryingCount, string Eta);

/// <summary>
/// Finance's census batches: reads an uploaded census, queues a verification per valid row (through
/// <see cref="VerificationIntake"/>, so the worker asks the payers and estimates), records every row's outcome,
/// reports progress, and builds the report.
/// </summary>
internal sealed class BatchService(
    BatchStore batches,
    VerificationIntake intake,
    PayerDirectory payers,
    AuditStore audit,
    ProgramTime programTime,
    TimeProvider timeProvider,
    ILogger<BatchService> logger)
{
    /// <summary>Retrying rows listed in a batch's state; the rest are counted (a payer down for a whole census would list them all).</summary>
    public const int RetryingListed = 100;

    /// <summary>Census rows prepared (their PHI encrypted) and written at a time, inside the intake's one transaction.</summary>
    public const int ChunkSize = 250;

    /// <summary>
    /// Reads a census and stores it all or nothing: the whole file is read first (a client that disconnects, or a
    /// read that fails, leaves nothing behind), then the batch, every valid row's verification and consent, and every
    /// row go in one durable transaction, and only then is the worker told. With an <paramref name="idempotencyKey"/>
    /// the caller used before, nothing is read or stored and the first batch is returned.
    /// </summary>
    public async Task<BatchSubmission> SubmitAsync(Stream census, AccessContext access, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var idempotencyHash = idempotencyKey is { Length: > 0 } key ? IdempotencyHash(access.Actor, key) : null;
        if (idempotencyHash is not null && await batches.FindByIdempotencyKeyAsync(idempotencyHash, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(earlier, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var reader = new CensusReader(payerId => payers.Find(payerId) is not null);
        var lines = new List<CensusLine>();
        await foreach (var line in reader.ReadAsync(census, today, cancellationToken))
        {
            if (lines.Count == 0 && line is CensusRowError { IsFileLevel: true } fileError)
            {
                return new BatchSubmission(null, 0, 0, [], fileError);
            }

            lines.Add(line);
        }

        if (lines.Count == 0)
        {
            return new BatchSubmission(null, 0, 0, [], null);
        }

        // Written whatever the caller's connection does now: the upload was read whole, so it is stored whole.
        var batchId = Guid.CreateVersion7(now);
        var id = await batches.SubmitAllAsync(
            batchId, lines.Count, Chunks(lines, batchId, today), idempotencyHash, access, timeProvider.GetUtcNow(), CancellationToken.None);
        if (id != batchId)
        {
            // Another upload with the same key won the race; nothing of this one was stored.
            return await ReplayAsync(id, CancellationToken.None);
        }

        intake.Notify();
        var errors = lines.OfType<CensusRowError>().ToList();
        logger.LogInformation("Batch {BatchId} accepted {Accepted} rows and rejected {Rejected}", id, lines.Count - errors.Count, errors.Count);
        return new BatchSubmission(id, lines.Count - errors.Count, errors.Count, errors, null);

        IEnumerable<BatchIntakeChunk> Chunks(List<CensusLine> all, Guid batch, DateOnly day)
        {
            foreach (var chunk in all.Chunk(ChunkSize))
            {
                var rows = chunk.OfType<CensusRow>().ToList();
                var queued = intake.Prepare([.. rows.Select(row => new QueuedSubmission(row.ToVerificationPayload(day), batch, row.Line))]);
                var next = 0;
                var entries = new List<BatchRowEntry>(chunk.Length);
                foreach (var line in chunk)
                {
                    entries.Add(line switch
                    {
                        CensusRow row => new BatchRowEntry(row.Line, row.PatientRef, queued[next++].Id, null, null),
                        CensusRowError error => new BatchRowEntry(error.Line, error.PatientRef, null, error.Code, error.Reason),
                        _ => throw new InvalidOperationException($"Unexpected census line {line.GetType().Name}."),
                    });
                }

                yield return new BatchIntakeChunk(queued, entries);
            }
        }
    }

    /// <summary>What the first upload with an idempotency key answered, rebuilt from its stored rows.</summary>
    private async Task<BatchSubmission> ReplayAsync(Guid id, CancellationToken cancellationToken)
    {
        var rows = await batches.ListRowsAsync(id, cancellationToken);
        var errors = rows
            .Where(row => row.ErrorCode is not null)
            .Select(row => new CensusRowError(row.Line, row.PatientRef, row.ErrorCode!, row.Error ?? ""))
            .ToList();
        return new BatchSubmission(id, rows.Count - errors.Count, errors.Count, errors, null) { Replayed = true };
    }

    /// <summary>Scoped to the caller, so two clients choosing the same key never see each other's batches.</summary>
    private static string IdempotencyHash(string actor, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"batch\u001f{actor}\u001f{key}")));

    /// <summary>
    /// The batch and its progress, or null when there is no such batch. A batch is marked completed once every row
    /// has an answer or waits for a payer that could not answer.
    /// </summary>
    public async Task<BatchState?> GetStateAsync(Guid id, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(id, cancellationToken);
        if (batch is null)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        var progress = BatchProgress.Compute(await batches.CountByPayerAsync(id, cancellationToken), batch.CreatedAt, now);
        if (progress.Pending == 0 && batch.Status == BatchStatus.Running
            && await batches.TryCompleteAsync(id, timeProvider.GetUtcNow(), cancellationToken))
        {
            batch = await batches.GetAsync(id, cancellationToken) ?? batch;
        }

        var retrying = progress.Counts[BatchRowStatus.Queued] > 0 ? await batches.ListRetryingAsync(id, cancellationToken) : [];
        return new BatchState(batch, progress, [.. retrying.Take(RetryingListed)], retrying.Count, DescribeEta(progress, retrying, now));
    }

    /// <summary>The payer's name from the payer table with its ID ("AETNA (60054)"), or the ID alone.</summary>
    public string PayerLabel(string payerId) => payers.Find(payerId) is { } payer ? $"{payer.Name} ({payerId})" : payerId;

    /// <summary>A moment as staff read it, in the program's time zone.</summary>
    public string ProgramTimeOf(DateTimeOffset at) => programTime.Format(at);

    /// <summary>
    /// The ETA in words: "done"; or the rows the worker is asking, how long they should take at the slowest payer's
    /// pace and when that is; then, for each payer that could not answer, how many rows wait for it and its next try.
    /// </summary>
    internal string DescribeEta(BatchProgress progress, IReadOnlyList<RetryingRow> retrying, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (progress.Pending > 0)
        {
            var slowest = progress.Payers?.Where(p => p.Pending > 0).MaxBy(p => p.EstimatedCompletion);
            parts.Add(progress.EstimatedCompletion is { } eta && slowest is not null
                ? $"{Rows(progress.Pending)} left, about {Duration(eta - now)} at {PayerLabel(slowest.PayerId)}'s pace so far (done about {programTime.Format(eta)})"
                : $"{Rows(progress.Pending)} left; no estimate until a payer has answered");
        }

        foreach (var payer in retrying.Where(r => r.PayerDown).GroupBy(r => r.PayerId, StringComparer.Ordinal).OrderBy(g => g.Min(r => r.NextAttemptAt)))
        {
            parts.Add($"{Rows(payer.Count())} waiting for payer {PayerLabel(payer.Key)}, which could not answer; next try at {programTime.Format(payer.Min(r => r.NextAttemptAt))}");
        }

        return parts.Count == 0 ? "done" : string.Join("; ", parts);

        static string Rows(int n) => n == 1 ? "1 row" : $"{n:N0} rows";
    }

    /// <summary>A span for people: "under a minute", "about 4 minutes", "1 h 20 min".</summary>
    internal static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s",
        { TotalMinutes: < 60 } => $"{(int)Math.Ceiling(span.TotalMinutes)} min",
        _ => $"{(int)span.TotalHours} h {span.Minutes} min",
    };

    /// <summary>
    /// The report of a batch, with the changes since the batch before it; null when there is no such batch.
    /// It reads payer answers (PHI), so the export is audited.
    /// </summary>
    public async Task<BatchReport?> BuildReportAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(id, cancellationToken);
        if (batch is null)
        {
            return null;
        }

        await audit.AppendAsync(access, AuditActions.Export, AuditRecordTypes.Batch, id.ToString(), cancellationToken);
        var rows = await ReadRowsAsync(id, access, cancellationToken);

        IReadOnlyList<BatchChange> changes = [];
        DateTimeOffset? previousRunAt = null;
        // The last run of the same census (by name), not whichever batch came before (#19).
        if (await batches.FindPreviousRunAsync(batch, cancellationToken) is { } previous)
        {
            await audit.AppendAsync(access, AuditActions.Export, AuditRecordTypes.Batch, previous.Id.ToString(), cancellationToken);
            changes = BatchChange.Compare(await ReadRowsAsync(previous.Id, access, cancellationToken), rows);
            previousRunAt = previous.CreatedAt;
        }

        return new BatchReport(id.ToString(), null, timeProvider.GetUtcNow(), rows, changes, previousRunAt);
    }

    private async Task<IReadOnlyList<BatchReportRow>> ReadRowsAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        var sources = await batches.ListReportSourcesAsync(id, cancellationToken);
        // Which patients the export concerned: each verification, and each rejected line (its patient_ref is in it).
        await audit.AppendManyAsync(access, AuditActions.Export,
        [
            .. sources.Select(source => source.Row.VerificationId is { } verification
                ? new AuditRecord(AuditRecordTypes.Verification, verification.ToString())
                : new AuditRecord(AuditRecordTypes.BatchRow, $"{id}:{source.Row.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}")),
        ], cancellationToken);
        return
        [
            .. sources.Select(source => WithRetrying(BatchReportRows.From(
                source.Row,
                source.PayloadJson is { Length: > 0 } payload ? VerificationJson.ReadPayload(payload) : null,
                VerificationJson.ReadResult(source.ResultJson),
                source.Row.PayerId is { } payerId ? payers.Find(payerId)?.Name : null), source.Row)),
        ];
    }

    /// <summary>A row queued again after an attempt says why and when it is tried next, in program time.</summary>
    private BatchReportRow WithRetrying(BatchReportRow report, BatchRowRecord row)
    {
        if (row.VerificationStatus != BatchRowStatus.Queued || row.Attempts is not > 0 || row.NextAttemptAt is not { } next)
        {
            return report;
        }

        var why = row.PayerDown
            ? $"waiting for payer {PayerLabel(row.PayerId ?? "")}, which could not answer"
            : "the payer asked to resubmit this inquiry";
        var code = row.LastErrorCode is { Length: > 0 } lastCode ? $" ({lastCode})" : "";
        return report with { NextTryAt = next, Retrying = $"{why}{code}; attempt {row.Attempts} made, next try at {programTime.Format(next)}" };
    }
}
