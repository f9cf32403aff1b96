using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Verifications at rest. PHI is encrypted and decrypted here, so callers handle plaintext records; every method that
/// returns or stores PHI writes an audit entry in the same transaction. Worker methods are fenced by the lease:
/// they succeed only while the caller still holds it.
/// </summary>
public sealed partial class VerificationStore(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider, ILogger<VerificationStore> logger)
{
    internal const string PayloadColumn = "verifications.payload_cipher";
    internal const string ResultColumn = "verifications.result_cipher";
    private const int LastErrorLength = 512;

    // "00-" + 32 hex trace id + "-" + 16 hex span id + "-" + 2 hex flags.
    private const int TraceParentLength = 55;

    private bool IsSqlServer => database.Dialect == DatabaseProvider.SqlServer;

    private const string InsertSql = """
        INSERT INTO verifications (
            id, status, payer_id, member_key, payload_cipher, result_cipher, attempts, next_attempt_at,
            lease_owner, lease_expires_at, created_at, created_by, updated_at, idempotency_key,
            batch_id, batch_line, program_end, previous_verification_id, version)
        VALUES (
            @id, @status, @payerId, @memberKey, @payloadCipher, NULL, @attempts, @nextAttemptAt,
            @leaseOwner, @leaseExpiresAt, @createdAt, @createdBy, @createdAt, @idempotencyKey,
            @batchId, @batchLine, @programEnd, @previousVerificationId, 1)
        """;

    /// <summary>
    /// Stores many new queued verifications (a census batch) in one write transaction, each with its audit entry, and
    /// returns their ids in order. One transaction per chunk instead of one per row: under SQLite's single write lock a
    /// row-by-row intake queued behind the worker's writes and took 93 s for 10,000 rows (tests/bench/batch.sh).
    /// Items may not carry a lease or an idempotency key (those are for single requests).
    /// </summary>
    public async Task<IReadOnlyList<Guid>> InsertQueuedAsync(IReadOnlyList<NewVerification> verifications, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifications);
        if (verifications.Count == 0)
        {
            return [];
        }

