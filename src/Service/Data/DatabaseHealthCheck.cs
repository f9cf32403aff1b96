using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoverageCheck.Service.Data;

/// <summary>Ready when migrations have been applied, the database answers, and (SQLite) its file is still the one opened.</summary>
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
            // Opening fails with DatabaseFileChangedException once the file is no longer the one opened at start.
            await using var connection = await database.OpenAsync(cancellationToken);
            const string sql = """
                SELECT COUNT(*) FROM audit_log WHERE 1 = 0
                """;
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (DatabaseFileChangedException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
