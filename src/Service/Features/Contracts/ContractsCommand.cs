using System.CommandLine;
using System.Text;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>
/// <c>contracts import FILE.csv</c> and <c>contracts export [--output FILE.csv]</c>: finance keeps the contract table in a
/// spreadsheet. An import checks every line first and reports every bad one (line, column, why); only a file with no bad
/// line is stored, all of it in one transaction (contracts with the same id are replaced), so a half-imported table never
/// prices an estimate. Contracts not in the file are left as they are.
/// </summary>
internal static class ContractsCommand
{
    public const string Name = "contracts";

    public static Command Create(CommandContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV: a header (" + string.Join(",", ContractCsv.Columns) + "), then one contract a line." };
        var by = new Option<string?>("--by") { Description = "Who imports it (default: operator:<your login>)." };
        var import = new Command("import", "Create or replace the contracts of a CSV file; nothing is stored if any line is bad.") { file, by };
        import.SetAction((parse, cancellationToken) => ImportAsync(context, parse.GetValue(file)!, parse.GetValue(by), TimeProvider.System, cancellationToken));

        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output." };
        var export = new Command("export", "Write every contract as CSV (the format import reads).") { output };
        export.SetAction((parse, cancellationToken) => ExportAsync(context, parse.GetValue(output), TimeProvider.System, cancellationToken));

        return new Command(Name, "Payer contracts per plan: network status and allowed amount per IOP day.") { import, export };
    }

    internal static async Task<int> ImportAsync(CommandContext context, FileInfo file, string? by, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            context.Error.WriteLine($"No file {file.FullName}.");
            return CommandLine.UsageExitCode;
        }

        IReadOnlyList<(int Line, Contract Contract)> contracts;
        IReadOnlyList<ContractCsvError> errors;
        using (var text = new StreamReader(file.FullName, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
        {
            (contracts, errors) = ContractCsv.Read(text);
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                context.Error.WriteLine(error.ToString());
            }

            context.Error.WriteLine($"{errors.Select(e => e.Line).Distinct().Count()} bad line(s) in {file.Name}: nothing was imported. Correct them and import the file again.");
            return 1;
        }

        if (await context.OpenMigratedDatabaseAsync(cancellationToken) is not { } database)
        {
            return 1;
        }

        var access = new AccessContext(string.IsNullOrWhiteSpace(by) ? $"operator:{Environment.UserName}" : by.Trim(), Roles.Admin, "import payer contracts (command line)")
        {
            ActorKind = ActorKinds.Operator,
        };
        var created = await new ContractStore(database, timeProvider).PutAllAsync([.. contracts.Select(c => c.Contract)], access, cancellationToken);
        context.Output.WriteLine($"Imported {contracts.Count} contract(s) from {file.Name}: {created} new, {contracts.Count - created} replaced.");
        return 0;
    }

    internal static async Task<int> ExportAsync(CommandContext context, FileInfo? output, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await context.OpenMigratedDatabaseAsync(cancellationToken) is not { } database)
        {
            return 1;
        }

        var contracts = await new ContractStore(database, timeProvider).ListAsync(payerId: null, cancellationToken);
        if (output is null)
        {
            ContractCsv.Write(context.Output, contracts);
            return 0;
        }

        await using (var text = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false)))
        {
            ContractCsv.Write(text, contracts);
        }

        context.Error.WriteLine($"Exported {contracts.Count} contract(s) to {output.FullName}.");
        return 0;
    }
}
