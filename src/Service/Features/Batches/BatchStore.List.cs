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
        return [.. await connection.QueryAsync<BatchRecord>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken))];
    }
}
