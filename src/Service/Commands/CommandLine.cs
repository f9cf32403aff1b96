using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Commands;

/// <summary>What a command can use: the service's configuration (appsettings, environment), the data folder, output.</summary>
internal sealed record CommandContext(IConfiguration Configuration, DataDirectory DataDirectory, TextWriter Output, TextWriter Error)
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
/// Program.cs calls <see cref="TryRunAsync"/> first; only arguments in the web host's own forms (<c>--key value</c>,
/// <c>/key value</c>, <c>key=value</c>) or none at all start the service. A first argument that is a bare word
/// (a command name, <c>help</c> or a mistyped command), <c>--help</c>/<c>-h</c> or <c>--version</c> is handled here
/// and exits. To add a command group, add its factory to <see cref="s_commands"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>The exit code of an unknown command or bad arguments (as <c>BatchExitCodes.Usage</c>).</summary>
    public const int UsageExitCode = 2;

    private const string HelpWord = "help";

    private static readonly IReadOnlyList<(string Name, Func<CommandContext, Command> Create)> s_commands =
    [
        (KeysCommand.Name, KeysCommand.Create),
        (BatchCommand.Name, BatchCommand.Create),
        (UsersCommand.Name, UsersCommand.Create),
        (PhiCommand.Name, PhiCommand.Create),
        (ConsentsCommand.Name, ConsentsCommand.Create),
        (ContractsCommand.Name, ContractsCommand.Create),
    ];

    // System.CommandLine's help and version aliases; as a first argument they mean this program, not the web host.
    private static readonly string[] s_rootOptions = ["--help", "-h", "-?", "/h", "/?", "--version"];

    /// <summary>True when <paramref name="args"/> were for the command line, which has then run (its exit code is in <see cref="Environment.ExitCode"/>).</summary>
    public static async Task<bool> TryRunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (!IsCommand(args))
        {
            return false;
        }

        Environment.ExitCode = await RunAsync(args, BuildConfiguration(), Console.Out, Console.Error, cancellationToken);
        return true;
    }

    /// <summary>
    /// True when the arguments are for the command line rather than the web host: the first is a bare word (the
    /// host's configuration provider ignores those, so it can only be a command, <c>help</c> or a typo) or a help or
    /// version option.
    /// </summary>
    public static bool IsCommand(IReadOnlyList<string> args) =>
        args.Count > 0 && (IsBareWord(args[0]) || s_rootOptions.Contains(args[0], StringComparer.Ordinal));

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

        // `help keys add` is `keys add --help`.
        if (args.Count > 0 && string.Equals(args[0], HelpWord, StringComparison.Ordinal))
        {
            args = [.. args.Skip(1), "--help"];
        }

        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // A short error, all on standard error (System.CommandLine's "did you mean" too), not the whole help text.
            parseError.ShowHelp = false;
            await parseResult.InvokeAsync(new InvocationConfiguration { Output = error, Error = error }, cancellationToken);
            error.WriteLine($"Run '{CommandPath(parseResult)} --help' for usage.");
            return UsageExitCode;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static bool IsBareWord(string arg) =>
        arg.Length > 0 && arg[0] is not ('-' or '/') && !arg.Contains('=', StringComparison.Ordinal);

    /// <summary>The executable and the deepest command that was recognised, e.g. <c>CoverageCheck.Service keys add</c>.</summary>
    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Command is RootCommand ? RootCommand.ExecutableName : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The same sources the web host reads (appsettings.json, appsettings.{environment}.json, environment variables).</summary>
    private static IConfiguration BuildConfiguration()
    {
        var environment = LaunchEnvironment.Resolve()
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environments.Production;
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }
}
