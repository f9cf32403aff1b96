using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoverageCheck.Service.Data;

/// <summary>Ready when migrations have been applied and the database answers.</summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness, IDbConnectionFactory database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsMigrated)
        {
            return HealthCheckResult.Unhealthy(readiness.Failure ?? "Database migrations have not been applied yet.");
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            const string sql = """
                SELECT COUNT(*) FROM audit_log WHERE 1 = 0
                """;
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
