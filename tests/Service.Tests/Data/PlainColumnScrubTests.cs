using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using Dapper;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>#14: migration 0006 takes the payer's text and echoed census values out of rows written before the fix.</summary>
internal sealed class PlainColumnScrubTests
{
    [Test]
    public async Task Migration_0006_rewrites_old_payer_text_and_echoed_census_values_and_is_harmless_twice()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = (await db.Store.InsertAsync(TestPatients.Jane.ToNew("scrub-1"), TestPatients.Admissions, default)).Record.Id;
        var batches = new BatchStore(db.Database, db.Phi);
        var batch = await batches.CreateAsync(Guid.CreateVersion7(), TestPatients.Admissions, db.Clock.GetUtcNow(), default);
        await batches.AddRowsAsync(batch.Id,
        [
            new BatchRowEntry(2, "P-1", null, CensusErrorCodes.InvalidDate, "program_start \"ZELDA 1980\" is not a real calendar date in the form YYYY-MM-DD."),
            new BatchRowEntry(3, "P-2", null, CensusErrorCodes.MissingValue, "member_id is missing."),
        ], default);

        await using var connection = await db.Database.OpenAsync(default);
        await connection.ExecuteAsync(
            "UPDATE verifications SET last_error_code = '75', last_error = 'AAA 75: Member ZELDA QUILLFEATHER DOB 19800101 was not found' WHERE id = @id",
            new { id });

        var script = DatabaseMigrator.ReadScript(DatabaseMigrator.ScriptNames(DatabaseProvider.Sqlite).Single(n => n.Contains("0006_", StringComparison.Ordinal)));
        await connection.ExecuteAsync(script);
        await connection.ExecuteAsync(script);

        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT last_error FROM verifications WHERE id = @id", new { id }), Is.EqualTo("AAA 75"));
        var errors = (await connection.QueryAsync<string>("SELECT error FROM batch_rows ORDER BY line_number")).ToList();
        Assert.That(errors, Is.EqualTo(new[]
        {
            "This line was rejected (invalid-date); correct it and upload it again to see the reason.",
            "member_id is missing.",
        }));
    }
}
