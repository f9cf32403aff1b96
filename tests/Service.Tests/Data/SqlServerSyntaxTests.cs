using System.Text.RegularExpressions;
using CoverageCheck.Service.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>
/// SQL Server cannot run on this machine, so every T-SQL text the service sends is at least parsed by SQL Server's own
/// parser (TSql160, SQL Server 2022): the migration scripts and every query constant in src/Service that SQL
/// Server executes (all except those named sqlite…).
/// </summary>
internal sealed partial class SqlServerSyntaxTests
{
    public static IEnumerable<TestCaseData> MigrationScripts() =>
        DatabaseMigrator.ScriptNames(DatabaseProvider.SqlServer).Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    public static IEnumerable<TestCaseData> StoreQueries() =>
        QueryConstants().Where(q => !q.Name.StartsWith("sqlite", StringComparison.OrdinalIgnoreCase))
            .Select(q => new TestCaseData(q.Sql).SetArgDisplayNames($"{q.File}:{q.Line} {q.Name}"));

    [TestCaseSource(nameof(MigrationScripts))]
    public void Migration_script_parses_as_TSql160(string resourceName)
    {
        AssertParses(DatabaseMigrator.ReadScript(resourceName));
    }

    [TestCaseSource(nameof(StoreQueries))]
    public void Store_query_parses_as_TSql160(string sql)
    {
        AssertParses(sql);
    }

    [Test]
    public void The_scan_finds_the_queries_it_is_meant_to_check()
    {
        var queries = QueryConstants().ToList();

        Assert.That(queries.Count(q => q.Name.StartsWith("sqlServer", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));
        Assert.That(queries.Count(q => !q.Name.StartsWith("sqlite", StringComparison.OrdinalIgnoreCase)), Is.GreaterThanOrEqualTo(15));
        Assert.That(DatabaseMigrator.ScriptNames(DatabaseProvider.SqlServer), Is.Not.Empty);
        Assert.That(DatabaseMigrator.ScriptNames(DatabaseProvider.Sqlite), Has.Count.EqualTo(DatabaseMigrator.ScriptNames(DatabaseProvider.SqlServer).Count),
            "one schema, two dialects: every migration exists in both");
    }

    [Test]
    public void The_parser_rejects_broken_TSql_so_the_checks_above_mean_something()
    {
        var errors = Parse("SELECT TOP (@n) id FROM dbo.verifications WHERE LIMIT 5");

        Assert.That(errors, Is.Not.Empty);
    }

    private static void AssertParses(string sql)
    {
        var errors = Parse(sql);
        Assert.That(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"), Is.Empty);
    }

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    private static IEnumerable<(string File, int Line, string Name, string Sql)> QueryConstants()
    {
        // Every feature's store, not only src/Service/Data: batches and any later feature keep their SQL beside their code.
        var folder = Path.Combine(RepositoryRoot(), "src", "Service");
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (Match match in ConstSql().Matches(text))
            {
                var line = text[..match.Index].Count(c => c == '\n') + 1;
                yield return (Path.GetFileName(file), line, match.Groups["name"].Value, match.Groups["sql"].Value);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CoverageCheck.sln not found above the test directory.");
    }

    [GeneratedRegex("""const string (?<name>\w+) = \"\"\"\s*\n(?<sql>.*?)\n\s*\"\"\";""", RegexOptions.Singleline)]
    private static partial Regex ConstSql();
}
