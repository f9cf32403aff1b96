using System.Diagnostics;
using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>The committed sample census and the generator behave as samples/census/README.md says.</summary>
internal sealed class SampleCensusTests
{
    private static string CensusFolder
    {
        get
        {
            var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("CoverageCheck.sln not found above the test folder."), "samples", "census");
        }
    }

    [Test]
    public async Task The_small_census_has_fourteen_good_rows_and_the_seven_documented_bad_ones()
    {
        var lines = await Census.ReadAsync(await File.ReadAllBytesAsync(Path.Combine(CensusFolder, "census-small.csv")));

        Assert.That(lines.OfType<CensusRow>().Select(r => r.Line), Is.EqualTo(Enumerable.Range(2, 14)));
        var errors = lines.OfType<CensusRowError>().Select(e => (e.Line, e.PatientRef, e.Code)).ToList();
        Assert.That(errors, Is.EqualTo(new (int, string?, string)[]
        {
            (16, "S-015", CensusErrorCodes.MissingValue),
            (17, "S-016", CensusErrorCodes.InvalidDate),
            (18, "S-017", CensusErrorCodes.UnknownPayer),
            (19, "S-001", CensusErrorCodes.DuplicatePatientRef),
            (20, "S-018", CensusErrorCodes.ColumnCount),
            (21, "S-019", CensusErrorCodes.InvalidValue),
            (22, "S-020", CensusErrorCodes.ConsentMissing),
        }));
    }

    [Test]
    public async Task The_generator_writes_the_rows_asked_for_with_one_bad_row_in_a_hundred()
    {
        Assume.That(File.Exists("/bin/bash") && File.Exists("/usr/bin/awk"), "the generator is a bash and awk script");
        using var folder = new TempFolder("census");
        var output = folder.Combine("census.csv");

        using (var process = Process.Start(new ProcessStartInfo("/bin/bash", [Path.Combine(CensusFolder, "generate.sh"), "10000", output]) { RedirectStandardError = true })!)
        {
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
        }

        await using var census = File.OpenRead(output);
        var good = 0;
        var bad = new List<CensusRowError>();
        await foreach (var line in Census.Reader().ReadAsync(census, Census.Today))
        {
            if (line is CensusRow)
            {
                good++;
            }
            else
            {
                bad.Add((CensusRowError)line);
            }
        }

        Assert.That(good, Is.EqualTo(9_900));
        Assert.That(bad, Has.Count.EqualTo(100));
        Assert.That(bad.Select(e => e.Reason).Distinct(), Is.EqualTo(new[] { "member_id is missing." }));
        Assert.That(bad[0].Line, Is.EqualTo(101), "row 100 is on line 101");
    }
}
