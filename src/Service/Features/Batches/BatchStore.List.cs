using CoverageCheck.Service.Data;
using Dapper;

namespace CoverageCheck.Service.Features.Batches;

internal sealed partial class BatchStore
{
    /// <summary>The latest batches first, for finance's batches page (no PHI).</summary>
    public async Task<IReadOnlyList<BatchRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Dialect == DatabaseProvider.SqlServer
            ? """
              SELECT TOP (@limit) id AS Id, status AS Status, row_count AS [RowCount], created_at AS CreatedAt, created_by AS CreatedBy, completed_at AS CompletedAt
              FROM dbo.batches ORDER BY created_at DESC, id DESC
              """
            : """
              SELECT id AS Id, status AS Status, row_count AS [RowCount], created_at AS CreatedAt, created_by AS CreatedBy, completed_at AS CompletedAt
              FROM batches ORDER BY created_at DESC, id DESC LIMIT @limit
              """;
        var batches = (await connection.QueryAsync<BatchRecord>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken))).ToList();
        var names = await NamesAsync(connection, batches.Select(b => b.Id).ToList(), cancellationToken);
        return [.. batches.Select(b => b with { Name = names.GetValueOrDefault(b.Id) })];
    }

    /// <summary>Names a batch after the census it ran; a batch keeps its first name.</summary>
    public async Task SetNameAsync(Guid id, string? name, CancellationToken cancellationToken)
    {
        if (BatchNames.Normalize(name) is not { } normalized)
        {
            return;
        }

        await using var connection = await database.OpenDurableAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM batch_names WHERE batch_id = @id", new { id }, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO batch_names (batch_id, name) VALUES (@id, @name)", new { id, name = normalized }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The last batch before this one that ran the same census (by name, case-insensitive); none for an unnamed batch.</summary>
    public async Task<BatchRecord?> FindPreviousRunAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var name = batch.Name ?? (await NamesAsync(connection, [batch.Id], cancellationToken)).GetValueOrDefault(batch.Id);
        if (name is null)
        {
            return null;
        }

        var sql = database.Dialect == DatabaseProvider.SqlServer
            ? """
              SELECT TOP (1) b.id AS Id, b.status AS Status, b.row_count AS [RowCount], b.created_at AS CreatedAt, b.created_by AS CreatedBy, b.completed_at AS CompletedAt, n.name AS Name
              FROM dbo.batches b JOIN dbo.batch_names n ON n.batch_id = b.id
              WHERE n.name = @name AND b.id <> @id AND b.created_at < @createdAt
              ORDER BY b.created_at DESC
              """
            : """
              SELECT b.id AS Id, b.status AS Status, b.row_count AS [RowCount], b.created_at AS CreatedAt, b.created_by AS CreatedBy, b.completed_at AS CompletedAt, n.name AS Name
              FROM batches b JOIN batch_names n ON n.batch_id = b.id
              WHERE n.name = @name AND b.id <> @id AND b.created_at < @createdAt
              ORDER BY b.created_at DESC LIMIT 1
              """;
        return await connection.QuerySingleOrDefaultAsync<BatchRecord>(new CommandDefinition(
            sql, new { name, id = batch.Id, createdAt = batch.CreatedAt }, cancellationToken: cancellationToken));
    }

    /// <summary>The name of a batch, if it has one.</summary>
    public async Task<string?> NameAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await NamesAsync(connection, [id], cancellationToken)).GetValueOrDefault(id);
    }

    private static async Task<Dictionary<Guid, string>> NamesAsync(System.Data.Common.DbConnection connection, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<(Guid BatchId, string Name)>(new CommandDefinition(
            "SELECT batch_id, name FROM batch_names WHERE batch_id IN @ids", new { ids }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.BatchId, r => r.Name);
    }
}

/// <summary>The census name of a batch (#19): what its report's changes are compared on.</summary>
internal static class BatchNames
{
    public const int MaxLength = 128;

    /// <summary>The name of the nightly re-verification's batches.</summary>
    public const string Nightly = "nightly re-verification";

    /// <summary>A name as stored: trimmed, without a path or control characters, at most <see cref="MaxLength"/>; null when empty.</summary>
    public static string? Normalize(string? name)
    {
        var text = Path.GetFileName(name?.Replace('\\', '/'))?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        text = new string([.. text.Where(c => !char.IsControl(c))]);
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
