using System.Data.Common;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace CoverageCheck.Service.Features.Users;

/// <summary>A local staff account as the sign-in page sees it; never carries the password hash out of the store.</summary>
internal sealed record StaffUser(long Id, string UserName, IReadOnlyList<string> Roles);

/// <summary>Why <see cref="UserStore.CreateAsync"/> refused an account.</summary>
internal enum CreateUserOutcome
{
    Created,
    NameTaken,
}

/// <summary>What a sign-in attempt found: the user when name and password are right and the account enabled; the
/// account's id whenever the name is that of an account (for the audit trail, never shown to the caller).</summary>
internal sealed record SignInAttempt(StaffUser? User, long? AccountId);

/// <summary>
/// Local staff accounts (the <c>users</c> table) for the embedded default; production can use OpenID Connect instead.
/// Passwords are hashed in ASP.NET Core Identity's format at OWASP's current PBKDF2 parameters
/// (<see cref="StaffPasswordHasher"/>: PBKDF2-HMAC-SHA256, 600,000 iterations, salted, versioned), so hashes can move
/// to Identity later and older ones are upgraded on the next successful sign-in.
/// </summary>
internal sealed class UserStore(IDbConnectionFactory database, TimeProvider timeProvider)
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;
    private const int MaxUserNameLength = 128;

    // A real hash of a random password: verifying against it when the user does not exist makes an unknown name take
    // as long as a wrong password, so response times do not reveal which names exist.
    private static readonly Lazy<string> s_dummyHash = new(() => StaffPasswordHasher.Hash(Guid.NewGuid().ToString("N")));

    /// <summary>Why a user name or password cannot be used, in one sentence; null when they can.</summary>
    public static string? Validate(string userName, string password, IReadOnlyCollection<string> roles)
    {
        if (!IsValidUserName(userName))
        {
            return $"The user name '{userName}' is not valid: use 1-{MaxUserNameLength} letters, digits, '.', '_', '-' or '@'.";
        }

        if (password.Length < MinPasswordLength)
        {
            return $"The password must be at least {MinPasswordLength} characters long.";
        }

        if (password.Length > MaxPasswordLength)
        {
            return $"The password must be at most {MaxPasswordLength} characters long.";
        }

        if (CommonPasswords.Contains(password))
        {
            return "The password is one of the most common passwords (a list of 10,000 attackers try first); choose another.";
        }

        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not contain the user name.";
        }

        if (roles.Count == 0)
        {
            return $"Give the user at least one role ({string.Join(", ", Security.Roles.All)}).";
        }

        return roles.FirstOrDefault(role => !Security.Roles.All.Contains(role)) is { } unknown
            ? $"Unknown role '{unknown}' (known: {string.Join(", ", Security.Roles.All)})."
            : null;
    }

    public static bool IsValidUserName(string userName) =>
        userName.Length is > 0 and <= MaxUserNameLength
        && userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    /// <summary>Creates an account; the password is hashed here and never stored or logged.</summary>
    /// <exception cref="ArgumentException">The name, password or roles are not valid (see <see cref="Validate"/>).</exception>
    public async Task<CreateUserOutcome> CreateAsync(string userName, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        if (Validate(userName, password, roles) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        var distinctRoles = roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var hash = StaffPasswordHasher.Hash(password);
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            INSERT INTO users (username, password_hash, roles, created_at, disabled)
            VALUES (@userName, @hash, @roles, @createdAt, 0)
            """;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                sql,
                new
                {
                    userName,
                    hash = Sql.Ansi(hash, 512),
                    roles = Sql.Ansi(string.Join(',', distinctRoles), 256),
                    createdAt = timeProvider.GetUtcNow(),
                },
                cancellationToken: cancellationToken));
            return CreateUserOutcome.Created;
        }
        catch (DbException ex) when (Sql.IsUniqueViolation(ex))
        {
            return CreateUserOutcome.NameTaken;
        }
    }

    /// <summary>
    /// The enabled user with this name and password, or no user (unknown name, wrong password, disabled account: the
    /// caller cannot tell which). A hash made with older parameters is replaced with a current one.
    /// </summary>
    public async Task<SignInAttempt> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        if (!IsValidUserName(userName) || password.Length is 0 or > MaxPasswordLength)
        {
            StaffPasswordHasher.Verify(s_dummyHash.Value, password.Length > MaxPasswordLength ? "" : password);
            return new SignInAttempt(null, null);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = """
            SELECT id, username, password_hash, roles, disabled
            FROM users
            WHERE username = @userName
            """;
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { userName }, cancellationToken: cancellationToken));
        if (row is null)
        {
            StaffPasswordHasher.Verify(s_dummyHash.Value, password);
            return new SignInAttempt(null, null);
        }

        var user = new StaffUser(row.Id, row.UserName, row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var verdict = StaffPasswordHasher.Verify(row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed || row.Disabled)
        {
            return new SignInAttempt(null, row.Id);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            const string rehash = "UPDATE users SET password_hash = @hash WHERE id = @id";
            await connection.ExecuteAsync(new CommandDefinition(
                rehash, new { hash = Sql.Ansi(StaffPasswordHasher.Hash(password), 512), id = row.Id }, cancellationToken: cancellationToken));
        }

        return new SignInAttempt(user, row.Id);
    }

    /// <summary>
    /// Disables the account and ends every session it has, in one transaction, with an audit entry; false when there
    /// is no account of that name. Its open cookies stop working at their next request.
    /// </summary>
    public async Task<bool> DisableAsync(string userName, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await Sql.BeginWriteAsync(connection, cancellationToken);
        const string find = "SELECT id FROM users WHERE username = @userName";
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            find, new { userName }, transaction.Transaction, cancellationToken: cancellationToken));
        if (id is null)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        const string disable = "UPDATE users SET disabled = 1 WHERE id = @id";
        await connection.ExecuteAsync(new CommandDefinition(disable, new { id }, transaction.Transaction, cancellationToken: cancellationToken));
        await StaffSessionStore.EndAllForUserAsync(connection, transaction.Transaction, id.Value, "account-disabled", now, cancellationToken);
        await AuditStore.AppendAsync(
            connection, transaction.Transaction, access, AuditActions.Disable, AuditRecordTypes.StaffAccount, $"user:{id}", now, cancellationToken);
        await transaction.Transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>True while the account exists and is enabled (checked when a session is renewed).</summary>
    public async Task<bool> IsEnabledAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string sql = "SELECT COUNT(*) FROM users WHERE id = @id AND disabled = 0";
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)) == 1;
    }

    // Settable properties rather than a positional record: SQLite hands back INTEGER (long), SQL Server int and bit.
    private sealed class UserRow
    {
        public long Id { get; set; }
        public string UserName { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public string Roles { get; set; } = "";
        public bool Disabled { get; set; }
    }
}
