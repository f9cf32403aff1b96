using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.CarveOuts;

/// <summary>
/// The links between a verification and its linked verification to a carve-out administrator
/// (<c>verification_carve_outs</c>: ids only, no PHI).
/// </summary>
internal sealed class CarveOutLinks(IDbConnectionFactory database, PhiProtector phi, VerificationStore verifications, TimeProvider timeProvider)
{
    /// <summary>
    /// In one transaction, fenced by the parent's lease: stores the parent's answer (the medical plan's, naming the
    /// administrator), puts the parent back in the queue as <c>carve-out-pending</c> until <paramref name="recheckAt"/>
    /// (the child's end wakes it sooner), and inserts the child, queued, with the link. False when the lease was lost.
    /// </summary>
    public async Task<bool> LinkAsync(
        Guid parentId, string leaseOwner, string parentResultJson, string? errorCode, string? error, NewVerification child,
        DateTimeOffset recheckAt, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        const string requeueParent = """
            UPDATE verifications
            SET status = 'queued',
                result_cipher = @resultCipher,
                checked_at = @now,
                next_attempt_at = @recheckAt,
                lease_owner = NULL,
                lease_expires_at = NULL,
                last_error_code = @errorCode,
                last_error = @error,
                updated_at = @now,
                version = version + 1
            WHERE id = @parentId AND status = 'in-progress' AND lease_owner = @leaseOwner
            """;
        var affected = await connection.ExecuteAsync(new CommandDefinition(
            requeueParent,
            new
            {
                parentId,
                leaseOwner = Sql.Truncate(leaseOwner, 128),
                resultCipher = phi.Protect(parentResultJson, parentId, VerificationStore.ResultColumn),
                recheckAt,
                errorCode = Sql.Ansi(errorCode, 32),
                error = Sql.Truncate(error, VerificationStore.LastErrorLength),
                now,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (affected != 1)
        {
            return false;
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Update, AuditRecordTypes.Verification, parentId.ToString(), now, cancellationToken);
        var childId = (await verifications.InsertQueuedAsync(connection, transaction, [child], access, now, cancellationToken))[0];
        const string link = "INSERT INTO verification_carve_outs (parent_id, child_id, created_at) VALUES (@parentId, @childId, @now)";
        await connection.ExecuteAsync(new CommandDefinition(link, new { parentId, childId, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The linked verification made for <paramref name="parentId"/>, or null.</summary>
    public async Task<Guid?> FindChildAsync(Guid parentId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT child_id FROM verification_carve_outs WHERE parent_id = @parentId";
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(sql, new { parentId }, cancellationToken: cancellationToken));
    }

    /// <summary>Makes a parent waiting in the queue due now: its linked verification has ended.</summary>
    public async Task WakeAsync(Guid parentId, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE verifications SET next_attempt_at = @now WHERE id = @parentId AND status = 'queued'";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { parentId, now = timeProvider.GetUtcNow() }, write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
    }
}
