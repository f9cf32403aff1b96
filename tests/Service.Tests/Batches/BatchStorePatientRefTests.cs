using System.Text;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Dapper;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>A census row's patient_ref is PHI: encrypted at rest, bound to its batch and line, plain text to its readers.</summary>
internal sealed class BatchStorePatientRefTests
{
    private TestDatabase _db = null!;
    private BatchStore _batches = null!;

    [SetUp]
    public async Task Open()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        _batches = new BatchStore(_db.Database, _db.Phi);
    }

    [TearDown]
    public async Task Close() => await _db.DisposeAsync();

    [Test]
    public async Task Patient_refs_are_stored_encrypted_and_read_back_as_written()
    {
        var batch = await _batches.CreateAsync(Guid.NewGuid(), TestPatients.Admissions, _db.Clock.GetUtcNow(), default);
        var verified = await _db.Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        await _batches.AddRowsAsync(batch.Id, [
            new BatchRowEntry(2, "CHART-778812", verified.Record.Id, null, null),
            new BatchRowEntry(3, "CHART-990417", null, "missing-value", "first_name is missing."),
            new BatchRowEntry(4, null, null, "missing-value", "patient_ref is missing."),
        ], default);

        var stored = await RawPatientRefsAsync(batch.Id);
        var rows = await _batches.ListRowsAsync(batch.Id, default);
        var rejected = await _batches.ListRejectedAsync(batch.Id, default);
        var sources = await _batches.ListReportSourcesAsync(batch.Id, default);

        Assert.Multiple(() =>
        {
            Assert.That(stored[2], Does.StartWith("phi1:").And.Not.Contain("778812"));
            Assert.That(stored[3], Does.StartWith("phi1:").And.Not.Contain("990417"));
            Assert.That(stored[4], Is.Null);
            Assert.That(rows.Select(r => r.PatientRef), Is.EqualTo(new[] { "CHART-778812", "CHART-990417", null }));
            Assert.That(rejected.Select(r => r.PatientRef), Is.EqualTo(new[] { "CHART-990417", null }));
            Assert.That(sources.Select(s => s.Row.PatientRef), Is.EqualTo(new[] { "CHART-778812", "CHART-990417", null }));
            Assert.That(sources[0].PayloadJson, Is.Not.Null, "the verification's request is still decrypted beside it");
        });
        var file = await File.ReadAllBytesAsync(_db.SqliteFile!);
        var wal = File.Exists(_db.SqliteFile + "-wal") ? await File.ReadAllBytesAsync(_db.SqliteFile + "-wal") : [];
        Assert.That(Encoding.UTF8.GetString(file) + Encoding.UTF8.GetString(wal), Does.Not.Contain("CHART-778812").And.Not.Contain("CHART-990417"));
    }

    [Test]
    public async Task A_patient_ref_copied_onto_another_line_does_not_decrypt()
    {
        var batch = await _batches.CreateAsync(Guid.NewGuid(), TestPatients.Admissions, _db.Clock.GetUtcNow(), default);
        await _batches.AddRowsAsync(batch.Id, [
            new BatchRowEntry(2, "CHART-1", null, "missing-value", "x"),
            new BatchRowEntry(3, "CHART-2", null, "missing-value", "x"),
        ], default);
        var stored = await RawPatientRefsAsync(batch.Id);

        await using (var connection = await _db.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync(
                "UPDATE batch_rows SET patient_ref = @swapped WHERE batch_id = @id AND line_number = 3",
                new { swapped = stored[2], id = batch.Id });
        }

        Assert.ThrowsAsync<PhiDecryptionException>(() => _batches.ListRowsAsync(batch.Id, default));
    }

    [Test]
    public async Task A_patient_ref_stored_before_encryption_is_read_as_plain_text()
    {
        var batch = await _batches.CreateAsync(Guid.NewGuid(), TestPatients.Admissions, _db.Clock.GetUtcNow(), default);
        await using (var connection = await _db.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync(
                "INSERT INTO batch_rows (batch_id, line_number, patient_ref, verification_id, error_code, error) VALUES (@id, 2, 'P-OLD', NULL, 'missing-value', 'x')",
                new { id = batch.Id });
        }

        var rows = await _batches.ListRowsAsync(batch.Id, default);

        Assert.That(rows.Single().PatientRef, Is.EqualTo("P-OLD"));
    }

    private async Task<Dictionary<int, string?>> RawPatientRefsAsync(Guid batchId)
    {
        await using var connection = await _db.Database.OpenAsync(default);
        var rows = await connection.QueryAsync<(int Line, string? PatientRef)>(
            "SELECT line_number, patient_ref FROM batch_rows WHERE batch_id = @batchId", new { batchId });
        return rows.ToDictionary(r => r.Line, r => r.PatientRef);
    }
}
