using System.Text;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Dapper;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>Issued Good Faith Estimates are kept as issued, encrypted, for giving again; the database refuses changes.</summary>
internal sealed class GoodFaithEstimateStoreTests
{
    private TestDatabase _db = null!;
    private GoodFaithEstimateStore _estimates = null!;

    [SetUp]
    public async Task Open()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        _estimates = new GoodFaithEstimateStore(_db.Database, _db.Phi);
    }

    [TearDown]
    public async Task Close() => await _db.DisposeAsync();

    [Test]
    public async Task An_issued_document_comes_back_byte_for_byte_and_is_stored_encrypted()
    {
        var (issued, pdf) = await IssueAsync("%PDF-1.7 Name: ZELPHINIA QUORNBATTER, born Apr 12, 1985");

        var listed = await _estimates.ListAsync(issued.VerificationId, default);
        var read = await _estimates.GetAsync(issued.Id, TestPatients.Admissions, _db.Clock.GetUtcNow(), default);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(e => e.EstimateNumber), Is.EqualTo(new[] { issued.EstimateNumber }));
            Assert.That(read!.Value.Pdf, Is.EqualTo(pdf));
            Assert.That(read.Value.Estimate.IssuedBy, Is.EqualTo("ana.admissions"));
        });
        var file = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(_db.SqliteFile!))
            + (File.Exists(_db.SqliteFile + "-wal") ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(_db.SqliteFile + "-wal")) : "");
        Assert.That(file, Does.Not.Contain("QUORNBATTER"));
        var audit = await _db.Audit.ListForRecordAsync(AuditRecordTypes.GoodFaithEstimate, issued.Id.ToString(), default);
        Assert.That(audit.Select(a => a.Action), Is.EqualTo(new[] { AuditActions.Create, AuditActions.Read }));
    }

    [Test]
    public async Task An_issued_estimate_cannot_be_changed_or_deleted()
    {
        var (issued, _) = await IssueAsync("%PDF-1.7 first");
        await using var connection = await _db.Database.OpenAsync(default);

        Assert.That(() => connection.ExecuteAsync("UPDATE good_faith_estimates SET issued_by = 'someone else' WHERE id = @id", new { id = issued.Id }),
            Throws.Exception.With.Message.Contains("kept as issued"));
        Assert.That(() => connection.ExecuteAsync("DELETE FROM good_faith_estimates WHERE id = @id", new { id = issued.Id }),
            Throws.Exception.With.Message.Contains("kept as issued"));
    }

    private async Task<(IssuedGoodFaithEstimate Issued, byte[] Pdf)> IssueAsync(string content)
    {
        var verification = await _db.Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        var issued = new IssuedGoodFaithEstimate
        {
            Id = Guid.CreateVersion7(),
            VerificationId = verification.Record.Id,
            EstimateNumber = "GFE-20261128-0A1B2C3D",
            IssuedAt = _db.Clock.GetUtcNow(),
            IssuedBy = "ana.admissions",
        };
        var pdf = Encoding.UTF8.GetBytes(content);
        await _estimates.AddAsync(issued, pdf, TestPatients.Admissions, default);
        return (issued, pdf);
    }
}
