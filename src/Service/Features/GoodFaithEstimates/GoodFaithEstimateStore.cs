using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.GoodFaithEstimates;

/// <summary>An issued Good Faith Estimate, without its document (no PHI).</summary>
internal sealed record IssuedGoodFaithEstimate
{
    public Guid Id { get; init; }
    public Guid VerificationId { get; init; }
    public string EstimateNumber { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public string IssuedBy { get; init; } = "";
}

/// <summary>
/// Table <c>good_faith_estimates</c>: every Good Faith Estimate handed to a patient, kept as the PDF that was issued
/// (encrypted, as it names the patient), so the same document can be given again on request for 6 years
/// (45 CFR 149.610; estimator-reference.md). Rows are never changed or deleted (the database refuses it). Storing and
/// reading a document are audited.
/// </summary>
internal sealed class GoodFaithEstimateStore(IDbConnectionFactory database, PhiProtector phi)
{
    internal const string DocumentColumn = "good_faith_estimates.document_cipher";

    /// <summary>Keeps an issued document; the caller has just made <paramref name="pdf"/> for <paramref name="estimate"/>.</summary>
    public async Task AddAsync(IssuedGoodFaithEstimate estimate, byte[] pdf, AccessContext access, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO good_faith_estimates (id, verification_id, estimate_number, issued_at, issued_by, document_cipher)
            VALUES (@id, @verificationId, @estimateNumber, @issuedAt, @issuedBy, @documentCipher)
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                id = estimate.Id,
                verificationId = estimate.VerificationId,
                estimateNumber = Sql.Ansi(estimate.EstimateNumber, 32),
                issuedAt = estimate.IssuedAt,
                issuedBy = Sql.Truncate(estimate.IssuedBy, 128),
                documentCipher = phi.ProtectBytes(pdf, estimate.Id, DocumentColumn),
            },
            write.Transaction,
            cancellationToken: cancellationToken));
        await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Create, AuditRecordTypes.GoodFaithEstimate, estimate.Id.ToString(), estimate.IssuedAt, cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The estimates issued for a verification, oldest first.</summary>
    public async Task<IReadOnlyList<IssuedGoodFaithEstimate>> ListAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, verification_id AS VerificationId, estimate_number AS EstimateNumber, issued_at AS IssuedAt, issued_by AS IssuedBy
            FROM good_faith_estimates
            WHERE verification_id = @verificationId
            ORDER BY issued_at, id
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<IssuedGoodFaithEstimate>(new CommandDefinition(sql, new { verificationId }, cancellationToken: cancellationToken))];
    }

    /// <summary>An issued estimate and its document exactly as issued, or null; the read is audited.</summary>
    public async Task<(IssuedGoodFaithEstimate Estimate, byte[] Pdf)?> GetAsync(Guid id, AccessContext access, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, verification_id AS VerificationId, estimate_number AS EstimateNumber, issued_at AS IssuedAt, issued_by AS IssuedBy,
                   document_cipher AS DocumentCipher
            FROM good_faith_estimates
            WHERE id = @id
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        // Two objects per row: the estimate as ListAsync reads it, and its ciphertext from DocumentCipher on.
        var rows = await connection.QueryAsync<IssuedGoodFaithEstimate, Document, (IssuedGoodFaithEstimate Estimate, byte[] Cipher)>(
            new CommandDefinition(sql, new { id }, write.Transaction, cancellationToken: cancellationToken),
            (estimate, document) => (estimate, document.DocumentCipher),
            splitOn: nameof(Document.DocumentCipher));
        if (rows.SingleOrDefault() is not { Estimate: not null } found)
        {
            return null;
        }

        await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Read, AuditRecordTypes.GoodFaithEstimate, id.ToString(), now, cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
        return (found.Estimate, phi.UnprotectBytes(found.Cipher, found.Estimate.Id, DocumentColumn));
    }

    private sealed record Document
    {
        public byte[] DocumentCipher { get; init; } = [];
    }
}
