using System.Data.Common;
using System.Globalization;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>A stored batch (no PHI).</summary>
internal sealed record BatchRecord
{
    public Guid Id { get; init; }
    public string Status { get; init; } = "";
    public int RowCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The census it ran (#19: its file name, <c>?name=</c>, or the nightly re-verification); null when unnamed.</summary>
    public string? Name { get; init; }
}

/// <summary>The <c>status</c> values of a batch.</summary>
internal static class BatchStatus
{
    public const string Accepted = "accepted";
    public const string Running = "running";
    public const string Completed = "completed";
}

/// <summary>One census record of a batch: a verification, or the reason the record was rejected.</summary>
internal sealed record BatchRowEntry(int Line, string? PatientRef, Guid? VerificationId, string? ErrorCode, string? Error);

/// <summary>Part of a census intake: the verifications its valid rows became, and all its rows in file order.</summary>
internal sealed record BatchIntakeChunk(IReadOnlyList<NewVerification> Queued, IReadOnlyList<BatchRowEntry> Rows);

/// <summary>A batch row with the state of its verification (no PHI: the payer's answer stays in the verification).</summary>
internal sealed record BatchRowRecord
{
    public int Line { get; init; }
    public string? PatientRef { get; init; }
    public Guid? VerificationId { get; init; }
    public string? ErrorCode { get; init; }
    public string? Error { get; init; }

    /// <summary>The verification's status; null for a rejected record.</summary>
    public string? VerificationStatus { get; init; }
    public string? PayerId { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateOnly? ProgramEnd { get; init; }
    public string? LastErrorCode { get; init; }
    public string? LastError { get; init; }
    public int? Attempts { get; init; }

    /// <summary>When the worker tries the verification next; meaningful only while it is queued.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Queued again because the payer could not answer its last attempt (see <see cref="BatchStore.CountByPayerAsync"/>).</summary>
    public bool PayerDown { get; init; }
}

/// <summary>Rows of one payer in one progress status (<see cref="BatchRowStatus"/>, or <see cref="BatchRowStatus.WaitingForPayer"/>).</summary>
internal sealed record BatchPayerCount
{
    public string PayerId { get; init; } = "";
    public string Status { get; init; } = "";
    public int Count { get; init; }
}

/// <summary>A batch row queued again after an attempt: when it is tried next, and whether its payer could not answer.</summary>
internal sealed record RetryingRow
{
    public int Line { get; init; }
    public string PayerId { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastErrorCode { get; init; }
    public bool PayerDown { get; init; }
}

/// <summary>A batch row with its verification's request and result decrypted: PHI, for building a report only.</summary>
internal sealed record BatchReportSource(BatchRowRecord Row, string? PayloadJson, string? ResultJson)
{
    public override string ToString() => $"BatchReportSource {{ Line = {Row.Line}, PayloadJson = [PHI], ResultJson = [PHI] }}";
}

/// <summary>
/// Batches and their rows (tables <c>batches</c>, <c>batch_rows</c>), for SQLite and SQL Server. Verifications are
/// written by <see cref="VerificationStore"/>; this class links census lines to them and counts their progress.
/// </summary>
internal sealed partial class BatchStore(IDbConnectionFactory database, PhiProtector phi, VerificationStore? verifications = null)
{
    /// <summary>
    /// The column a census row's <c>patient_ref</c> is encrypted for. A site's reference for a patient (often the chart
    /// number) in a treatment program's census is PHI under HIPAA and 42 CFR Part 2, so it is stored as
    /// <c>phi1:</c> plus the base64 of <see cref="PhiProtector"/>'s output, bound to its batch and line.
    /// </summary>
    internal const string PatientRefColumn = "batch_rows.patient_ref";

    internal const string PatientRefPrefix = "phi1:";
    private const int ErrorLength = 512;
    private const int PatientRefLength = 128;

    /// <summary>Creates an empty batch in status <c>accepted</c>.</summary>
    public async Task<BatchRecord> CreateAsync(Guid id, AccessContext access, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        const string sql = """
            INSERT INTO batches (id, status, row_count, created_at, created_by, completed_at)
            VALUES (@id, @status, 0, @now, @createdBy, NULL)
            """;
        var createdBy = Sql.Truncate(access.Actor, 128)!;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, status = Sql.Ansi(BatchStatus.Accepted, 16), now, createdBy },
            cancellationToken: cancellationToken));
        return new BatchRecord { Id = id, Status = BatchStatus.Accepted, CreatedAt = now, CreatedBy = createdBy };
    }

