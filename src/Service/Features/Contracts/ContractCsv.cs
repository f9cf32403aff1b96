using System.Globalization;
using CoverageCheck.Service.Infrastructure.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>One bad line of a contracts file: its line, the column at fault, and why (never the value).</summary>
internal sealed record ContractCsvError(int Line, string Column, string Message)
{
    public override string ToString() => $"line {Line}: {Column}: {Message}";
}

/// <summary>
/// The contracts file of <c>contracts import</c> / <c>contracts export</c>: CSV with a header naming the columns (any
/// order; <see cref="Columns"/>), one contract a line. Lists (group numbers, insurance types) are separated by
/// <c>;</c> inside their cell. Every line is checked by the API's rules (<see cref="ContractValidation"/>), and every
/// bad one is reported with its line number and column.
/// </summary>
internal static class ContractCsv
{
    public const string Id = "id";
    public const string PayerId = "payer_id";
    public const string Network = "network";
    public const string AllowedPerDay = "allowed_per_day";
    public const string OutOfNetworkPerDay = "out_of_network_allowed_per_day";
    public const string OutOfNetworkPercent = "out_of_network_percent_of_charge";
    public const string PlanNameContains = "plan_name_contains";
    public const string GroupNumbers = "group_numbers";
    public const string InsuranceTypes = "insurance_types";
    public const string EffectiveFrom = "effective_from";
    public const string EffectiveTo = "effective_to";

    public static IReadOnlyList<string> Columns { get; } =
        [Id, PayerId, Network, AllowedPerDay, OutOfNetworkPerDay, OutOfNetworkPercent, PlanNameContains, GroupNumbers, InsuranceTypes, EffectiveFrom, EffectiveTo];

    private static readonly string[] Required = [Id, PayerId, Network, EffectiveFrom];

    // The API's field paths, as the file's columns.
    private static readonly (string Field, string Column)[] FieldColumns =
    [
        ("outOfNetworkAllowed.percentOfCharge", OutOfNetworkPercent),
        ("outOfNetworkAllowed.perDay", OutOfNetworkPerDay),
        ("outOfNetworkAllowed", $"{OutOfNetworkPerDay}/{OutOfNetworkPercent}"),
        ("match.planNameContains", PlanNameContains),
        ("match.groupNumbers", GroupNumbers),
        ("match.insuranceTypes", InsuranceTypes),
        ("allowedPerDay", AllowedPerDay),
        ("effectiveFrom", EffectiveFrom),
        ("effectiveTo", EffectiveTo),
        ("payerId", PayerId),
        ("network", Network),
        ("id", Id),
    ];

    /// <summary>Reads the whole file: the good contracts with their lines, and every bad line.</summary>
    public static (IReadOnlyList<(int Line, Contract Contract)> Contracts, IReadOnlyList<ContractCsvError> Errors) Read(TextReader text)
    {
        var contracts = new List<(int, Contract)>();
        var errors = new List<ContractCsvError>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            BadDataFound = null,
        };
        using var parser = new CsvParser(text, configuration);
        Dictionary<string, int>? columns = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (parser.Read())
        {
            var line = parser.RawRow - CountLineBreaks(parser.RawRecord.AsSpan().TrimEnd("\r\n"));
            var fields = parser.Record ?? [];
            if (columns is null)
            {
                columns = Header(fields, line, errors);
                if (columns is null)
                {
                    return ([], errors);
                }

                continue;
            }

            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var lineErrors = new List<ContractCsvError>();
            string? Cell(string column) =>
                columns.TryGetValue(column, out var index) && index < fields.Length && fields[index].Length > 0 ? fields[index] : null;

            var request = new ContractRequest(
                Cell(Id),
                Cell(PayerId),
                new ContractMatch
                {
                    PlanNameContains = Cell(PlanNameContains),
                    GroupNumbers = List(Cell(GroupNumbers)),
                    InsuranceTypes = List(Cell(InsuranceTypes)),
                },
                Cell(Network),
                Money(Cell(AllowedPerDay), AllowedPerDay, line, lineErrors),
                Cell(OutOfNetworkPerDay) is null && Cell(OutOfNetworkPercent) is null
                    ? null
                    : new OutOfNetworkAllowed(Money(Cell(OutOfNetworkPerDay), OutOfNetworkPerDay, line, lineErrors), Money(Cell(OutOfNetworkPercent), OutOfNetworkPercent, line, lineErrors)),
                Date(Cell(EffectiveFrom), EffectiveFrom, line, lineErrors),
                Date(Cell(EffectiveTo), EffectiveTo, line, lineErrors));

            var rules = new FieldErrors();
            var id = request.Id ?? "";
            var contract = ContractValidation.Validate(id, request, rules);
            foreach (var (field, messages) in rules.ToDictionary())
            {
                var column = ColumnOf(field);
                if (lineErrors.Any(e => e.Column == column))
                {
                    continue; // a number or date that could not be read is not also "required"
                }

                lineErrors.AddRange(messages.Select(m => new ContractCsvError(line, column, m)));
            }

            if (contract is not null && lineErrors.Count == 0 && seen.TryGetValue(contract.Id, out var first))
            {
                lineErrors.Add(new ContractCsvError(line, Id, $"The same id as line {first}: keep one line per contract."));
            }

            if (lineErrors.Count > 0 || contract is null)
            {
                errors.AddRange(lineErrors);
                continue;
            }

            seen[contract.Id] = line;
            contracts.Add((line, contract));
        }

