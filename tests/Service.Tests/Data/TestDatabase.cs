using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>A migrated database of one dialect with the store on top, on a fake clock.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "COVERAGECHECK_SQLSERVER";

    private readonly Func<Task> _cleanup;

    private TestDatabase(Database database, Func<Task> cleanup)
    {
        _cleanup = cleanup;
        Database = database;
        Clock = new FakeTimeProvider(TestClock.Start);
        Phi = CreateProtector(TestHostSettings.PhiKey);
        Store = new VerificationStore(database, Phi, Clock, NullLogger<VerificationStore>.Instance);
        Writes = new GroupCommit(database, NullLogger<GroupCommit>.Instance);
        Queue = new VerificationQueue(database, Writes, Store, Phi, Clock, NullLogger<VerificationQueue>.Instance);
        Audit = new AuditStore(database, Clock);
    }

    public Database Database { get; }
    public FakeTimeProvider Clock { get; }
    public PhiProtector Phi { get; }
    public VerificationStore Store { get; }
    public VerificationQueue Queue { get; }
    public GroupCommit Writes { get; }
    public AuditStore Audit { get; }

    /// <summary>The SQLite file, for tests that inspect its bytes; null for SQL Server.</summary>
    public string? SqliteFile { get; private init; }

    public static PhiProtector CreateProtector(string key, int keyId = 1, params PhiPreviousKey[] previous)
    {
        var options = new PhiOptions { Key = key, KeyId = keyId };
        foreach (var entry in previous)
        {
            options.PreviousKeys.Add(entry);
        }

        return new PhiProtector(Options.Create(options));
    }

    public static async Task<TestDatabase> CreateSqliteAsync()
    {
        var folder = new TempFolder("sqlite");
        try
        {
            var file = folder.Combine(DatabaseExtensions.DefaultSqliteFileName);
            var database = await MigrateAsync(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" });
            return new TestDatabase(database, () =>
            {
                database.Dispose();
                SqliteConnection.ClearPool(new SqliteConnection(database.ConnectionString));
                folder.Dispose();
                return Task.CompletedTask;
            })
            { SqliteFile = file };
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>A fresh database on the server named by COVERAGECHECK_SQLSERVER, dropped afterwards; null without it.</summary>
    public static async Task<TestDatabase?> CreateSqlServerAsync()
    {
        var server = Environment.GetEnvironmentVariable(SqlServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        var name = "coveragecheck_test_" + Guid.NewGuid().ToString("N")[..12];
        var master = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString;
        await ExecuteAsync(master, $"CREATE DATABASE [{name}]");
        var connectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        var database = await MigrateAsync(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString });
        return new TestDatabase(database, async () =>
        {
            SqlConnection.ClearAllPools();
            await ExecuteAsync(master, $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
        });
    }

    public static async Task<Database> MigrateAsync(DatabaseOptions options)
    {
        Service.Data.DapperTypeHandlers.Register();
        var database = new Database(Options.Create(options));
        var migrator = new DatabaseMigrator(database, Options.Create(options), NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        return database;
    }

    public DatabaseMigrator CreateMigrator() =>
        new(Database, Options.Create(new DatabaseOptions { Provider = Database.Dialect, ConnectionString = Database.ConnectionString }), NullLogger<DatabaseMigrator>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Writes.DisposeAsync();
        await _cleanup();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
