using System.Text;
using CoverageCheck.Service.Features.Verifications;
using Dapper;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>The database file holds ciphertext only: no name, date of birth or member ID in any encoding.</summary>
internal sealed class SqliteFileTests
{
    [Test]
    public async Task Connections_enforce_foreign_keys_and_run_wal_with_synchronous_normal()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await using var connection = await db.Database.OpenAsync(default);

        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(1), "NORMAL");
        var orphan = Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO batch_rows (batch_id, line_number, error_code) VALUES ('NO-SUCH-BATCH', 1, 'x')"));
        Assert.That(orphan!.SqliteErrorCode, Is.EqualTo(19), "FOREIGN KEY constraint failed");
    }

    [Test]
    public async Task The_database_files_contain_no_names_dates_of_birth_or_member_ids()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var patients = new[] { TestPatients.Jane }.Concat(Enumerable.Range(1, 20).Select(TestPatients.Numbered)).ToList();
        foreach (var patient in patients)
        {
            var id = (await db.Store.InsertAsync(patient.ToNew($"idem-{patient.MemberId}"), TestPatients.Admissions, default)).Record.Id;
            await db.Queue.ClaimAsync("worker-a", db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default);
            // A payer answer repeats the subscriber's identity; it is PHI too.
            var answer = System.Text.Json.JsonSerializer.Serialize(new { subscriber = new { patient.FirstName, patient.LastName, patient.DateOfBirth, patient.MemberId } });
            Assert.That(await db.Queue.CompleteAsync(id, "worker-a", VerificationStatus.Completed, answer, db.Clock.GetUtcNow(), default), Is.True);
        }

        var folder = Path.GetDirectoryName(db.SqliteFile)!;
        AssertNoPhi(folder, patients); // data still in the write-ahead log

        await using (var connection = await db.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        AssertNoPhi(folder, patients); // data moved into the main file
    }

    private static void AssertNoPhi(string folder, IReadOnlyList<TestPatients.Patient> patients)
    {
        var files = Directory.GetFiles(folder);
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
        Assert.That(files.Select(Path.GetFileName), Does.Contain(Service.Data.DatabaseExtensions.DefaultSqliteFileName));

        // The scan must see what is stored in clear: the payer ID and the caller are plain columns.
        Assert.That(Contains(bytes, Encoding.UTF8.GetBytes(TestPatients.Actor)), Is.True, "the scan does not see the stored rows");
        Assert.That(Contains(bytes, Encoding.UTF8.GetBytes("87726")), Is.True, "the scan does not see the stored rows");

        foreach (var identifier in patients.SelectMany(p => p.Identifiers).Distinct())
        {
            foreach (var encoding in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode })
            {
                Assert.That(Contains(bytes, encoding.GetBytes(identifier)), Is.False, $"'{identifier}' found in {encoding.WebName}");
            }
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