        if (columns is null)
        {
            errors.Add(new ContractCsvError(1, "header", $"The file is empty: it needs a header ({string.Join(",", Columns)}) and one line per contract."));
        }

        return (contracts, errors);
    }

    /// <summary>Writes every contract with the header, in the columns of <see cref="Columns"/>; <see cref="Read"/> reads it back unchanged.</summary>
    public static void Write(TextWriter text, IEnumerable<Contract> contracts)
    {
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var contract in contracts)
        {
            csv.WriteField(contract.Id);
            csv.WriteField(contract.PayerId);
            csv.WriteField(contract.Network);
            csv.WriteField(Format(contract.AllowedPerDay));
            csv.WriteField(Format(contract.OutOfNetworkAllowed?.PerDay));
            csv.WriteField(contract.OutOfNetworkAllowed?.PercentOfCharge?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(contract.Match.PlanNameContains ?? "");
            csv.WriteField(string.Join(';', contract.Match.GroupNumbers ?? []));
            csv.WriteField(string.Join(';', contract.Match.InsuranceTypes ?? []));
            csv.WriteField(contract.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(contract.EffectiveTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            csv.NextRecord();
        }

        csv.Flush();
    }

    private static Dictionary<string, int>? Header(string[] fields, int line, List<ContractCsvError> errors)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Trim().TrimStart('\uFEFF');
            if (!Columns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new ContractCsvError(line, "header", $"Unknown column {i + 1}: the columns are {string.Join(",", Columns)}."));
            }
            else if (!columns.TryAdd(name, i))
            {
                errors.Add(new ContractCsvError(line, "header", $"Column {name} appears twice."));
            }
        }

        foreach (var required in Required.Where(r => !columns.ContainsKey(r)))
        {
            errors.Add(new ContractCsvError(line, "header", $"The column {required} is required."));
        }

        return errors.Count == 0 ? columns : null;
    }

    private static string ColumnOf(string field)
    {
        foreach (var (prefix, column) in FieldColumns)
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal))
            {
                return column;
            }
        }

        return field;
    }

    private static string[]? List(string? cell) =>
        cell is null ? null : cell.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static decimal? Money(string? cell, string column, int line, List<ContractCsvError> errors)
    {
        if (cell is null)
        {
            return null;
        }

        if (decimal.TryParse(cell.TrimStart('$'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new ContractCsvError(line, column, "Not a number (such as 450.00)."));
        return null;
    }

    private static DateOnly? Date(string? cell, string column, int line, List<ContractCsvError> errors)
    {
        if (cell is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new ContractCsvError(line, column, "Not a date as YYYY-MM-DD."));
        return null;
    }

    private static string Format(decimal? amount) => amount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }
}
