using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Data;

internal enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// Where records live: <c>Database:Provider</c> and <c>ConnectionStrings:CoverageCheck</c>.
/// Without a connection string the service uses a SQLite file <c>coveragecheck.db</c> in the data directory.
/// </summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "CoverageCheck";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>From <c>ConnectionStrings:CoverageCheck</c>; filled with the SQLite default when empty and the provider is SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a command may run before it is abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SQLite: how long a writer waits for another writer's lock before giving up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SQL Server: how long the start-up TCP probe waits before declaring the server unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;

internal sealed class DatabaseOptionsCustomValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail("Database:Provider must be Sqlite or SqlServer.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} must be set when Database:Provider is {options.Provider}.");
        }

        try
        {
            _ = options.Provider == DatabaseProvider.Sqlite
                ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString).ConnectionString
                : new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(options.ConnectionString).ConnectionString;
        }
        catch (ArgumentException)
        {
            // The message of the provider's exception can echo the connection string (and its password): do not repeat it.
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not a valid {options.Provider} connection string.");
        }

        return ValidateOptionsResult.Success;
    }
}
