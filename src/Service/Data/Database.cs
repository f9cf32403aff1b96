using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Data;

/// <summary>Opens connections to the configured database; the <see cref="Dialect"/> tells queries which SQL to send.</summary>
internal interface IDbConnectionFactory
{
    DatabaseProvider Dialect { get; }

    /// <summary>
    /// A connection for work that can be redone if a power loss undoes its last commits (a payer answer the worker can
    /// ask again, a lease, a read). SQLite: <c>synchronous = NORMAL</c>.
    /// </summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A connection for accepting work the caller is told is safe (a verification answered 201/202, a census, a consent,
    /// a completion): its commits survive a power loss or an OS crash. SQLite: <c>synchronous = FULL</c> (the WAL is
    /// synced at every commit); SQL Server commits durably anyway. (The default is for stand-ins in tests, which have
    /// no disk to sync; <see cref="Database"/> implements it.)
    /// </summary>
    Task<DbConnection> OpenDurableAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);
}

/// <summary>The database file was deleted or replaced while the service had it open: nothing more is read or written.</summary>
internal sealed class DatabaseFileChangedException(string message) : InvalidOperationException(message);

/// <summary>
/// The one place connections are made. SQLite connections get WAL journaling (set once by the migrator), a busy
/// timeout so concurrent writers wait instead of failing, enforced foreign keys, and synchronous = NORMAL or FULL
/// (<see cref="OpenAsync"/> or <see cref="OpenDurableAsync"/>). A SQLite file is watched: the first open keeps a
/// connection of its own on the file, and every later open first asks SQLite whether the path still names that file
/// (<see cref="HasFileChanged"/>); once it does not, every open fails with <see cref="DatabaseFileChangedException"/>.
/// </summary>
internal sealed class Database : IDbConnectionFactory, IDisposable
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly bool _watchFile;
    private readonly Lock _watchLock = new();
    private SqliteConnection? _watcher;
    private volatile bool _fileChanged;

    public Database(IOptions<DatabaseOptions> options)
    {
        var value = options.Value;
        Dialect = value.Provider;
        CommandTimeoutSeconds = (int)Math.Ceiling(value.CommandTimeout.TotalSeconds);
        _busyTimeoutMilliseconds = (int)value.BusyTimeout.TotalMilliseconds;
        if (value.Provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new SqliteConnectionStringBuilder(value.ConnectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = CommandTimeoutSeconds,
            };
            _connectionString = sqlite.ConnectionString;
            _watchFile = sqlite.Mode != SqliteOpenMode.Memory && sqlite.DataSource is { Length: > 0 } source && source != ":memory:";
        }
        else
        {
            _connectionString = new SqlConnectionStringBuilder(value.ConnectionString)
            {
                CommandTimeout = CommandTimeoutSeconds,
            }.ConnectionString;
        }
    }

    public DatabaseProvider Dialect { get; }

    public int CommandTimeoutSeconds { get; }

    /// <summary>The connection string with this service's settings applied (for the migrator).</summary>
    internal string ConnectionString => _connectionString;

    /// <summary>
    /// SQLite: true once the database file first opened has been deleted, or another file put at its path (a restore
    /// over a running service, a clean-up script). Writes would go to the unlinked file and be lost at restart, and a
    /// new connection would open the other file, so the service refuses both until it is restarted. Always false for
    /// SQL Server and in-memory databases.
    /// </summary>
    public bool HasFileChanged()
    {
        if (_fileChanged)
        {
            return true;
        }

        lock (_watchLock)
        {
            if (_watcher is null || !SqliteFileControl.HasMoved(_watcher))
            {
                return false;
            }

            _fileChanged = true;
            _watcher.Dispose();
            _watcher = null;
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return true;
    }

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => OpenCoreAsync(durable: false, cancellationToken);

    public Task<DbConnection> OpenDurableAsync(CancellationToken cancellationToken) => OpenCoreAsync(durable: true, cancellationToken);

    private async Task<DbConnection> OpenCoreAsync(bool durable, CancellationToken cancellationToken)
    {
        if (Dialect == DatabaseProvider.Sqlite && HasFileChanged())
        {
            throw new DatabaseFileChangedException(
                "The SQLite database file was deleted or replaced while the service had it open; restore it and restart the service.");
        }

        DbConnection connection = Dialect == DatabaseProvider.Sqlite
            ? new SqliteConnection(_connectionString)
            : new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
            {
                await ApplySettingsAsync(sqlite, durable, cancellationToken);
                if (_watchFile)
                {
                    Watch();
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// NORMAL under WAL: a commit does not wait for its own fsync (the WAL is synced at each checkpoint), which lifts
    /// the one-writer ceiling from ~100 to thousands of commits a second. A killed process loses nothing it committed
    /// (tests/bench/batch.sh crash); an OS crash or power loss can undo the last commits, never corrupt the file. FULL
    /// syncs the WAL at every commit: for work already promised to a caller. A pooled connection keeps what its last
    /// user set, so what each SQLite handle was last given is remembered, and only a change is sent (a census batch
    /// opens about seven connections per verification; most need nothing sent at all).
    /// </summary>
    private async Task ApplySettingsAsync(SqliteConnection connection, bool durable, CancellationToken cancellationToken)
    {
        var settings = connection.Handle is { } handle ? _handleSettings.GetOrCreateValue(handle) : new HandleSettings();
        var pragmas = (settings.BusyTimeoutSet ? "" : $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};")
            + (settings.Durable == durable ? "" : durable ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
        if (pragmas.Length == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        settings.BusyTimeoutSet = true;
        settings.Durable = durable;
    }

    /// <summary>What one native SQLite handle (kept by the pool across opens) was last set to; dropped with the handle.</summary>
    private sealed class HandleSettings
    {
        public bool BusyTimeoutSet { get; set; }

        public bool? Durable { get; set; }
    }

    private readonly ConditionalWeakTable<object, HandleSettings> _handleSettings = [];

    /// <summary>Keeps a connection of our own on the file first opened (not pooled), to compare the path against.</summary>
    private void Watch()
    {
        if (Volatile.Read(ref _watcher) is not null || _fileChanged)
        {
            return;
        }

        lock (_watchLock)
        {
            if (_watcher is not null || _fileChanged || !SqliteFileControl.IsAvailable)
            {
                return;
            }

            var watcher = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
            watcher.Open();
            _watcher = watcher;
        }
    }

    public void Dispose()
    {
        lock (_watchLock)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }
}