        foreach (var verification in verifications)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(verification.PayerId);
            if (verification.Lease is not null || verification.IdempotencyKey is not null)
            {
                throw new ArgumentException("Queued verifications carry neither a lease nor an idempotency key.", nameof(verifications));
            }
        }

        var now = timeProvider.GetUtcNow();
        var ids = new List<Guid>(verifications.Count);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var write = await Sql.BeginWriteAsync(connection, cancellationToken))
        {
            var transaction = write.Transaction;
            foreach (var verification in verifications)
            {
                ids.Add((await InsertRowAsync(connection, transaction, verification, idempotencyKey: null, access, now, cancellationToken)).Id);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        LogStoredMany(logger, verifications.Count);
        return ids;
    }

    /// <summary>
    /// Stores a new verification (queued, or in-progress when <see cref="NewVerification.Lease"/> is set). With an
    /// idempotency key the caller has used before, returns the existing record instead (<c>Created</c> false).
    /// </summary>
    public async Task<InsertedVerification> InsertAsync(NewVerification verification, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verification.PayerId);
        var idempotencyKey = verification.IdempotencyKey is { Length: > 0 } key ? IdempotencyHash(access.Actor, key) : null;

        await using var connection = await database.OpenAsync(cancellationToken);
        if (idempotencyKey is not null
            && await ReadByIdempotencyKeyAsync(connection, idempotencyKey, access, cancellationToken) is { } replay)
        {
            return new InsertedVerification(replay, Created: false);
        }

        var now = timeProvider.GetUtcNow();
        VerificationRecord inserted;
        try
        {
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            var transaction = write.Transaction;
            inserted = await InsertRowAsync(connection, transaction, verification, idempotencyKey, access, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException ex) when (idempotencyKey is not null && Sql.IsUniqueViolation(ex))
        {
            // Two requests with the same key raced; the other one won. Answer with its record.
            var winner = await ReadByIdempotencyKeyAsync(connection, idempotencyKey, access, cancellationToken)
                ?? throw new InvalidOperationException("An idempotency key conflicted but its verification cannot be found.", ex);
            return new InsertedVerification(winner, Created: false);
        }

        // [LogProperties] + [Phi]: the member ID and payload are erased by the redactor before any sink sees them.
        LogStored(logger, inserted.Id, verification);
        return new InsertedVerification(inserted, Created: true);
    }

    /// <summary>
    /// Inserts one verification (queued, or in-progress when <see cref="NewVerification.Lease"/> is set) and its audit
    /// entry inside <paramref name="transaction"/>; returns it as stored.
    /// </summary>
    private async Task<VerificationRecord> InsertRowAsync(
        DbConnection connection,
        DbTransaction transaction,
        NewVerification verification,
        string? idempotencyKey,
        AccessContext access,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = verification.Id ?? Guid.CreateVersion7(now);
        var leased = verification.Lease is not null;
        var row = new
        {
            id,
            status = Sql.Ansi(leased ? VerificationStatus.InProgress : VerificationStatus.Queued, 16),
            payerId = Sql.Ansi(verification.PayerId.Trim(), 32),
            memberKey = Sql.Ansi(phi.MemberKey(verification.PayerId, verification.MemberId), 64),
            payloadCipher = phi.Protect(verification.PayloadJson, id, PayloadColumn),
            attempts = leased ? 1 : 0,
            nextAttemptAt = verification.NotBefore ?? now,
            leaseOwner = verification.Lease?.Owner,
            leaseExpiresAt = leased ? now + verification.Lease!.Duration : (DateTimeOffset?)null,
            createdAt = now,
            createdBy = Sql.Truncate(access.Actor, 128),
            idempotencyKey = Sql.Ansi(idempotencyKey, 64),
            batchId = verification.BatchId,
            batchLine = verification.BatchLine,
            programEnd = verification.ProgramEnd,
            previousVerificationId = verification.PreviousVerificationId,
        };
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken));
        if (verification.TraceParent is { Length: > 0 and <= TraceParentLength } traceParent)
        {
            const string insertTrace = "INSERT INTO verification_traces (verification_id, trace_parent) VALUES (@id, @traceParent)";
            await connection.ExecuteAsync(new CommandDefinition(
                insertTrace,
                new { id, traceParent = Sql.Ansi(traceParent, TraceParentLength) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Create, AuditRecordTypes.Verification, id.ToString(), now, cancellationToken);
        return new VerificationRecord
        {
            Id = id,
            Status = row.status.Value!,
            PayerId = row.payerId.Value!,
            MemberKey = row.memberKey.Value!,
            PayloadJson = verification.PayloadJson,
            Attempts = row.attempts,
            NextAttemptAt = row.nextAttemptAt,
            LeaseOwner = row.leaseOwner,
            LeaseExpiresAt = row.leaseExpiresAt,
            CreatedAt = now,
            CreatedBy = row.createdBy!,
            UpdatedAt = now,
            BatchId = row.batchId,
            BatchLine = row.batchLine,
            ProgramEnd = row.programEnd,
            PreviousVerificationId = row.previousVerificationId,
            Version = 1,
        };
    }

    /// <summary>The W3C <c>traceparent</c> of the request that created a verification, if it was recorded.</summary>
    public async Task<string?> GetTraceParentAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT trace_parent FROM verification_traces WHERE verification_id = @id";
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The verification with its payload and result decrypted, or null; the read is audited.</summary>
    public async Task<VerificationRecord?> GetAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        const string sql = """
            SELECT id, status, payer_id, member_key, payload_cipher, result_cipher, attempts, next_attempt_at,
                   lease_owner, lease_expires_at, last_error_code, last_error, created_at, created_by, updated_at,
                   checked_at, completed_at, batch_id, batch_line, program_end, previous_verification_id, version
            FROM verifications
            WHERE id = @id
            """;
        var row = await connection.QuerySingleOrDefaultAsync<VerificationRow>(
            new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Read, AuditRecordTypes.Verification, id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Decrypt(row);
    }

    /// <summary>The work queue, newest first, without PHI (so not audited).</summary>
    public async Task<VerificationPage> ListAsync(VerificationQuery query, CancellationToken cancellationToken)
    {
        if (query.Status is not null && !VerificationStatus.All.Contains(query.Status))
        {
            throw new ArgumentException($"Unknown verification status '{query.Status}'.", nameof(query));
        }

        var limit = Math.Clamp(query.Limit, 1, VerificationQuery.MaxLimit);
        var parameters = new
        {
            take = limit + 1,
            status = Sql.Ansi(query.Status, 16),
            since = query.Since,
            payerId = Sql.Ansi(query.PayerId, 32),
            createdBy = query.CreatedBy,
            beforeCreatedAt = query.Before?.CreatedAt,
            beforeId = query.Before?.Id,
        };

        await using var connection = await database.OpenAsync(cancellationToken);
        IEnumerable<VerificationSummary> rows;
        if (IsSqlServer)
        {
            const string sqlServer = """
                SELECT TOP (@take) id, status, payer_id, attempts, created_at, created_by, checked_at, last_error_code
                FROM dbo.verifications
                WHERE (@status IS NULL OR status = @status)
                  AND (@since IS NULL OR created_at >= @since)
                  AND (@payerId IS NULL OR payer_id = @payerId)
                  AND (@createdBy IS NULL OR created_by = @createdBy)
                  AND (@beforeCreatedAt IS NULL
                       OR created_at < @beforeCreatedAt
                       OR (created_at = @beforeCreatedAt AND id < @beforeId))
                ORDER BY created_at DESC, id DESC
                OPTION (RECOMPILE)
                """;
            rows = await connection.QueryAsync<VerificationSummary>(new CommandDefinition(sqlServer, parameters, cancellationToken: cancellationToken));
        }
        else
        {
            const string sqlite = """
                SELECT id, status, payer_id, attempts, created_at, created_by, checked_at, last_error_code
                FROM verifications
                WHERE (@status IS NULL OR status = @status)
                  AND (@since IS NULL OR created_at >= @since)
                  AND (@payerId IS NULL OR payer_id = @payerId)
                  AND (@createdBy IS NULL OR created_by = @createdBy)
                  AND (@beforeCreatedAt IS NULL
                       OR created_at < @beforeCreatedAt
                       OR (created_at = @beforeCreatedAt AND id < @beforeId))
                ORDER BY created_at DESC, id DESC
                LIMIT @take
                """;
            rows = await connection.QueryAsync<VerificationSummary>(new CommandDefinition(sqlite, parameters, cancellationToken: cancellationToken));
        }

        var items = rows.ToList();
        VerificationCursor? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = new VerificationCursor(items[^1].CreatedAt, items[^1].Id);
        }

        return new VerificationPage(items, next);
    }

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

        var parameters = new { workerId = Sql.Truncate(workerId, 128), now, leaseExpiresAt = now + lease, maxItems };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        IEnumerable<VerificationRow> claimed;
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
            claimed = await connection.QueryAsync<VerificationRow>(new CommandDefinition(sqlServer, parameters, transaction, cancellationToken: cancellationToken));
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
            claimed = await connection.QueryAsync<VerificationRow>(new CommandDefinition(sqlite, parameters, transaction, cancellationToken: cancellationToken));
        }

        var rows = claimed.OrderBy(row => row.NextAttemptAt).ToList();
        var access = AccessContext.ForWorker(workerId);
        foreach (var row in rows)
        {
            await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Claim, AuditRecordTypes.Verification, row.Id.ToString(), now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (rows.Count > 0)
        {
            LogClaimed(logger, workerId, rows.Count);
        }

        return [.. rows.Select(Decrypt)];
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
        IReadOnlyList<DetectedChange>? changes = null)
    {
        if (!VerificationStatus.IsFinal(status))
        {
            throw new ArgumentException($"A verification completes as '{VerificationStatus.Completed}' or '{VerificationStatus.Failed}', not '{status}'.", nameof(status));
        }

        return await FinishAsync(id, workerId, status, resultJson, checkedAt, completed: true, lastErrorCode, lastError, cancellationToken, changes);
    }

    /// <summary>Gives up on a claimed verification until staff look at it; fenced like <see cref="CompleteAsync"/>.</summary>
    public Task<bool> MarkNeedsReviewAsync(
        Guid id,
        string workerId,
        string? resultJson,
        DateTimeOffset checkedAt,
        string? lastErrorCode,
        string? lastError,
        CancellationToken cancellationToken) =>
        FinishAsync(id, workerId, VerificationStatus.NeedsReview, resultJson, checkedAt, completed: false, lastErrorCode, lastError, cancellationToken);

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
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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
                lastError = Sql.Truncate(lastError, LastErrorLength),
                now = timeProvider.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
        return affected == 1;
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

    /// <summary>
    /// For the nightly re-verification: per member (member_key), the latest completed verification whose program
    /// runs through <paramref name="today"/> or later, skipping members with a check already queued or in progress.
    /// </summary>
    public async Task<IReadOnlyList<ReverificationCandidate>> ListReverificationCandidatesAsync(DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT latest.id AS verification_id, latest.payer_id, latest.member_key, latest.program_end, latest.checked_at
            FROM (
                SELECT id, payer_id, member_key, program_end, checked_at,
                       ROW_NUMBER() OVER (PARTITION BY member_key ORDER BY completed_at DESC, id DESC) AS position
                FROM verifications
                WHERE status = 'completed'
            ) AS latest
            WHERE latest.position = 1
              AND latest.program_end >= @today
              AND NOT EXISTS (
                  SELECT 1 FROM verifications AS pending
                  WHERE pending.member_key = latest.member_key
                    AND pending.status IN ('queued', 'in-progress'))
            ORDER BY latest.program_end, latest.id
            """;
        var rows = await connection.QueryAsync<ReverificationCandidate>(new CommandDefinition(sql, new { today }, cancellationToken: cancellationToken));
        return [.. rows];
    }

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

    /// <summary>The changes recorded for one verification, oldest first.</summary>
    public async Task<IReadOnlyList<VerificationChange>> ListChangesAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT id, verification_id, previous_verification_id, kind, detail, detected_at
            FROM verification_changes
            WHERE verification_id = @verificationId
            ORDER BY id
            """;
        var rows = await connection.QueryAsync<VerificationChange>(new CommandDefinition(sql, new { verificationId }, cancellationToken: cancellationToken));
        return [.. rows];
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
        IReadOnlyList<DetectedChange>? changes = null)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
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
                resultCipher = resultJson is null ? null : phi.Protect(resultJson, id, ResultColumn),
                checkedAt,
                completedAt = completed ? checkedAt : (DateTimeOffset?)null,
                lastErrorCode = Sql.Ansi(lastErrorCode, 32),
                lastError = Sql.Truncate(lastError, LastErrorLength),
                now,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (affected != 1)
        {
            return false;
        }

        if (resultJson is not null)
        {
            await AuditStore.AppendAsync(connection, transaction, AccessContext.ForWorker(workerId), AuditActions.Update, AuditRecordTypes.Verification, id.ToString(), now, cancellationToken);
        }

        // In the same transaction: whoever sees the verification completed also sees what changed, and a crash
        // between the two cannot leave a completed re-check without its changes.
        foreach (var change in changes ?? [])
        {
            await InsertChangeAsync(connection, transaction, id, change.PreviousVerificationId, change.Kind, change.Detail, checkedAt, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<VerificationRecord?> ReadByIdempotencyKeyAsync(DbConnection connection, string idempotencyKey, AccessContext access, CancellationToken cancellationToken)
    {
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        const string sql = """
            SELECT id, status, payer_id, member_key, payload_cipher, result_cipher, attempts, next_attempt_at,
                   lease_owner, lease_expires_at, last_error_code, last_error, created_at, created_by, updated_at,
                   checked_at, completed_at, batch_id, batch_line, program_end, previous_verification_id, version
            FROM verifications
            WHERE idempotency_key = @idempotencyKey
            """;
        var row = await connection.QuerySingleOrDefaultAsync<VerificationRow>(new CommandDefinition(
            sql, new { idempotencyKey = Sql.Ansi(idempotencyKey, 64) }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Read, AuditRecordTypes.Verification, row.Id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Decrypt(row);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored verification {VerificationId}.")]
    private static partial void LogStored(ILogger logger, Guid verificationId, [LogProperties] NewVerification verification);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Count} queued verification(s) in one transaction.")]
    private static partial void LogStoredMany(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} claimed {Count} verification(s).")]
    private static partial void LogClaimed(ILogger logger, string workerId, int count);

    /// <summary>Scoped to the caller, so two clients choosing the same key never see each other's records.</summary>
    private static string IdempotencyHash(string actor, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{actor}\u001f{key}")));

    private VerificationRecord Decrypt(VerificationRow row) => new()
    {
        Id = row.Id,
        Status = row.Status,
        PayerId = row.PayerId,
        MemberKey = row.MemberKey.Trim(),
        PayloadJson = phi.Unprotect(row.PayloadCipher, row.Id, PayloadColumn),
        ResultJson = row.ResultCipher is null ? null : phi.Unprotect(row.ResultCipher, row.Id, ResultColumn),
        Attempts = row.Attempts,
        NextAttemptAt = row.NextAttemptAt,
        LeaseOwner = row.LeaseOwner,
        LeaseExpiresAt = row.LeaseExpiresAt,
        LastErrorCode = row.LastErrorCode,
        LastError = row.LastError,
        CreatedAt = row.CreatedAt,
        CreatedBy = row.CreatedBy,
        UpdatedAt = row.UpdatedAt,
        CheckedAt = row.CheckedAt,
        CompletedAt = row.CompletedAt,
        BatchId = row.BatchId,
        BatchLine = row.BatchLine,
        ProgramEnd = row.ProgramEnd,
        PreviousVerificationId = row.PreviousVerificationId,
        Version = row.Version,
    };

    private sealed record VerificationRow
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public string PayerId { get; init; } = "";
        public string MemberKey { get; init; } = "";
        public byte[] PayloadCipher { get; init; } = [];
        public byte[]? ResultCipher { get; init; }
        public int Attempts { get; init; }
        public DateTimeOffset NextAttemptAt { get; init; }
        public string? LeaseOwner { get; init; }
        public DateTimeOffset? LeaseExpiresAt { get; init; }
        public string? LastErrorCode { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset? CheckedAt { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public Guid? BatchId { get; init; }
        public int? BatchLine { get; init; }
        public DateOnly? ProgramEnd { get; init; }
        public Guid? PreviousVerificationId { get; init; }
        public int Version { get; init; }
    }

    private sealed record QueueStatsRow
    {
        public int Queued { get; init; }
        public int InProgress { get; init; }
        public DateTimeOffset? OldestQueuedAt { get; init; }
    }
}
