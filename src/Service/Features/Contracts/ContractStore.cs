using System.Text.Json;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>
/// The contract table (migration 0012): the contract record as JSON beside the payer and dates it is looked up by.
/// Contracts are not PHI, so reads are not audited; every write (create, update, delete) is, in its own transaction.
/// </summary>
internal sealed class ContractStore(IDbConnectionFactory database, TimeProvider timeProvider)
{
    /// <summary>Every contract, or one payer's, by payer then id.</summary>
    public async Task<IReadOnlyList<Contract>> ListAsync(string? payerId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT contract_json FROM contracts
            WHERE @payerId IS NULL OR payer_id = @payerId
            ORDER BY payer_id, id
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            sql, new { payerId = Sql.Ansi(payerId?.Trim(), 80) }, cancellationToken: cancellationToken));
        return [.. rows.Select(Read)];
    }

    /// <summary>One contract, or null.</summary>
    public async Task<Contract?> GetAsync(string id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT contract_json FROM contracts WHERE id = @id";
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            sql, new { id = Sql.Ansi(id, 64) }, cancellationToken: cancellationToken));
        return json is null ? null : Read(json);
    }

    /// <summary>Stores <paramref name="contract"/> under its id, replacing one there; true when it was new. Audited.</summary>
    public async Task<(Contract Stored, bool Created)> PutAsync(Contract contract, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var stored = contract with { UpdatedAt = now, UpdatedBy = Sql.Truncate(access.Actor, 128) };
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var created = await PutAsync(connection, write.Transaction, stored, access, now, cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
        return (stored, created);
    }

    /// <summary>
    /// Stores every contract in one transaction (all or nothing), each write audited; returns how many were new.
    /// <c>contracts import</c> validates every row first and calls this only when all are good.
    /// </summary>
    public async Task<int> PutAllAsync(IReadOnlyList<Contract> contracts, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var created = 0;
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        foreach (var contract in contracts)
        {
            var stored = contract with { UpdatedAt = now, UpdatedBy = Sql.Truncate(access.Actor, 128) };
            if (await PutAsync(connection, write.Transaction, stored, access, now, cancellationToken))
            {
                created++;
            }
        }

        await write.Transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>Removes a contract; false when there was none. Audited.</summary>
    public async Task<bool> DeleteAsync(string id, AccessContext access, CancellationToken cancellationToken)
    {
        const string sql = "DELETE FROM contracts WHERE id = @id";
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id = Sql.Ansi(id, 64) }, write.Transaction, cancellationToken: cancellationToken));
        if (deleted > 0)
        {
            await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Delete, AuditRecordTypes.Contract, id, timeProvider.GetUtcNow(), cancellationToken);
        }

        await write.Transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    private static async Task<bool> PutAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Contract contract, AccessContext access, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string update = """
            UPDATE contracts
            SET payer_id = @payerId, effective_from = @effectiveFrom, effective_to = @effectiveTo, contract_json = @json, updated_at = @now, updated_by = @by
            WHERE id = @id
            """;
        const string insert = """
            INSERT INTO contracts (id, payer_id, effective_from, effective_to, contract_json, updated_at, updated_by)
            VALUES (@id, @payerId, @effectiveFrom, @effectiveTo, @json, @now, @by)
            """;
        var parameters = new
        {
            id = Sql.Ansi(contract.Id, 64),
            payerId = Sql.Ansi(contract.PayerId, 80),
            effectiveFrom = contract.EffectiveFrom,
            effectiveTo = contract.EffectiveTo,
            json = JsonSerializer.Serialize(contract, ContractsJsonContext.Default.Contract),
            now,
            by = contract.UpdatedBy ?? Sql.Truncate(access.Actor, 128),
        };
        var updated = await connection.ExecuteAsync(new CommandDefinition(update, parameters, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(insert, parameters, transaction, cancellationToken: cancellationToken));
        }

        await AuditStore.AppendAsync(connection, transaction, access, updated == 0 ? AuditActions.Create : AuditActions.Update,
            AuditRecordTypes.Contract, contract.Id, now, cancellationToken);
        return updated == 0;
    }

    private static Contract Read(string json) =>
        JsonSerializer.Deserialize(json, ContractsJsonContext.Default.Contract)
        ?? throw new InvalidOperationException("A stored contract is empty.");
}