    /// <summary>
    /// A whole census intake in one durable transaction: the batch (already running), every row's verification and
    /// consent, every row, and the caller's idempotency key. Either all of it is stored or none of it is, so a failed
    /// upload leaves nothing a worker could send to a payer. When another request with the same idempotency key won the
    /// race, nothing is stored and that batch's id is returned.
    /// </summary>
    /// <remarks>
    /// <paramref name="chunks"/> is the census in file order, a chunk at a time: its verifications and all its rows.
    /// It is enumerated inside the transaction, so a chunk is built (and its PHI encrypted) only as it is written.
    /// </remarks>
    public async Task<Guid> SubmitAllAsync(
        Guid batchId,
        int rowCount,
        IEnumerable<BatchIntakeChunk> chunks,
        string? idempotencyHash,
        AccessContext access,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var store = verifications ?? throw new InvalidOperationException("This BatchStore was built without a VerificationStore.");
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        try
        {
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            var transaction = write.Transaction;
            const string insertBatch = """
                INSERT INTO batches (id, status, row_count, created_at, created_by, completed_at)
                VALUES (@id, @status, @rowCount, @now, @createdBy, NULL)
                """;
            await connection.ExecuteAsync(new CommandDefinition(
                insertBatch,
                new { id = batchId, status = Sql.Ansi(BatchStatus.Running, 16), rowCount, now, createdBy = Sql.Truncate(access.Actor, 128) },
                transaction,
                cancellationToken: cancellationToken));
            if (idempotencyHash is not null)
            {
                const string insertKey = "INSERT INTO batch_idempotency (key_hash, batch_id, created_at) VALUES (@keyHash, @batchId, @now)";
                await connection.ExecuteAsync(new CommandDefinition(
                    insertKey, new { keyHash = Sql.Ansi(idempotencyHash, 64), batchId, now }, transaction, cancellationToken: cancellationToken));
            }

            foreach (var chunk in chunks)
            {
                await store.InsertQueuedAsync(connection, transaction, chunk.Queued, access, now, cancellationToken);
                await InsertRowsAsync(connection, transaction, batchId, chunk.Rows, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return batchId;
        }
        catch (DbException ex) when (idempotencyHash is not null && Sql.IsUniqueViolation(ex))
        {
            return await FindByIdempotencyKeyAsync(idempotencyHash, cancellationToken)
                ?? throw new InvalidOperationException("An idempotency key conflicted but its batch cannot be found.", ex);
        }
    }

    /// <summary>The batch a caller's idempotency key (hashed) created, or null.</summary>
    public async Task<Guid?> FindByIdempotencyKeyAsync(string idempotencyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = "SELECT batch_id FROM batch_idempotency WHERE key_hash = @keyHash";
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            sql, new { keyHash = Sql.Ansi(idempotencyHash, 64) }, cancellationToken: cancellationToken));
    }

