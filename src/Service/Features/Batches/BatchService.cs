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
internal sealed record BatchSubmission(Guid? BatchId, int Accepted, int Rejected, IReadOnlyList<CensusRowError> Errors, CensusRowError? FileError);

/// <summary>The state of a batch as <c>GET /api/v1/batches/{id}</c> shows it.</summary>
internal sealed record BatchState(BatchRecord Batch, BatchProgress Progress);

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
    TimeProvider timeProvider,
    ILogger<BatchService> logger)
{
    /// <summary>Census rows written to <c>batch_rows</c> per transaction.</summary>
    public const int ChunkSize = 250;

    public async Task<BatchSubmission> SubmitAsync(Stream census, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var reader = new CensusReader(payerId => payers.Find(payerId) is not null);

        Guid? batchId = null;
        var pending = new List<CensusLine>(ChunkSize);
        var errors = new List<CensusRowError>();
        var accepted = 0;

        await foreach (var line in reader.ReadAsync(census, today, cancellationToken))
        {
            if (batchId is null && line is CensusRowError { IsFileLevel: true } fileError)
            {
                return new BatchSubmission(null, 0, 0, [], fileError);
            }

            batchId ??= (await batches.CreateAsync(Guid.CreateVersion7(now), access, now, cancellationToken)).Id;
            pending.Add(line);
            if (line is CensusRowError error)
            {
                errors.Add(error);
            }
            else
            {
                accepted++;
            }

            if (pending.Count >= ChunkSize)
            {
                await WriteChunkAsync(batchId.Value, pending, today, access, cancellationToken);
                pending.Clear();
            }
        }

        if (batchId is not { } id)
        {
            return new BatchSubmission(null, 0, 0, [], null);
        }

        await WriteChunkAsync(id, pending, today, access, cancellationToken);
        await batches.MarkRunningAsync(id, accepted + errors.Count, cancellationToken);
        logger.LogInformation("Batch {BatchId} accepted {Accepted} rows and rejected {Rejected}", id, accepted, errors.Count);
        return new BatchSubmission(id, accepted, errors.Count, errors, null);
    }

    /// <summary>
    /// Queues a chunk's valid rows as verifications in one write, then records every row of the chunk (valid or
    /// rejected) in file order. A write per chunk, not per row: see <see cref="VerificationStore.InsertQueuedAsync"/>.
    /// </summary>
    private async Task WriteChunkAsync(Guid batchId, List<CensusLine> chunk, DateOnly today, AccessContext access, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var rows = chunk.OfType<CensusRow>().ToList();
        var ids = await intake.QueueManyAsync(
            [.. rows.Select(row => new QueuedSubmission(row.ToVerificationPayload(today), batchId, row.Line))],
            access,
            cancellationToken);
        var next = 0;
        var entries = new List<BatchRowEntry>(chunk.Count);
        foreach (var line in chunk)
        {
            entries.Add(line switch
            {
                CensusRow row => new BatchRowEntry(row.Line, row.PatientRef, ids[next++], null, null),
                CensusRowError error => new BatchRowEntry(error.Line, error.PatientRef, null, error.Code, error.Reason),
                _ => throw new InvalidOperationException($"Unexpected census line {line.GetType().Name}."),
            });
        }

        await batches.AddRowsAsync(batchId, entries, cancellationToken);
    }

    /// <summary>The batch and its progress, or null when there is no such batch. A finished batch is marked completed.</summary>
    public async Task<BatchState?> GetStateAsync(Guid id, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(id, cancellationToken);
        if (batch is null)
        {
            return null;
        }

        var progress = BatchProgress.Compute(await batches.CountByStatusAsync(id, cancellationToken), batch.CreatedAt, timeProvider.GetUtcNow());
        if (progress.Pending == 0 && batch.Status == BatchStatus.Running
            && await batches.TryCompleteAsync(id, timeProvider.GetUtcNow(), cancellationToken))
        {
            batch = await batches.GetAsync(id, cancellationToken) ?? batch;
        }

        return new BatchState(batch, progress);
    }

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
        if (await batches.FindPreviousAsync(batch, cancellationToken) is { } previous)
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
            .. sources.Select(source => BatchReportRows.From(
                source.Row,
                source.PayloadJson is { Length: > 0 } payload ? VerificationJson.ReadPayload(payload) : null,
                VerificationJson.ReadResult(source.ResultJson),
                source.Row.PayerId is { } payerId ? payers.Find(payerId)?.Name : null)),
        ];
    }
}
