using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CoverageCheck.Service.Data;
using Dapper;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// Staff sessions on the server (the <c>staff_sessions</c> table): the session cookie carries a random id, the
/// database only its SHA-256. A session counts while its row is open and, for a local account, the account is
/// enabled; signing out or disabling the account closes it, so a copy of the cookie taken before stops working.
/// Writes go through <see cref="Sql.BeginWriteAsync"/>, queueing behind the worker's writes instead of racing them.
/// </summary>
internal sealed class StaffSessionStore(IDbConnectionFactory database, TimeProvider timeProvider)
{
    public const string PasswordMethod = "pwd";
    public const string SingleSignOnMethod = "oidc";

    /// <summary>Opens a session; returns the id the cookie carries (never stored as such).</summary>
    public async Task<string> StartAsync(long? userId, string userName, string method, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        const string sql = """
            INSERT INTO staff_sessions (id_hash, user_id, user_name, method, created_at, expires_at)
            VALUES (@idHash, @userId, @userName, @method, @createdAt, @expiresAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                idHash = Sql.Ansi(Hash(id), 64),
                userId,
                userName = Sql.Truncate(userName, 128),
                method = Sql.Ansi(method, 8),
                createdAt = timeProvider.GetUtcNow(),
                expiresAt,
            },
            write.Transaction,
            cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>True while the session is open and its local account (if any) enabled: checked on every staff request.</summary>
    public async Task<bool> IsActiveAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT COUNT(*)
            FROM staff_sessions s
            LEFT JOIN users u ON u.id = s.user_id
            WHERE s.id_hash = @idHash AND s.ended_at IS NULL AND (s.user_id IS NULL OR u.disabled = 0)
            """;
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            sql, new { idHash = Sql.Ansi(Hash(sessionId), 64) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Closes one session (sign-out, or its lifetime ran out); nothing when it is already closed.</summary>
    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        const string sql = """
            UPDATE staff_sessions SET ended_at = @endedAt, ended_reason = @reason
            WHERE id_hash = @idHash AND ended_at IS NULL
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { idHash = Sql.Ansi(Hash(sessionId), 64), endedAt = timeProvider.GetUtcNow(), reason = Sql.Ansi(reason, 32) },
            write.Transaction,
            cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Closes every open session of a local account, in the caller's transaction.</summary>
    internal static Task<int> EndAllForUserAsync(
        DbConnection connection, DbTransaction? transaction, long userId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE staff_sessions SET ended_at = @endedAt, ended_reason = @reason
            WHERE user_id = @userId AND ended_at IS NULL
            """;
        return connection.ExecuteAsync(new CommandDefinition(
            sql, new { userId, endedAt = now, reason = Sql.Ansi(reason, 32) }, transaction, cancellationToken: cancellationToken));
    }

    private static string Hash(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));
}
