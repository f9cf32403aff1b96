using System.Data.Common;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// The worker's lease queue over the verifications table: claim due work, renew a lease, complete, give up for
/// review, or reschedule. Every method after the claim is fenced by the lease: it succeeds only while the caller
/// still holds it, so an instance that lost its lease can never overwrite the one that took the work over.
/// </summary>
internal sealed partial class VerificationQueue(
    IDbConnectionFactory database, GroupCommit writes, VerificationStore records, PhiProtector phi, TimeProvider timeProvider, ILogger<VerificationQueue> logger)
{
    private bool IsSqlServer => database.Dialect == DatabaseProvider.SqlServer;

    /// <summary>
    /// Takes up to <paramref name="maxItems"/> due items for <paramref name="workerId"/>: queued items whose next attempt
    /// is due, and in-progress items whose lease expired (a crashed instance's work). Each gets status in-progress, the
    /// lease and one more attempt. Two workers never receive the same item while its lease runs.
    /// </summary>
    public async Task<IReadOnlyList<VerificationRecord>> ClaimAsync(
        string workerId, DateTimeOffset now, TimeSpan lease, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);

        var rows = await writes.RunAsync((connection, transaction, token) => ClaimInAsync(connection, transaction, workerId, now, lease, maxItems, token), cancellationToken);
        if (rows.Count > 0)
        {
            LogClaimed(logger, workerId, rows.Count);
        }

        return [.. rows.Select(records.Decrypt)];
    }

    private async Task<List<VerificationStore.VerificationRow>> ClaimInAsync(
        DbConnection connection, DbTransaction transaction, string workerId, DateTimeOffset now, TimeSpan lease, int maxItems, CancellationToken cancellationToken)
    {
        var parameters = new { workerId = Sql.Truncate(workerId, 128), now, leaseExpiresAt = now + lease, maxItems };
        IEnumerable<VerificationStore.VerificationRow> claimed;
        if (IsSqlServer)
        {
            // READPAST skips rows another claimer has locked, UPDLOCK keeps the chosen rows for this one.
            const string sqlServer = """
                WITH due AS (
                    SELECT TOP (@maxItems) id, status, lease_owner, lease_expires_at, attempts, updated_at, version
                    FROM dbo.verifications WITH (READPAST, UPDLOCK, ROWLOCK)
                    WHERE (status = 'queued' AND next_attempt_at <= @now)
                       OR (status = 'in-progress' AND lease_expires_at <= @now)
                    ORDER BY next_attempt_at
                )
                UPDATE due
                SET status = 'in-progress',
                    lease_owner = @workerId,
                    lease_expires_at = @leaseExpiresAt,
                    attempts = attempts + 1,
                    updated_at = @now,
                    version = version + 1
                OUTPUT inserted.id, inserted.status, inserted.payer_id, inserted.member_key, inserted.payload_cipher,
                       inserted.result_cipher, inserted.attempts, inserted.next_attempt_at, inserted.lease_owner,
                       inserted.lease_expires_at, inserted.last_error_code, inserted.last_error, inserted.created_at,
                       inserted.created_by, inserted.updated_at, inserted.checked_at, inserted.completed_at,
                       inserted.batch_id, inserted.batch_line, inserted.program_end,
                       inserted.previous_verification_id, inserted.version;
                """;
            claimed = await connection.QueryAsync<VerificationStore.VerificationRow>(new CommandDefinition(sqlServer, parameters, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            // The transaction holds SQLite's single write lock (BEGIN IMMEDIATE), so select-and-update is atomic.
            // Two ordered, limited index searches, expired leases first: one query with "queued … OR in-progress …"
            // made SQLite read every due row and sort them on each claim, which grew with the queue (10,000 rows of
            // a census batch read once per claimed item).
            const string sqlite = """
                UPDATE verifications
                SET status = 'in-progress',
                    lease_owner = @workerId,
                    lease_expires_at = @leaseExpiresAt,
                    attempts = attempts + 1,
                    updated_at = @now,
                    version = version + 1
                WHERE id IN (
                    SELECT id FROM (
                        SELECT id FROM verifications
                        WHERE status = 'in-progress' AND lease_expires_at <= @now
                        ORDER BY lease_expires_at
                        LIMIT @maxItems)
                    UNION ALL
                    SELECT id FROM (
                        SELECT id FROM verifications
                        WHERE status = 'queued' AND next_attempt_at <= @now
                        ORDER BY next_attempt_at
                        LIMIT @maxItems)
                    LIMIT @maxItems)
                RETURNING id, status, payer_id, member_key, payload_cipher, result_cipher, attempts, next_attempt_at,
                          lease_owner, lease_expires_at, last_error_code, last_error, created_at, created_by, updated_at,
                          checked_at, completed_at, batch_id, batch_line, program_end, previous_verification_id, version
                """;
            claimed = await connection.QueryAsync<VerificationStore.VerificationRow>(new CommandDefinition(sqlite, parameters, transaction, cancellationToken: cancellationToken));
        }

        var rows = claimed.OrderBy(row => row.NextAttemptAt).ToList();
        await AuditStore.AppendAllAsync(
            connection, transaction, AccessContext.ForWorker(workerId), AuditActions.Claim,
            rows.Select(row => new AuditRecord(AuditRecordTypes.Verification, row.Id.ToString())), now, cancellationToken);

        return rows;
    }

    /// <summary>
    /// Finishes a claimed verification as completed or failed with its result. False when the worker no longer holds
    /// the lease (another instance took the item over): the caller must drop its result.
    /// </summary>
    public async Task<bool> CompleteAsync(
        Guid id,
        string workerId,
        string status,
        string resultJson,
        DateTimeOffset checkedAt,
        CancellationToken cancellationToken,
        string? lastErrorCode = null,
        string? lastError = null,
        IReadOnlyList<DetectedChange>? changes = null,
        AttemptLog? log = null)
    {
        if (!VerificationStatus.IsFinal(status))
        {
            throw new ArgumentException($"A verification completes as '{VerificationStatus.Completed}' or '{VerificationStatus.Failed}', not '{status}'.", nameof(status));
        }

        return await FinishAsync(id, workerId, status, resultJson, checkedAt, completed: true, lastErrorCode, lastError, cancellationToken, changes, log);
    }

    /// <summary>Gives up on a claimed verification until staff look at it; fenced like <see cref="CompleteAsync"/>.</summary>
    public Task<bool> MarkNeedsReviewAsync(
        Guid id,
        string workerId,
        string? resultJson,
        DateTimeOffset checkedAt,
        string? lastErrorCode,
        string? lastError,
        CancellationToken cancellationToken,
        AttemptLog? log = null) =>
        FinishAsync(id, workerId, VerificationStatus.NeedsReview, resultJson, checkedAt, completed: false, lastErrorCode, lastError, cancellationToken, log: log);

    /// <summary>
    /// Puts a claimed verification back in the queue for a later attempt and releases the lease. False when the worker
    /// no longer holds the lease. <paramref name="lastError"/> is shown to staff and must not contain PHI.
    /// </summary>
    public async Task<bool> RescheduleAsync(
        Guid id,
        string workerId,
        DateTimeOffset nextAttemptAt,
        string? lastErrorCode,
        string? lastError,
        CancellationToken cancellationToken,
        AttemptLog? log = null)
    {
        var now = timeProvider.GetUtcNow();
        return await writes.RunAsync(
            (connection, transaction, token) => RescheduleInAsync(connection, transaction, id, workerId, nextAttemptAt, lastErrorCode, lastError, log, now, token),
            cancellationToken);
    }

    private static async Task<bool> RescheduleInAsync(
        DbConnection connection, DbTransaction transaction, Guid id, string workerId, DateTimeOffset nextAttemptAt, string? lastErrorCode, string? lastError,
        AttemptLog? log, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE verifications
            SET status = 'queued',
                next_attempt_at = @nextAttemptAt,
                lease_owner = NULL,
                lease_expires_at = NULL,
                last_error_code = @lastErrorCode,
                last_error = @lastError,
                updated_at = @now,
                version = version + 1
            WHERE id = @id AND status = 'in-progress' AND lease_owner = @workerId
            """;
        var affected = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id,
                workerId = Sql.Truncate(workerId, 128),
                nextAttemptAt,
                lastErrorCode = Sql.Ansi(lastErrorCode, 32),
                lastError = Sql.Truncate(lastError, VerificationStore.LastErrorLength),
                now,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (affected != 1)
        {
            return false;
        }

        if (log is not null)
        {
            await InsertAttemptAsync(connection, transaction, id, workerId, "retry", lastErrorCode, log, now, cancellationToken);
        }

        return true;
    }

    /// <summary>How many of a verification's attempts counted against <c>Verification:MaxAttempts</c> so far.</summary>
    public async Task<int> CountCountedAttemptsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = "SELECT COUNT(*) FROM verification_attempts WHERE verification_id = @id AND counted = 1";
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Records one finished attempt, in the transaction of the outcome it led to (so only the lease holder writes one).</summary>
    private static async Task InsertAttemptAsync(
        DbConnection connection, DbTransaction transaction, Guid id, string workerId, string outcome, string? errorCode, AttemptLog log,
        DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO verification_attempts (verification_id, attempt, worker_id, outcome, error_code, sent, counted, finished_at)
            VALUES (@id, @attempt, @workerId, @outcome, @errorCode, @sent, @counted, @finishedAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id,
                attempt = log.Attempt,
                workerId = Sql.Truncate(workerId, 128),
                outcome = Sql.Ansi(outcome, 16),
                errorCode = Sql.Ansi(errorCode, 32),
                sent = log.Sent,
                counted = log.Counted,
                finishedAt,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Extends a lease the worker still holds (long payer calls). False when it no longer holds it.</summary>
    public async Task<bool> RenewLeaseAsync(Guid id, string workerId, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            UPDATE verifications
            SET lease_expires_at = @leaseExpiresAt, updated_at = @now, version = version + 1
            WHERE id = @id AND status = 'in-progress' AND lease_owner = @workerId
            """;
        var affected = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id, workerId = Sql.Truncate(workerId, 128), leaseExpiresAt, now = timeProvider.GetUtcNow() },
            cancellationToken: cancellationToken));
        return affected == 1;
    }

    /// <summary>Queue depth and the age of the oldest queued item, for metrics.</summary>
    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
                   COALESCE(SUM(CASE WHEN status = 'in-progress' THEN 1 ELSE 0 END), 0) AS in_progress,
                   MIN(CASE WHEN status = 'queued' THEN created_at END) AS oldest_queued_at
            FROM verifications
            WHERE status IN ('queued', 'in-progress')
            """;
        var row = await connection.QuerySingleAsync<QueueStatsRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        var now = timeProvider.GetUtcNow();
        return new QueueStats(
            row.Queued,
            row.InProgress,
            row.OldestQueuedAt is { } oldest ? (now > oldest ? now - oldest : TimeSpan.Zero) : null);
    }

    /// <summary>The number of queued verifications.</summary>
    public async Task<int> CountQueuedAsync(CancellationToken cancellationToken) =>
        (await GetQueueStatsAsync(cancellationToken)).Queued;

    /// <summary>Records what changed between two runs for the same member; the detail holds no PHI.</summary>
    private static async Task InsertChangeAsync(
        DbConnection connection, DbTransaction? transaction, Guid verificationId, Guid? previousVerificationId, string kind, string detail,
        DateTimeOffset detectedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        const string sql = """
            INSERT INTO verification_changes (verification_id, previous_verification_id, kind, detail, detected_at)
            VALUES (@verificationId, @previousVerificationId, @kind, @detail, @detectedAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { verificationId, previousVerificationId, kind = Sql.Ansi(kind, 64), detail = Sql.Truncate(detail, 512), detectedAt },
            transaction,
            cancellationToken: cancellationToken));
    }

    private async Task<bool> FinishAsync(
        Guid id,
        string workerId,
        string status,
        string? resultJson,
        DateTimeOffset checkedAt,
        bool completed,
        string? lastErrorCode,
        string? lastError,
        CancellationToken cancellationToken,
        IReadOnlyList<DetectedChange>? changes = null,
        AttemptLog? log = null)
    {
        var now = timeProvider.GetUtcNow();
        // Encrypted before the turn at the write lock, not while holding it.
        var resultCipher = resultJson is null ? null : phi.Protect(resultJson, id, VerificationStore.ResultColumn);
        return await writes.RunAsync(
            (connection, transaction, token) => FinishInAsync(
                connection, transaction, id, workerId, status, resultCipher, checkedAt, completed, lastErrorCode, lastError, changes, log, now, token),
            cancellationToken);
    }

    private static async Task<bool> FinishInAsync(
        DbConnection connection,
        DbTransaction transaction,
        Guid id,
        string workerId,
        string status,
        byte[]? resultCipher,
        DateTimeOffset checkedAt,
        bool completed,
        string? lastErrorCode,
        string? lastError,
        IReadOnlyList<DetectedChange>? changes,
        AttemptLog? log,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE verifications
            SET status = @status,
                result_cipher = COALESCE(@resultCipher, result_cipher),
                checked_at = @checkedAt,
                completed_at = @completedAt,
                lease_owner = NULL,
                lease_expires_at = NULL,
                last_error_code = @lastErrorCode,
                last_error = @lastError,
                updated_at = @now,
                version = version + 1
            WHERE id = @id AND status = 'in-progress' AND lease_owner = @workerId
            """;
        var affected = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id,
                workerId = Sql.Truncate(workerId, 128),
                status = Sql.Ansi(status, 16),
                resultCipher,
                checkedAt,
                completedAt = completed ? checkedAt : (DateTimeOffset?)null,
                lastErrorCode = Sql.Ansi(lastErrorCode, 32),
                lastError = Sql.Truncate(lastError, VerificationStore.LastErrorLength),
                now,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (affected != 1)
        {
            return false;
        }

        if (resultCipher is not null)
        {
            await AuditStore.AppendAsync(connection, transaction, AccessContext.ForWorker(workerId), AuditActions.Update, AuditRecordTypes.Verification, id.ToString(), now, cancellationToken);
        }

        // In the same transaction: whoever sees the verification completed also sees what changed, and a crash
        // between the two cannot leave a completed re-check without its changes.
        foreach (var change in changes ?? [])
        {
            await InsertChangeAsync(connection, transaction, id, change.PreviousVerificationId, change.Kind, change.Detail, checkedAt, cancellationToken);
        }

        if (log is not null)
        {
            await InsertAttemptAsync(connection, transaction, id, workerId, status, lastErrorCode, log, now, cancellationToken);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} claimed {Count} verification(s).")]
    private static partial void LogClaimed(ILogger logger, string workerId, int count);

    private sealed record QueueStatsRow
    {
        public int Queued { get; init; }
        public int InProgress { get; init; }
        public DateTimeOffset? OldestQueuedAt { get; init; }
    }
}

/// <summary>
/// What the attempt log (<c>verification_attempts</c>) keeps of one finished attempt: its number, the requests that
/// reached the clearinghouse, and whether it counts against <c>Verification:MaxAttempts</c>.
/// </summary>
internal sealed record AttemptLog(int Attempt, int Sent, bool Counted);
