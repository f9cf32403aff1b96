using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Contracts;

/// <summary>Issue #17: <c>contracts import FILE.csv</c> and <c>contracts export</c> on a real SQLite file.</summary>
internal sealed class ContractsCommandTests
{
    private const string Header = "id,payer_id,network,allowed_per_day,out_of_network_allowed_per_day,out_of_network_percent_of_charge,plan_name_contains,group_numbers,insurance_types,effective_from,effective_to";

    private static async Task<(int Exit, string Output, string Error)> RunAsync(TestDatabase db, params string[] args)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Data:Directory"] = Path.GetDirectoryName(db.SqliteFile),
            ["Phi:Key"] = TestHostSettings.PhiKey,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string WriteFile(TempFolder folder, string text)
    {
        var path = folder.Combine("contracts.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public async Task Import_stores_every_contract_and_export_writes_them_back_the_same()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        using var folder = new TempFolder("contracts-csv");
        var file = WriteFile(folder, string.Join('\n',
            Header,
            "anthem-ppo,040,in,410.00,,,PPO,,,2026-01-01,2026-12-31",
            "anthem-epo,040,out,,,60,EPO,,PR;EP,2026-01-01,",
            "acme-inc,040,in,500,,,,\"G-1; G-2\",,2026-01-01,") + "\n");

        var imported = await RunAsync(db, "contracts", "import", file, "--by", "finance-lead");
        var exported = await RunAsync(db, "contracts", "export");

        Assert.That(imported.Exit, Is.Zero, imported.Error);
        Assert.That(imported.Output, Does.Contain("Imported 3 contract(s)").And.Contain("3 new"));
        var stored = await new ContractStore(db.Database, db.Clock).ListAsync(null, default);
        Assert.That(stored.Select(c => c.Id), Is.EqualTo(new[] { "acme-inc", "anthem-epo", "anthem-ppo" }));
        var epo = stored.Single(c => c.Id == "anthem-epo");
        Assert.Multiple(() =>
        {
            Assert.That(epo.Network, Is.EqualTo("out"));
            Assert.That(epo.OutOfNetworkAllowed, Is.EqualTo(new OutOfNetworkAllowed(null, 60m)));
            Assert.That(epo.Match.InsuranceTypes, Is.EqualTo(new[] { "PR", "EP" }));
            Assert.That(stored.Single(c => c.Id == "acme-inc").Match.GroupNumbers, Is.EqualTo(new[] { "G-1", "G-2" }));
            Assert.That(stored.Single(c => c.Id == "anthem-ppo").EffectiveTo, Is.EqualTo(new DateOnly(2026, 12, 31)));
        });

        Assert.That(exported.Exit, Is.Zero, exported.Error);
        var lines = exported.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Is.EqualTo(Header));
        Assert.That(lines, Does.Contain("anthem-epo,040,out,,,60,EPO,,PR;EP,2026-01-01,"));

        // The export is an import file: read back, it is the same contracts.
        var (again, errors) = ContractCsv.Read(new StringReader(exported.Output));
        Assert.That(errors, Is.Empty);
        Assert.That(again.Select(c => Json(c.Contract)), Is.EqualTo(stored.Select(Json)));

        var audit = await db.Audit.ListForRecordAsync(AuditRecordTypes.Contract, "anthem-epo", default);
        Assert.That(audit.Select(a => (a.Action, a.Actor, a.ActorKind)), Is.EqualTo(new[] { ("create", "finance-lead", ActorKinds.Operator) }));
    }

    private static string Json(Contract contract) =>
        System.Text.Json.JsonSerializer.Serialize(contract with { UpdatedAt = null, UpdatedBy = null }, ContractsJsonContext.Default.Contract);

    [Test]
    public async Task Every_bad_line_is_reported_by_number_and_column_and_nothing_is_imported()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        using var folder = new TempFolder("contracts-csv");
        var file = WriteFile(folder, string.Join("\r\n",
            Header,
            "good-1,040,in,410,,,PPO,,,2026-01-01,",
            "bad-network,040,sideways,410,,,PPO,,,2026-01-01,",
            "good-2,040,out,,300,,EPO,,,2026-01-01,",
            "bad-date,040,in,lots,,,PPO,,,01/02/2026,",
            "good-1,040,in,420,,,PPO,,,2026-01-01,",
            "both-oon,040,out,,300,50,EPO,,,2026-01-01,2025-12-31"));

        var (exit, _, error) = await RunAsync(db, "contracts", "import", file);

        Assert.That(exit, Is.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(error, Does.Contain("line 3: network:"));
            Assert.That(error, Does.Contain("line 5: allowed_per_day: Not a number"));
            Assert.That(error, Does.Contain("line 5: effective_from: Not a date"));
            Assert.That(error, Does.Contain("line 6: id: The same id as line 2"));
            Assert.That(error, Does.Contain("line 7: out_of_network_allowed_per_day/out_of_network_percent_of_charge: Give exactly one"));
            Assert.That(error, Does.Contain("line 7: effective_to:"));
            Assert.That(error, Does.Not.Match("(?m)^line [24]:"), "the good lines");
            Assert.That(error, Does.Contain("4 bad line(s)").And.Contain("nothing was imported"));
            Assert.That(error, Does.Not.Contain("sideways").And.Not.Contain("lots"), "values are not echoed");
        });
        Assert.That(await new ContractStore(db.Database, db.Clock).ListAsync(null, default), Is.Empty);
    }

    [Test]
    public async Task A_header_with_an_unknown_or_missing_column_is_refused_before_any_line()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        using var folder = new TempFolder("contracts-csv");
        var file = WriteFile(folder, "id,payer,network\nx,040,in\n");

        var (exit, _, error) = await RunAsync(db, "contracts", "import", file);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("line 1: header: Unknown column 2").And.Contain("The column payer_id is required").And.Contain("The column effective_from is required"));
    }

    [Test]
    public async Task Export_to_a_file_writes_the_header_even_with_no_contracts()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        using var folder = new TempFolder("contracts-csv");
        var path = folder.Combine("out.csv");

        var (exit, _, error) = await RunAsync(db, "contracts", "export", "--output", path);

        Assert.That(exit, Is.Zero, error);
        Assert.That(File.ReadAllText(path).Trim(), Is.EqualTo(Header));
    }
}
