using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Data;

/// <summary>Opens connections to the configured database; the <see cref="Dialect"/> tells queries which SQL to send.</summary>
internal interface IDbConnectionFactory
{
    DatabaseProvider Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The one place connections are made. SQLite connections get WAL journaling (set once by the migrator) with
/// synchronous = NORMAL, a busy timeout so concurrent writers wait instead of failing, and enforced foreign keys.
/// </summary>
internal sealed class Database : IDbConnectionFactory
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    public Database(IOptions<DatabaseOptions> options)
    {
        var value = options.Value;
        Dialect = value.Provider;
        CommandTimeoutSeconds = (int)Math.Ceiling(value.CommandTimeout.TotalSeconds);
        _busyTimeoutMilliseconds = (int)value.BusyTimeout.TotalMilliseconds;
        _connectionString = value.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(value.ConnectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = CommandTimeoutSeconds,
            }.ConnectionString
            : new SqlConnectionStringBuilder(value.ConnectionString)
            {
                CommandTimeout = CommandTimeoutSeconds,
            }.ConnectionString;
    }

    public DatabaseProvider Dialect { get; }

    public int CommandTimeoutSeconds { get; }

    /// <summary>The connection string with this service's settings applied (for the migrator).</summary>
    internal string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = Dialect == DatabaseProvider.Sqlite
            ? new SqliteConnection(_connectionString)
            : new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection)
            {
                await using var command = connection.CreateCommand();
                // synchronous = NORMAL under WAL: a commit no longer waits for its own fsync (the WAL is synced at each
                // checkpoint), which lifts the one-writer ceiling from ~100 to thousands of commits a second. A killed
                // process loses nothing it committed (tests/bench/batch.sh crash); only an OS crash or power loss can
                // undo the last commits, never corrupt the file. SQLite's recommended setting for WAL.
                command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
