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
    /// writers queue on the busy timeout instead of deadlocking on a read-to-write upgrade.
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
