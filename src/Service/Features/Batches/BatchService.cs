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
            .. sources.Select(source => BatchReportRows.From(
                source.Row,
                source.PayloadJson is { Length: > 0 } payload ? VerificationJson.ReadPayload(payload) : null,
                VerificationJson.ReadResult(source.ResultJson),
                source.Row.PayerId is { } payerId ? payers.Find(payerId)?.Name : null)),
        ];
    }
}
