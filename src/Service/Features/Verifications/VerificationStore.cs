using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Verifications at rest, as records: insert (one or a batch), read (audited), list the work queue, re-verification
/// candidates and detected changes. PHI is encrypted and decrypted here, so callers handle plaintext records; every
/// method that returns or stores PHI writes an audit entry in the same transaction. The worker's side of the same
/// table, claiming and finishing under a lease, is <see cref="VerificationQueue"/>.
/// </summary>
internal sealed partial class VerificationStore(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider, ILogger<VerificationStore> logger)
{
    internal const string PayloadColumn = "verifications.payload_cipher";
    internal const string ResultColumn = "verifications.result_cipher";
    internal const int LastErrorLength = 512;

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

        var now = timeProvider.GetUtcNow();
        IReadOnlyList<Guid> ids;
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using (var write = await Sql.BeginWriteAsync(connection, cancellationToken))
        {
            ids = await InsertQueuedAsync(connection, write.Transaction, verifications, access, now, cancellationToken);
            await write.Transaction.CommitAsync(cancellationToken);
        }

        LogStoredMany(logger, verifications.Count);
        return ids;
    }

    /// <summary>
    /// Stores many new queued verifications inside the caller's write transaction (a census intake that must be all or
    /// nothing: the batch, its verifications, their consents and its rows commit together).
    /// </summary>
    internal async Task<IReadOnlyList<Guid>> InsertQueuedAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewVerification> verifications, AccessContext access, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var verification in verifications)
        {
            if (verification.Lease is not null || verification.IdempotencyKey is not null)
            {
                throw new ArgumentException("Queued verifications carry neither a lease nor an idempotency key.", nameof(verifications));
            }
        }

        var inserted = await InsertRowsAsync(connection, transaction, verifications, idempotencyKey: null, access, now, cancellationToken);
        return [.. inserted.Select(record => record.Id)];
    }

    /// <summary>
    /// Stores a new verification (queued, or in-progress when <see cref="NewVerification.Lease"/> is set). With an
    /// idempotency key the caller has used before, returns the existing record instead (<c>Created</c> false).
    /// </summary>
    public async Task<InsertedVerification> InsertAsync(NewVerification verification, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verification.PayerId);
        var idempotencyKey = verification.IdempotencyKey is { Length: > 0 } key ? IdempotencyHash(access.Actor, key) : null;

        await using var connection = await database.OpenDurableAsync(cancellationToken);
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
            inserted = (await InsertRowsAsync(connection, transaction, [verification], idempotencyKey, access, now, cancellationToken))[0];
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
    /// Inserts verifications (queued, or in-progress when <see cref="NewVerification.Lease"/> is set), their new
    /// consents, links and audit entries inside <paramref name="transaction"/>; returns them as stored, in order. Each
    /// statement is one command run for every row (prepared once: a census of 10,000 rows is 10,000 executions of a
    /// handful of statements, not 80,000 statements parsed one by one). <paramref name="idempotencyKey"/> is for a
    /// single request's row.
    /// </summary>
    private async Task<List<VerificationRecord>> InsertRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<NewVerification> verifications,
        string? idempotencyKey,
        AccessContext access,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && verifications.Count != 1)
        {
            throw new ArgumentException("An idempotency key belongs to a single request's verification.", nameof(idempotencyKey));
        }

        var rows = verifications.Select(verification =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(verification.PayerId);
            var id = verification.Id ?? Guid.CreateVersion7(now);
            var leased = verification.Lease is not null;
            return new
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
                consentId = verification.NewConsent?.Id ?? verification.ConsentId,
                verification,
            };
        }).ToList();

        await ConsentStore.InsertAsync(connection, transaction, [.. rows.Select(row => row.verification.NewConsent).OfType<NewConsent>()], access, now, cancellationToken);
        await ExecuteForEachAsync(InsertSql, rows);
        const string linkConsent = "INSERT INTO verification_consents (verification_id, consent_id) VALUES (@id, @consentId)";
        await ExecuteForEachAsync(linkConsent, rows.Where(row => row.consentId is not null).Select(row => new { row.id, row.consentId }));

        // The reference the program bills with, by keyed hash only, for matching remittances (#19).
        const string insertRef = "INSERT INTO verification_patient_refs (verification_id, patient_ref_key) VALUES (@id, @key)";
        await ExecuteForEachAsync(insertRef, rows
            .Where(row => !string.IsNullOrWhiteSpace(row.verification.PatientRef))
            .Select(row => new { row.id, key = Sql.Ansi(phi.PatientRefKey(row.verification.PatientRef!), 64) }));

        const string insertTrace = "INSERT INTO verification_traces (verification_id, trace_parent) VALUES (@id, @traceParent)";
        await ExecuteForEachAsync(insertTrace, rows
            .Where(row => row.verification.TraceParent is { Length: > 0 and <= TraceParentLength })
            .Select(row => new { row.id, traceParent = Sql.Ansi(row.verification.TraceParent, TraceParentLength) }));

        await AuditStore.AppendAllAsync(
            connection, transaction, access, AuditActions.Create, rows.Select(row => new AuditRecord(AuditRecordTypes.Verification, row.id.ToString())), now, cancellationToken);
        return [.. rows.Select(row => new VerificationRecord
        {
            Id = row.id,
            Status = row.status.Value!,
            PayerId = row.payerId.Value!,
            MemberKey = row.memberKey.Value!,
            PayloadJson = row.verification.PayloadJson,
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
            ConsentId = row.consentId,
            Version = 1,
        })];

        // Dapper runs a command once per element of an enumerable parameter, reusing the command (and SQLite its statement).
        Task ExecuteForEachAsync<T>(string sql, IEnumerable<T> parameters) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
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
                   checked_at, completed_at, batch_id, batch_line, program_end, previous_verification_id, version,
                   (SELECT consent_id FROM verification_consents WHERE verification_id = verifications.id) AS consent_id
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
    /// For the nightly re-verification: per member (member_key), the latest completed verification whose program
    /// runs through <paramref name="today"/> or later, skipping members with a check already queued or in progress,
    /// and members whose last re-check was stopped for want of consent (it re-uses the consent on file, which each
    /// attempt checks again before the payer call).
    /// </summary>
    public async Task<IReadOnlyList<ReverificationCandidate>> ListReverificationCandidatesAsync(DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT latest.id AS verification_id, latest.payer_id, latest.member_key, latest.program_end, latest.checked_at
            FROM (
                SELECT id, payer_id, member_key, program_end, checked_at, completed_at,
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
              -- Stopped for want of consent since: asking again each night would only repeat that (42 CFR Part 2).
              AND NOT EXISTS (
                  SELECT 1 FROM verifications AS refused
                  WHERE refused.member_key = latest.member_key
                    AND refused.status = 'needs-review'
                    AND refused.last_error_code IN ('consent-missing', 'consent-revoked')
                    AND refused.created_at >= latest.completed_at)
            ORDER BY latest.program_end, latest.id
            """;
        var rows = await connection.QueryAsync<ReverificationCandidate>(new CommandDefinition(sql, new { today }, cancellationToken: cancellationToken));
        return [.. rows];
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

    private async Task<VerificationRecord?> ReadByIdempotencyKeyAsync(DbConnection connection, string idempotencyKey, AccessContext access, CancellationToken cancellationToken)
    {
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        const string sql = """
            SELECT id, status, payer_id, member_key, payload_cipher, result_cipher, attempts, next_attempt_at,
                   lease_owner, lease_expires_at, last_error_code, last_error, created_at, created_by, updated_at,
                   checked_at, completed_at, batch_id, batch_line, program_end, previous_verification_id, version,
                   (SELECT consent_id FROM verification_consents WHERE verification_id = verifications.id) AS consent_id
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

    /// <summary>Scoped to the caller, so two clients choosing the same key never see each other's records.</summary>
    private static string IdempotencyHash(string actor, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{actor}\u001f{key}")));

    internal VerificationRecord Decrypt(VerificationRow row) => new()
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
        ConsentId = row.ConsentId,
        Version = row.Version,
    };

    internal sealed record VerificationRow
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
        public Guid? ConsentId { get; init; }
        public int Version { get; init; }
    }

}
