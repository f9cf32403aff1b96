using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace CoverageCheck.Service.Data;

/// <summary>Small helpers shared by the query classes.</summary>
internal static class Sql
{
    /// <summary>A <c>varchar</c> parameter (SQL Server compares it against varchar columns without conversion).</summary>
    public static DbString Ansi(string? value, int length) => new()
    {
        Value = value is null || value.Length <= length ? value : value[..length],
        IsAnsi = true,
        IsFixedLength = false,
        Length = length,
    };

    public static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];

    /// <summary>
    /// Starts a write transaction. SQLite: BEGIN IMMEDIATE, which takes the database's write lock up front so two
    /// writers cannot deadlock on a read-to-write upgrade. SQLite has one write lock per file, and a connection that
    /// finds it taken sleeps in SQLite's busy handler (1, 2, 5 … 100 ms) on a pool thread, so under load the lock sits
    /// free while waiters sleep. This process's writers therefore queue first on an async gate per database file and
    /// take the lock one at a time, without blocking a thread; the busy timeout still covers other processes.
    /// </summary>
    public static async Task<WriteTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return new WriteTransaction(await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken), gate: null);
        }

        var gate = SqliteWriteGates.GetOrAdd(sqlite.DataSource, static _ => new SemaphoreSlim(1, 1));
        // As long as SQLite itself would wait for the lock (the command timeout): a writer that never lets go fails
        // the others with a clear error instead of hanging them.
        var wait = TimeSpan.FromSeconds(Math.Max(1, sqlite.DefaultTimeout));
        if (!await gate.WaitAsync(wait, cancellationToken))
        {
            throw new TimeoutException($"The database stayed busy for {wait.TotalSeconds:0} s; the write was not started.");
        }

        try
        {
            return new WriteTransaction(sqlite.BeginTransaction(deferred: false), gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriteGates = new(StringComparer.Ordinal);

    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}

/// <summary>
/// A write transaction and, on SQLite, this process's turn at the database's write lock: disposing it ends the
/// transaction (rolling back what was not committed) and then lets the next writer in.
/// </summary>
internal sealed class WriteTransaction(DbTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private SemaphoreSlim? _gate = gate;

    public DbTransaction Transaction { get; } = transaction;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
        }
        finally
        {
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}
