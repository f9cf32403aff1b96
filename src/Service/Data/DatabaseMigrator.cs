using System.Net.Sockets;
using System.Reflection;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Data;

/// <summary>A start-up failure the operator can act on, stated in one sentence.</summary>
internal sealed class DatabaseUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>Applies the numbered scripts under <c>Data/Migrations/{Sqlite|SqlServer}</c> with DbUp.</summary>
internal sealed class DatabaseMigrator(Database database, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
{
    private static readonly Assembly s_scriptAssembly = typeof(DatabaseMigrator).Assembly;

    /// <summary>Embedded resource names of the migration scripts for a dialect, in the order they apply.</summary>
    public static IReadOnlyList<string> ScriptNames(DatabaseProvider dialect)
    {
        var marker = MarkerFor(dialect);
        return [.. s_scriptAssembly.GetManifestResourceNames()
            .Where(name => name.Contains(marker, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The text of one embedded migration script.</summary>
    public static string ReadScript(string resourceName)
    {
        using var stream = s_scriptAssembly.GetManifestResourceStream(resourceName)
            ?? throw new ArgumentException($"No embedded script named {resourceName}.", nameof(resourceName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Brings the schema up to date; returns the scripts that ran.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached or a script failed.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        if (database.Dialect == DatabaseProvider.Sqlite)
        {
            await PrepareSqliteAsync(cancellationToken);
        }
        else
        {
            await ProbeSqlServerAsync(database.ConnectionString, options.Value.ProbeTimeout, cancellationToken);
        }

        var marker = MarkerFor(database.Dialect);
        UpgradeEngineBuilder builder = database.Dialect == DatabaseProvider.Sqlite
            ? DeployChanges.To.SqliteDatabase(database.ConnectionString)
            : DeployChanges.To.SqlDatabase(database.ConnectionString);
        var engine = builder
            .WithScriptsEmbeddedInAssembly(s_scriptAssembly, name => name.Contains(marker, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .WithExecutionTimeout(options.Value.CommandTimeout)
            .LogTo(logger)
            .Build();

        // DbUp is synchronous; keep it off the caller's thread.
        var result = await Task.Run(engine.PerformUpgrade, cancellationToken);
        if (!result.Successful)
        {
            throw new DatabaseUnavailableException(
                $"The database migration {result.ErrorScript?.Name ?? "(unknown script)"} failed: {result.Error?.Message}",
                result.Error);
        }

        return [.. result.Scripts.Select(script => script.Name)];
    }

    private static string MarkerFor(DatabaseProvider dialect) => $".Data.Migrations.{dialect}.";

    private async Task PrepareSqliteAsync(CancellationToken cancellationToken)
    {
        var dataSource = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:")
        {
            var file = Path.GetFullPath(dataSource);
            var folder = Path.GetDirectoryName(file);
            if (folder is not null && !Directory.Exists(folder))
            {
                OwnerOnlyFiles.EnsureFolder(folder);
            }

            // SQLite would create the file 0644 (umask) and gives its -wal and -shm files the database file's mode:
            // create it 0600 first, and narrow files an older version left readable by others.
            try
            {
                OwnerOnlyFiles.EnsureFile(file);
                OwnerOnlyFiles.NarrowIfExists(file + "-wal");
                OwnerOnlyFiles.NarrowIfExists(file + "-shm");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DatabaseUnavailableException($"Cannot create the SQLite database {dataSource}: {ex.Message}", ex);
            }
        }

        try
        {
            // WAL lets the API read while the worker writes; the setting is stored in the database file.
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new DatabaseUnavailableException(
                $"Cannot open the SQLite database {dataSource}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// SqlClient waits its whole connect timeout on a port where nothing listens; a TCP connect fails in
    /// milliseconds with "connection refused", so probe first and say plainly what is wrong.
    /// </summary>
    internal static async Task ProbeSqlServerAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!TryGetTcpEndpoint(new SqlConnectionStringBuilder(connectionString).DataSource, out var host, out var port))
        {
            return; // Named instance, shared memory or named pipes: let SqlClient resolve it.
        }

        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
        }
        catch (SocketException ex)
        {
            throw new DatabaseUnavailableException(
                $"Cannot reach the SQL Server database at {host}:{port} ({Describe(ex.SocketErrorCode)}); check ConnectionStrings:CoverageCheck and that the server is running.",
                ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(
                $"Cannot reach the SQL Server database at {host}:{port} (no answer within {timeout.TotalSeconds:0.#} s); check ConnectionStrings:CoverageCheck, the network and firewalls.",
                ex);
        }
    }

    internal static bool TryGetTcpEndpoint(string dataSource, out string host, out int port)
    {
        host = "";
        port = 1433;
        var value = dataSource.Trim();
        if (value.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[4..];
        }
        else if (value.Contains(':', StringComparison.Ordinal) || value.StartsWith('('))
        {
            return false; // np:, lpc:, admin:, (localdb)
        }

        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            if (!int.TryParse(value[(comma + 1)..].Trim(), out port) || port is <= 0 or > 65535)
            {
                return false;
            }

            value = value[..comma];
        }
        else if (value.Contains('\\', StringComparison.Ordinal))
        {
            return false; // A named instance's port comes from SQL Browser.
        }

        host = value.Trim() is "." or "(local)" ? "localhost" : value.Trim();
        return host.Length > 0;
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
        _ => error.ToString(),
    };
}

/// <summary>Whether the schema is in place; the readiness check and the workers wait on it.</summary>
internal sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    public string? Failure { get; private set; }

    /// <summary>Completes once migrations have been applied; faults if they could not be.</summary>
    public Task WhenMigrated => _migrated.Task;

    internal void MarkMigrated() => _migrated.TrySetResult();

    internal void MarkFailed(string reason)
    {
        Failure = reason;
        _migrated.TrySetException(new DatabaseUnavailableException(reason));
    }
}

/// <summary>Applies migrations before the service takes traffic; stops the service with one sentence if it cannot.</summary>
internal sealed class DatabaseMigrationService(
    DatabaseMigrator migrator,
    DatabaseReadiness readiness,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string reason;
        try
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            readiness.MarkMigrated();
            logger.LogInformation("Database schema is up to date ({Applied} migration(s) applied now).", applied.Count);
            return;
        }
        catch (DatabaseUnavailableException ex)
        {
            reason = ex.Message;
        }
        catch (SqlException ex)
        {
            reason = $"Cannot connect to the SQL Server database: {ex.Message}";
        }

        // One sentence for the operator and no stack trace: the cause is configuration or infrastructure. Stopping
        // while the host is still starting would surface as a start-up crash, so stop once start-up has finished.
        readiness.MarkFailed(reason);
        logger.LogCritical("{Reason} The service is stopping.", reason);
        Environment.ExitCode = 1;
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
