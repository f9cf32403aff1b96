using System.Data.Common;
using CoverageCheck.Service.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CoverageCheck.Service.Security;

/// <summary>
/// The append-only audit trail. <see cref="Features.Verifications.VerificationStore"/> writes its own entries in the same transaction as the
/// access; features that read PHI elsewhere (a report, an export) call <see cref="AppendAsync(AccessContext, string, string, string, CancellationToken)"/>.
/// </summary>
internal sealed class AuditStore(IDbConnectionFactory database, TimeProvider timeProvider)
{
    public async Task AppendAsync(AccessContext access, string action, string recordType, string recordId, CancellationToken cancellationToken)
    {
        // A write transaction: on SQLite it queues at this process's write gate rather than spinning in the busy
        // handler against the worker's writes, and the entry and its actor kind commit together.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        await AppendAsync(connection, write.Transaction, access, action, recordType, recordId, timeProvider.GetUtcNow(), cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Entries written per transaction by <see cref="AppendManyAsync"/>.</summary>
    public const int ChunkSize = 500;

    /// <summary>
    /// One entry per record that an access concerned (the patients of a 271 upload, the rows of a batch export), all
    /// with the same time, in transactions of <see cref="ChunkSize"/>. Record ids are ids or keyed hashes, never PHI.
    /// </summary>
    public async Task AppendManyAsync(
        AccessContext access, string action, IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var at = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in records.Chunk(ChunkSize))
        {
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            await AppendAllAsync(connection, write.Transaction, access, action, chunk, at, cancellationToken);

            await write.Transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Every entry for one record, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListForRecordAsync(string recordType, string recordId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT a.id, a.at, a.actor, a.role, a.action, a.record_type, a.record_id, a.purpose, k.actor_kind
            FROM audit_log a
            LEFT JOIN audit_actor_kinds k ON k.audit_id = a.id
            WHERE a.record_type = @recordType AND a.record_id = @recordId
            ORDER BY a.id
            """;
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            sql,
            new { recordType = Sql.Ansi(recordType, 32), recordId = Sql.Ansi(recordId, 64) },
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    internal static Task AppendAsync(
        DbConnection connection,
        DbTransaction? transaction,
        AccessContext access,
        string action,
        string recordType,
        string recordId,
        DateTimeOffset at,
        CancellationToken cancellationToken) =>
        AppendAllAsync(connection, transaction, access, action, [new AuditRecord(recordType, recordId)], at, cancellationToken);

    /// <summary>
    /// One entry per record in <paramref name="records"/>, all with the same access, action and time (a census intake's
    /// verifications, a claim's items), inside the caller's transaction: one command, prepared once and run for each.
    /// </summary>
    internal static async Task AppendAllAsync(
        DbConnection connection,
        DbTransaction? transaction,
        AccessContext access,
        string action,
        IEnumerable<AuditRecord> records,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(access.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(access.Role);
        ArgumentException.ThrowIfNullOrWhiteSpace(access.Purpose);
        // The actor's kind goes to a table of its own (SQLite cannot add a column to audit_log idempotently), in the
        // same command and the caller's transaction when it passes one.
        const string sqlite = """
            INSERT INTO audit_log (at, actor, role, action, record_type, record_id, purpose)
            VALUES (@at, @actor, @role, @action, @recordType, @recordId, @purpose);
            INSERT INTO audit_actor_kinds (audit_id, actor_kind) VALUES (last_insert_rowid(), @actorKind);
            """;
        const string sqlServer = """
            INSERT INTO audit_log (at, actor, role, action, record_type, record_id, purpose)
            VALUES (@at, @actor, @role, @action, @recordType, @recordId, @purpose);
            INSERT INTO audit_actor_kinds (audit_id, actor_kind) VALUES (CAST(SCOPE_IDENTITY() AS bigint), @actorKind);
            """;
        var actor = Sql.Truncate(access.Actor, 128);
        var role = Sql.Ansi(access.Role, 32);
        var actionText = Sql.Ansi(action, 32);
        var purpose = Sql.Truncate(access.Purpose, 256);
        var actorKind = Sql.Ansi(access.ActorKind, 16);
        await connection.ExecuteAsync(new CommandDefinition(
            connection is SqliteConnection ? sqlite : sqlServer,
            records.Select(record => new
            {
                at,
                actor,
                role,
                action = actionText,
                recordType = Sql.Ansi(record.RecordType, 32),
                recordId = Sql.Ansi(record.RecordId, 64),
                purpose,
                actorKind,
            }),
            transaction,
            cancellationToken: cancellationToken));
    }
}

/// <summary>One record an access concerned: its type (<see cref="AuditRecordTypes"/>) and id.</summary>
internal readonly record struct AuditRecord(string RecordType, string RecordId);
