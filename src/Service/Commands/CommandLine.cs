using System.CommandLine;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Commands;

/// <summary>What a command can use: the service's configuration (appsettings, environment), the data folder, output.</summary>
public sealed record CommandContext(IConfiguration Configuration, DataDirectory DataDirectory, TextWriter Output, TextWriter Error)
{
    /// <summary>
    /// The configured database, migrated first if needed (the same rules as <c>DatabaseExtensions.AddDatabase</c>: the
    /// configured provider and connection string, else the SQLite file in the data folder); null, with the reason
    /// written to <see cref="Error"/>, when it cannot be reached.
    /// </summary>
    internal async Task<Database?> OpenMigratedDatabaseAsync(CancellationToken cancellationToken)
    {
        DapperTypeHandlers.Register();
        var options = new DatabaseOptions();
        Configuration.GetSection(DatabaseOptions.SectionName).Bind(options);
        options.ConnectionString = Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.Provider == DatabaseProvider.Sqlite)
        {
            options.ConnectionString = $"Data Source={DataDirectory.EnsureExists().File(DatabaseExtensions.DefaultSqliteFileName)}";
        }

        var database = new Database(Options.Create(options));
        try
        {
            await new DatabaseMigrator(database, Options.Create(options), NullLogger<DatabaseMigrator>.Instance)
                .MigrateAsync(cancellationToken);
            return database;
        }
        catch (DatabaseUnavailableException ex)
        {
            Error.WriteLine(ex.Message);
            return null;
        }
    }
}

/// <summary>
/// Operator commands run through the service executable (<c>dotnet run --project src/Service -- keys add …</c>).
/// Program.cs calls <see cref="TryRunAsync"/> first; arguments that do not start with a command name go to the web host.
/// To add a command group, add its factory to <see cref="s_commands"/>.
/// </summary>
public static class CommandLine
{
    private static readonly IReadOnlyList<(string Name, Func<CommandContext, Command> Create)> s_commands =
    [
        (KeysCommand.Name, KeysCommand.Create),
        (BatchCommand.Name, BatchCommand.Create),
        (UsersCommand.Name, UsersCommand.Create),
        (PhiCommand.Name, PhiCommand.Create),
    ];

    /// <summary>True when <paramref name="args"/> named a command, which has then run (its exit code is in <see cref="Environment.ExitCode"/>).</summary>
    public static async Task<bool> TryRunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (!IsCommand(args))
        {
            return false;
        }

        Environment.ExitCode = await RunAsync(args, BuildConfiguration(), Console.Out, Console.Error, cancellationToken);
        return true;
    }

    public static bool IsCommand(IReadOnlyList<string> args) =>
        args.Count > 0 && s_commands.Any(command => string.Equals(command.Name, args[0], StringComparison.Ordinal));

    /// <summary>Runs a command with the given configuration and writers; returns its exit code.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CommandContext(configuration, DataDirectory.From(configuration), output, error);
        var root = new RootCommand("CoverageCheck operator commands. Without a command, the service starts.");
        foreach (var (_, create) in s_commands)
        {
            root.Add(create(context));
        }

        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The same sources the web host reads (appsettings.json, appsettings.{environment}.json, environment variables).</summary>
    private static IConfiguration BuildConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environments.Production;
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }
}
