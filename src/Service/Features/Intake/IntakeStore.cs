using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>A web request as stored; <see cref="Payload"/> decrypted.</summary>
internal sealed record IntakeRecord(
    Guid Id, string Reference, DateTimeOffset CreatedAt, string CallbackStatus, bool PayerKnown, string? PayerId, Guid? ConsentId, Guid? VerificationId, IntakePayload Payload);

/// <summary>
/// Web requests at rest (migration 0015): PHI in <c>payload_cipher</c>, encrypted like a verification's payload; the
/// request, its consent record and its queued verification written in one durable transaction, each audited.
/// </summary>
internal sealed class IntakeStore(IDbConnectionFactory database, VerificationStore verifications, PhiProtector phi, TimeProvider timeProvider)
{
    internal const string PayloadColumn = "intake_requests.payload_cipher";
    internal const string RecordType = "intake-request";

    // No 0/O/1/I: the reference is read out over the phone.
    private const string ReferenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string NewReference() =>
        "W-" + string.Create(8, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = ReferenceAlphabet[RandomNumberGenerator.GetInt32(ReferenceAlphabet.Length)];
            }
        });

    /// <summary>
    /// Stores a web request with its verification (and the consent the verification records), or alone when the
    /// insurer is unknown. False, and nothing stored, when the form token was used before.
    /// </summary>
    public async Task<bool> InsertAsync(
        Guid id, string reference, string formTokenId, IntakePayload payload, NewVerification? verification, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var used = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM intake_requests WHERE form_token_id = @formTokenId",
            new { formTokenId = Sql.Ansi(formTokenId, 64) }, transaction, cancellationToken: cancellationToken));
        if (used > 0)
        {
            return false;
        }

        if (verification is not null)
        {
            await verifications.InsertQueuedAsync(connection, transaction, [verification], access, now, cancellationToken);
        }

        const string sql = """
            INSERT INTO intake_requests (id, reference, created_at, callback_status, payer_known, payer_id, consent_id, verification_id, form_token_id, payload_cipher, updated_at)
            VALUES (@id, @reference, @now, @status, @payerKnown, @payerId, @consentId, @verificationId, @formTokenId, @payload, @now)
            """;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                sql,
                new
                {
                    id,
                    reference = Sql.Ansi(reference, 16),
                    now,
                    status = Sql.Ansi(CallbackStatuses.New, 16),
                    payerKnown = payload.PayerId is not null,
                    payerId = Sql.Ansi(payload.PayerId, 32),
                    consentId = verification?.NewConsent?.Id,
                    verificationId = verification?.Id,
                    formTokenId = Sql.Ansi(formTokenId, 64),
                    payload = Protect(payload, id),
                },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (DbException exception) when (Sql.IsUniqueViolation(exception))
        {
            return false;
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Create, RecordType, id.ToString(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Web requests newest first (all, or those with one callback status); every one returned is an audited read.</summary>
    public async Task<IReadOnlyList<IntakeRecord>> ListAsync(string? status, int limit, AccessContext access, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, reference, created_at, callback_status, payer_known, payer_id, consent_id, verification_id, payload_cipher
            FROM intake_requests
            WHERE (@status IS NULL OR callback_status = @status)
            ORDER BY created_at DESC
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<IntakeRow>(new CommandDefinition(
            sql, new { status = Sql.Ansi(status, 16) }, cancellationToken: cancellationToken))).Take(limit).ToList();
        if (rows.Count > 0)
        {
            var now = timeProvider.GetUtcNow();
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            foreach (var row in rows)
            {
                await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Read, RecordType, row.Id.ToString(), now, cancellationToken);
            }

            await write.Transaction.CommitAsync(cancellationToken);
        }

        return [.. rows.Select(Decrypt)];
    }

    /// <summary>One web request (audited read), or null.</summary>
    public async Task<IntakeRecord?> GetAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await ReadAsync(connection, null, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Read, RecordType, id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
        return Decrypt(row);
    }

    /// <summary>The web request that queued this verification, or null (no audit: the verification's read is the audited one).</summary>
    public async Task<IntakeRecord?> FindForVerificationAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, reference, created_at, callback_status, payer_known, payer_id, consent_id, verification_id, payload_cipher
            FROM intake_requests WHERE verification_id = @verificationId
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IntakeRow>(new CommandDefinition(sql, new { verificationId }, cancellationToken: cancellationToken));
        return row is null ? null : Decrypt(row);
    }

    /// <summary>
    /// Sets the callback status and, for a request whose insurer was unknown, the payer staff picked with the
    /// verification queued for it, in one durable, audited transaction. Null when there is no such request.
    /// </summary>
    public async Task<IntakeRecord?> UpdateAsync(
        Guid id, string? status, IntakePayload? payload, NewVerification? verification, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var row = await ReadAsync(connection, transaction, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (verification is not null && payload is not null && row.VerificationId is null)
        {
            await verifications.InsertQueuedAsync(connection, transaction, [verification], access, now, cancellationToken);
            const string payerSql = """
                UPDATE intake_requests
                SET payer_known = @payerKnown, payer_id = @payerId, consent_id = @consentId, verification_id = @verificationId,
                    payload_cipher = @payload, updated_at = @now, updated_by = @by
                WHERE id = @id
                """;
            await connection.ExecuteAsync(new CommandDefinition(
                payerSql,
                new
                {
                    id,
                    payerKnown = true,
                    payerId = Sql.Ansi(payload.PayerId, 32),
                    consentId = verification.NewConsent?.Id,
                    verificationId = verification.Id,
                    payload = Protect(payload, id),
                    now,
                    by = Sql.Truncate(access.Actor, 128),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        if (status is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE intake_requests SET callback_status = @status, updated_at = @now, updated_by = @by WHERE id = @id",
                new { id, status = Sql.Ansi(status, 16), now, by = Sql.Truncate(access.Actor, 128) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Update, RecordType, id.ToString(), now, cancellationToken);
        var updated = await ReadAsync(connection, transaction, id, cancellationToken) ?? throw new InvalidOperationException("A web request disappeared while it was updated.");
        await transaction.CommitAsync(cancellationToken);
        return Decrypt(updated);
    }

    private byte[] Protect(IntakePayload payload, Guid id) =>
        phi.Protect(JsonSerializer.Serialize(payload, IntakeJsonContext.Default.IntakePayload), id, PayloadColumn);

    private static Task<IntakeRow?> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, reference, created_at, callback_status, payer_known, payer_id, consent_id, verification_id, payload_cipher
            FROM intake_requests WHERE id = @id
            """;
        return connection.QuerySingleOrDefaultAsync<IntakeRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
    }

    private IntakeRecord Decrypt(IntakeRow row) => new(
        row.Id,
        row.Reference,
        row.CreatedAt,
        row.CallbackStatus,
        row.PayerKnown,
        row.PayerId?.Trim(),
        row.ConsentId,
        row.VerificationId,
        JsonSerializer.Deserialize(phi.Unprotect(row.PayloadCipher, row.Id, PayloadColumn), IntakeJsonContext.Default.IntakePayload)
            ?? throw new InvalidOperationException("A web request's payload is empty."));

    private sealed record IntakeRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CallbackStatus { get; init; } = "";
        public bool PayerKnown { get; init; }
        public string? PayerId { get; init; }
        public Guid? ConsentId { get; init; }
        public Guid? VerificationId { get; init; }
        public byte[] PayloadCipher { get; init; } = [];
    }
}
