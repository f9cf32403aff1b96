using System.Data.Common;
using System.Text.Json;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>A remittance as finance's list shows it: counts and dates only, no PHI.</summary>
internal sealed record RemittanceSummary
{
    public Guid Id { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string ReceivedBy { get; init; } = "";
    public int Transactions { get; init; }
    public int Claims { get; init; }
    public int Matched { get; init; }
}

/// <summary>One matched claim's place, for the estimate-accuracy report: which remittance, which claim, which verification.</summary>
internal sealed record MatchedClaimRow
{
    public Guid RemittanceId { get; init; }
    public int Position { get; init; }
    public Guid VerificationId { get; init; }
    public DateOnly? ServiceFrom { get; init; }
}

/// <summary>
/// Remittances at rest (migration 0016): the file as read, every claim with its match, encrypted in
/// <c>payload_cipher</c>; <c>file_key</c> a keyed hash of the bytes, so the same file is stored once; one
/// <c>remittance_claims</c> row per claim with the verification it matched and its service dates, plain, for the
/// report. Every write and read of a remittance is audited; the verifications matched are audited as read by the matcher.
/// </summary>
internal sealed class RemittanceStore(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider)
{
    internal const string PayloadColumn = "remittances.payload_cipher";

    /// <summary>The keyed hash that recognises a file sent again (never a plain digest of PHI).</summary>
    public string FileKey(ReadOnlySpan<byte> content) => phi.ContentKey("remittance-file", content);

    /// <summary>The remittance already stored from the same bytes, if any.</summary>
    public async Task<Guid?> FindByFileKeyAsync(string fileKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, fileKey, cancellationToken);
    }

    /// <summary>
    /// Stores a read remittance with its claims' matches and an audit entry, in one durable transaction. When the
    /// same file won a race meanwhile, nothing is stored and its id is returned (<c>Created</c> false).
    /// </summary>
    public async Task<(Guid Id, bool Created)> InsertAsync(RemittanceResponse remittance, string fileKey, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        try
        {
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            var transaction = write.Transaction;
            const string insert = """
                INSERT INTO remittances (id, file_key, transactions, claims, matched, payload_cipher, received_at, received_by)
                VALUES (@id, @fileKey, @transactions, @claims, @matched, @payload, @receivedAt, @receivedBy)
                """;
            await connection.ExecuteAsync(new CommandDefinition(
                insert,
                new
                {
                    id = remittance.Id,
                    fileKey = Sql.Ansi(fileKey, 64),
                    transactions = remittance.Transactions.Count,
                    claims = remittance.Claims.Count,
                    matched = remittance.Matched,
                    payload = phi.Protect(JsonSerializer.Serialize(remittance, RemittancesJsonContext.Default.RemittanceResponse), remittance.Id, PayloadColumn),
                    receivedAt = remittance.ReceivedAt,
                    receivedBy = Sql.Truncate(access.Actor, 128),
                },
                transaction,
                cancellationToken: cancellationToken));

            const string insertClaim = """
                INSERT INTO remittance_claims (remittance_id, position, verification_id, matched_by, status, service_from, service_to)
                VALUES (@remittanceId, @position, @verificationId, @matchedBy, @status, @serviceFrom, @serviceTo)
                """;
            var rows = remittance.Claims.Select((claim, position) => new
            {
                remittanceId = remittance.Id,
                position,
                verificationId = claim.VerificationId,
                matchedBy = Sql.Ansi(claim.MatchedBy, 32),
                status = Sql.Ansi(Sql.Truncate(claim.Status, 8), 8),
                serviceFrom = claim.ServiceFrom,
                serviceTo = claim.ServiceTo,
            });
            await connection.ExecuteAsync(new CommandDefinition(insertClaim, rows, transaction, cancellationToken: cancellationToken));
            await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Create, AuditRecordTypes.Remittance, remittance.Id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (remittance.Id, true);
        }
        catch (DbException ex) when (Sql.IsUniqueViolation(ex))
        {
            var first = await FindAsync(connection, null, fileKey, cancellationToken)
                ?? throw new InvalidOperationException("A remittance's file key conflicted but the first upload cannot be found.", ex);
            return (first, false);
        }
    }

    /// <summary>The remittance as stored, decrypted; the read is audited. Null when there is none.</summary>
    public async Task<RemittanceResponse?> GetAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var cipher = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT payload_cipher FROM remittances WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (cipher is null)
        {
            return null;
        }

        await AuditStore.AppendAsync(connection, null, access, AuditActions.Read, AuditRecordTypes.Remittance, id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
        return JsonSerializer.Deserialize(phi.Unprotect(cipher, id, PayloadColumn), RemittancesJsonContext.Default.RemittanceResponse);
    }

    /// <summary>The latest remittances first (counts only, nothing to audit).</summary>
    public async Task<IReadOnlyList<RemittanceSummary>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Dialect == DatabaseProvider.SqlServer
            ? "SELECT TOP (@limit) id AS Id, received_at AS ReceivedAt, received_by AS ReceivedBy, transactions AS Transactions, claims AS Claims, matched AS Matched FROM dbo.remittances ORDER BY received_at DESC, id DESC"
            : "SELECT id AS Id, received_at AS ReceivedAt, received_by AS ReceivedBy, transactions AS Transactions, claims AS Claims, matched AS Matched FROM remittances ORDER BY received_at DESC, id DESC LIMIT @limit";
        return [.. await connection.QueryAsync<RemittanceSummary>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>Matched claims whose first service date is in [from, to], in remittance and file order.</summary>
    public async Task<IReadOnlyList<MatchedClaimRow>> MatchedClaimsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT c.remittance_id AS RemittanceId, c.position AS Position, c.verification_id AS VerificationId, c.service_from AS ServiceFrom
            FROM remittance_claims c
            JOIN remittances r ON r.id = c.remittance_id
            WHERE c.verification_id IS NOT NULL AND c.service_from >= @from AND c.service_from <= @to
            ORDER BY r.received_at, c.remittance_id, c.position
            """;
        return [.. await connection.QueryAsync<MatchedClaimRow>(new CommandDefinition(sql, new { from, to }, cancellationToken: cancellationToken))];
    }

    private static Task<Guid?> FindAsync(DbConnection connection, DbTransaction? transaction, string fileKey, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM remittances WHERE file_key = @fileKey", new { fileKey = Sql.Ansi(fileKey, 64) }, transaction, cancellationToken: cancellationToken));
}