    /// <summary>Adds census rows (each with its verification or its error) in one transaction.</summary>
    public async Task AddRowsAsync(Guid batchId, IReadOnlyCollection<BatchRowEntry> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        await InsertRowsAsync(connection, write.Transaction, batchId, rows, cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
    }

    private async Task InsertRowsAsync(
        DbConnection connection, DbTransaction transaction, Guid batchId, IReadOnlyCollection<BatchRowEntry> rows, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO batch_rows (batch_id, line_number, patient_ref, verification_id, error_code, error)
            VALUES (@batchId, @line, @patientRef, @verificationId, @errorCode, @error)
            """;
        var parameters = rows.Select(row => new
        {
            batchId,
            line = row.Line,
            patientRef = ProtectPatientRef(batchId, row.Line, Sql.Truncate(row.PatientRef, PatientRefLength)),
            verificationId = row.VerificationId,
            errorCode = Sql.Ansi(row.ErrorCode, 32),
            error = Sql.Truncate(row.Error, ErrorLength),
        });
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Records the number of census rows and moves the batch to <c>running</c>.</summary>
    public async Task MarkRunningAsync(Guid id, int rowCount, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        const string sql = """
            UPDATE batches SET status = @status, row_count = @rowCount WHERE id = @id AND status = 'accepted'
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, rowCount, status = Sql.Ansi(BatchStatus.Running, 16) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks a running batch completed once none of its verifications is in progress or queued, rows waiting for a
    /// payer that could not answer excepted (one payer's outage must not hold the whole census). True when it is (now) completed.
    /// </summary>
    public async Task<bool> TryCompleteAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            UPDATE batches
            SET status = 'completed', completed_at = @now
            WHERE id = @id
              AND status = 'running'
              AND NOT EXISTS (
                  SELECT 1
                  FROM batch_rows r
                  JOIN verifications v ON v.id = r.verification_id
                  WHERE r.batch_id = @id
                    AND (v.status = 'in-progress'
                         OR (v.status = 'queued' AND NOT (v.attempts > 0 AND EXISTS (
                             SELECT 1 FROM verification_attempts a
                             WHERE a.verification_id = v.id AND a.attempt = v.attempts AND a.outcome = 'retry' AND a.counted = 0)))))
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now }, cancellationToken: cancellationToken));
        var batch = await GetAsync(id, cancellationToken);
        return batch?.Status == BatchStatus.Completed;
    }

    public async Task<BatchRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT id AS Id, status AS Status, row_count AS [RowCount], created_at AS CreatedAt,
                   created_by AS CreatedBy, completed_at AS CompletedAt
            FROM batches
            WHERE id = @id
            """;
        return await connection.QuerySingleOrDefaultAsync<BatchRecord>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Rows per status: the verifications' statuses, and <c>rejected</c> for census records that were not accepted.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT COALESCE(v.status, 'rejected') AS Status, COUNT(*) AS Count
            FROM batch_rows r
            LEFT JOIN verifications v ON v.id = r.verification_id
            WHERE r.batch_id = @id
            GROUP BY COALESCE(v.status, 'rejected')
            """;
        var rows = await connection.QueryAsync<StatusCount>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Rows per payer and status for progress; queued rows that wait on a payer that could not answer (their last
    /// attempt was a retry that did not count against the member: the payer's outage, a timeout, throttling, AAA
    /// 42/80, or the breaker open) are counted apart as <see cref="BatchRowStatus.WaitingForPayer"/>.
    /// </summary>
    public async Task<IReadOnlyList<BatchPayerCount>> CountByPayerAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT t.PayerId, t.Status, COUNT(*) AS Count
            FROM (
                SELECT COALESCE(v.payer_id, '') AS PayerId,
                       CASE WHEN v.status IS NULL THEN 'rejected'
                            WHEN v.status = 'queued' AND v.attempts > 0 AND EXISTS (
                                SELECT 1 FROM verification_attempts a
                                WHERE a.verification_id = v.id AND a.attempt = v.attempts AND a.outcome = 'retry' AND a.counted = 0)
                                THEN 'waiting-for-payer'
                            ELSE v.status END AS Status
                FROM batch_rows r
                LEFT JOIN verifications v ON v.id = r.verification_id
                WHERE r.batch_id = @id) t
            GROUP BY t.PayerId, t.Status
            """;
        var rows = await connection.QueryAsync<BatchPayerCount>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>
    /// The rows of a batch whose verification is queued again after an attempt (retrying), in line order, with when the
    /// worker tries each next and whether the payer could not answer (<see cref="RetryingRow.PayerDown"/>). No PHI.
    /// </summary>
    public async Task<IReadOnlyList<RetryingRow>> ListRetryingAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT r.line_number AS Line, v.payer_id AS PayerId, v.attempts AS Attempts, v.next_attempt_at AS NextAttemptAt,
                   v.last_error_code AS LastErrorCode,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM verification_attempts a
                       WHERE a.verification_id = v.id AND a.attempt = v.attempts AND a.outcome = 'retry' AND a.counted = 0)
                       THEN 1 ELSE 0 END AS PayerDown
            FROM batch_rows r
            JOIN verifications v ON v.id = r.verification_id
            WHERE r.batch_id = @id AND v.status = 'queued' AND v.attempts > 0
            ORDER BY r.line_number
            """;
        var rows = await connection.QueryAsync<RetryingRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>The rejected census records of a batch, in line order.</summary>
    public async Task<IReadOnlyList<BatchRowEntry>> ListRejectedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT line_number AS Line, patient_ref AS PatientRef, verification_id AS VerificationId, error_code AS ErrorCode, error AS Error
            FROM batch_rows
            WHERE batch_id = @id AND verification_id IS NULL
            ORDER BY line_number
            """;
        var rows = await connection.QueryAsync<BatchRowEntryRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BatchRowEntry(r.Line, RevealPatientRef(id, r.Line, r.PatientRef), r.VerificationId, r.ErrorCode, r.Error))];
    }

    /// <summary>Every row of a batch in census order, with its verification's state.</summary>
    public async Task<IReadOnlyList<BatchRowRecord>> ListRowsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT r.line_number AS Line, r.patient_ref AS PatientRef, r.verification_id AS VerificationId,
                   r.error_code AS ErrorCode, r.error AS Error, v.status AS VerificationStatus, v.payer_id AS PayerId,
                   v.checked_at AS CheckedAt, v.completed_at AS CompletedAt, v.program_end AS ProgramEnd,
                   v.last_error_code AS LastErrorCode, v.last_error AS LastError
            FROM batch_rows r
            LEFT JOIN verifications v ON v.id = r.verification_id
            WHERE r.batch_id = @id
            ORDER BY r.line_number
            """;
        var rows = await connection.QueryAsync<BatchRowRecord>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row with { PatientRef = RevealPatientRef(id, row.Line, row.PatientRef) })];
    }

    /// <summary>
    /// Every row of a batch in census order with its verification's request and result decrypted. The caller audits
    /// the export (one entry for the batch): this method reads PHI.
    /// </summary>
    public async Task<IReadOnlyList<BatchReportSource>> ListReportSourcesAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT r.line_number AS Line, r.patient_ref AS PatientRef, r.verification_id AS VerificationId,
                   r.error_code AS ErrorCode, r.error AS Error, v.status AS VerificationStatus, v.payer_id AS PayerId,
                   v.checked_at AS CheckedAt, v.completed_at AS CompletedAt, v.program_end AS ProgramEnd,
                   v.last_error_code AS LastErrorCode, v.last_error AS LastError,
                   v.attempts AS Attempts, v.next_attempt_at AS NextAttemptAt,
                   CASE WHEN v.status = 'queued' AND v.attempts > 0 AND EXISTS (
                       SELECT 1 FROM verification_attempts a
                       WHERE a.verification_id = v.id AND a.attempt = v.attempts AND a.outcome = 'retry' AND a.counted = 0)
                       THEN 1 ELSE 0 END AS PayerDown,
                   v.payload_cipher AS PayloadCipher, v.result_cipher AS ResultCipher
            FROM batch_rows r
            LEFT JOIN verifications v ON v.id = r.verification_id
            WHERE r.batch_id = @id
            ORDER BY r.line_number
            """;
        // Two objects per row: the row as ListRowsAsync reads it, and the ciphertext from PayloadCipher on (null
        // for a rejected census record, which has no verification).
        var rows = await connection.QueryAsync<BatchRowRecord, Ciphers?, BatchReportSource>(
            new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken),
            (row, ciphers) => new BatchReportSource(
                row with { PatientRef = RevealPatientRef(id, row.Line, row.PatientRef) },
                row.VerificationId is { } vid && ciphers?.PayloadCipher is { } payload ? phi.Unprotect(payload, vid, VerificationStore.PayloadColumn) : null,
                row.VerificationId is { } rid && ciphers?.ResultCipher is { } result ? phi.Unprotect(result, rid, VerificationStore.ResultColumn) : null),
            splitOn: nameof(Ciphers.PayloadCipher));
        return [.. rows];
    }

    private string? ProtectPatientRef(Guid batchId, int line, string? patientRef) =>
        patientRef is null ? null : PatientRefPrefix + Convert.ToBase64String(phi.Protect(patientRef, batchId, PatientRefColumnOf(line)));

    // A value without the prefix was stored before patient_ref was encrypted (as plain text) and is read as it is.
    private string? RevealPatientRef(Guid batchId, int line, string? stored) =>
        stored is not null && stored.StartsWith(PatientRefPrefix, StringComparison.Ordinal)
            ? phi.Unprotect(Convert.FromBase64String(stored[PatientRefPrefix.Length..]), batchId, PatientRefColumnOf(line))
            : stored;

    // Bound to the line too, so a row's ciphertext copied onto another row of the batch does not decrypt.
    internal static string PatientRefColumnOf(int line) => string.Create(CultureInfo.InvariantCulture, $"{PatientRefColumn}:{line}");

    private sealed record Ciphers
    {
        public byte[]? PayloadCipher { get; init; }
        public byte[]? ResultCipher { get; init; }
    }

    private sealed record StatusCount
    {
        public string Status { get; init; } = "";
        public int Count { get; init; }
    }

    private sealed record BatchRowEntryRow
    {
        public int Line { get; init; }
        public string? PatientRef { get; init; }
        public Guid? VerificationId { get; init; }
        public string? ErrorCode { get; init; }
        public string? Error { get; init; }
    }
}
