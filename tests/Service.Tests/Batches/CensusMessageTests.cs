using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>#14: a census error names the column and the line, never the value (a census is PHI).</summary>
internal sealed class CensusMessageTests
{
    [Test]
    public async Task Row_errors_name_the_column_and_never_echo_the_value()
    {
        var lines = await Census.ReadAsync(string.Join('\n',
            Census.Header,
            "P-1,ANN,TESTER,1980-01-01,ZQPAYERSECRET,W1,,2026-12-07,5,8,450,verbal,2026-11-20",          // 2 unknown payer
            "P-2,ANN,TESTER,1980-01-01,60054,W2,,ZQSTARTSECRET,5,8,450,verbal,2026-11-20",                // 3 bad program_start
            "P-3,ANN,TESTER,1980-01-01,60054,W3,,2026-12-07,ZQDAYSSECRET,8,450,verbal,2026-11-20",        // 4 bad days_per_week
            "P-4,ANN,TESTER,1980-01-01,60054,W4,,2026-12-07,5,ZQWEEKSSECRET,450,verbal,2026-11-20",       // 5 bad weeks
            "P-5,ANN,TESTER,1980-01-01,60054,W5,,2026-12-07,5,8,ZQCHARGESECRET,verbal,2026-11-20"));      // 6 bad charge_per_day

        var errors = lines.OfType<CensusRowError>().ToDictionary(e => e.Line);
        Assert.That(errors.Keys, Is.EqualTo(new[] { 2, 3, 4, 5, 6 }));
        Assert.Multiple(() =>
        {
            Assert.That(errors[2].Reason, Does.Contain("payer_id"));
            Assert.That(errors[3].Reason, Does.Contain("program_start"));
            Assert.That(errors[4].Reason, Does.Contain("days_per_week"));
            Assert.That(errors[5].Reason, Does.Contain("weeks"));
            Assert.That(errors[6].Reason, Does.Contain("charge_per_day"));
            foreach (var error in errors.Values)
            {
                Assert.That(error.Reason, Does.Not.Contain("ZQ"), $"line {error.Line} echoes its value: {error.Reason}");
            }
        });
    }

    [Test]
    public async Task A_census_without_its_header_does_not_echo_the_first_patient_as_column_names()
    {
        var lines = await Census.ReadAsync("P-1,ZELDA,QUILLFEATHER,1980-01-01,60054,W555000111,,2026-12-07,5,8,450\n");

        var error = lines.OfType<CensusRowError>().Single();
        Assert.That(error.Code, Is.EqualTo(CensusErrorCodes.InvalidHeader));
        Assert.That(error.Reason, Does.Contain("first_name"), "it says which columns are expected");
        foreach (var value in new[] { "ZELDA", "QUILLFEATHER", "W555000111", "1980-01-01" })
        {
            Assert.That(error.Reason, Does.Not.Contain(value));
        }
    }
}
