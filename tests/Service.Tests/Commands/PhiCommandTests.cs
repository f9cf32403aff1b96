using System.Security.Cryptography;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoverageCheck.Service.Tests.Commands;

/// <summary><c>phi rekey</c>: after a key rotation, every stored value ends up under the new key, and the old key can go.</summary>
internal sealed class PhiCommandTests
{
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Test]
    public async Task After_rekey_the_old_key_is_no_longer_needed_for_anything_stored()
    {
        // Written by a service on key 1 (the test databases' key): one verification queued, one completed, and a census row.
        await using var db = await TestDatabase.CreateSqliteAsync();
        var queued = await db.Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        var done = await db.Store.InsertAsync(
            TestPatients.Numbered(2).ToNew() with { Lease = new VerificationLease("worker-a", TimeSpan.FromMinutes(1)) }, TestPatients.Admissions, default);
        Assert.That(await db.Queue.CompleteAsync(done.Record.Id, "worker-a", VerificationStatus.Completed, """{"coverage":{"active":true}}""", db.Clock.GetUtcNow(), default), Is.True);
        var batches = new BatchStore(db.Database, db.Phi);
        var batch = await batches.CreateAsync(Guid.NewGuid(), TestPatients.Admissions, db.Clock.GetUtcNow(), default);
        await batches.AddRowsAsync(batch.Id, [new BatchRowEntry(2, "CHART-5512", null, "missing-value", "x")], default);
        var gfe = new IssuedGoodFaithEstimate
        {
            Id = Guid.CreateVersion7(), VerificationId = done.Record.Id, EstimateNumber = "GFE-1", IssuedAt = db.Clock.GetUtcNow(), IssuedBy = "ana",
        };
        await new GoodFaithEstimateStore(db.Database, db.Phi).AddAsync(gfe, [1, 2, 3], TestPatients.Admissions, default);

        var (exit, output, error) = await RekeyAsync(db, "--lookup-key-id", "2");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("2 verifications read, 2 encrypted again under key 2").And.Contain("2 lookup hashes recomputed")
            .And.Contain("1 census patient_refs read, 1 encrypted again").And.Contain("1 good faith estimates read, 1 encrypted again"));
        // The new key alone (no previous keys) now reads everything, and finds members by the new lookup hash.
        var newOnly = TestDatabase.CreateProtector(NewKey, keyId: 2);
        var store = new VerificationStore(db.Database, newOnly, db.Clock, NullLogger<VerificationStore>.Instance);
        var readQueued = await store.GetAsync(queued.Record.Id, TestPatients.Admissions, default);
        var readDone = await store.GetAsync(done.Record.Id, TestPatients.Admissions, default);
        var rows = await new BatchStore(db.Database, newOnly).ListRowsAsync(batch.Id, default);
        Assert.Multiple(() =>
        {
            Assert.That(readQueued!.PayloadJson, Is.EqualTo(TestPatients.Jane.PayloadJson));
            Assert.That(readQueued.MemberKey, Is.EqualTo(newOnly.MemberKey(TestPatients.Jane.PayerId, TestPatients.Jane.MemberId)));
            Assert.That(readDone!.ResultJson, Is.EqualTo("""{"coverage":{"active":true}}"""));
            Assert.That(rows.Single().PatientRef, Is.EqualTo("CHART-5512"));
        });
        var document = await new GoodFaithEstimateStore(db.Database, newOnly).GetAsync(gfe.Id, TestPatients.Admissions, db.Clock.GetUtcNow(), default);
        Assert.That(document!.Value.Pdf, Is.EqualTo(new byte[] { 1, 2, 3 }));
        var audit = await db.Audit.ListForRecordAsync(AuditRecordTypes.Verification, queued.Record.Id.ToString(), default);
        Assert.That(audit.Count(a => a.Action == AuditActions.Rekey), Is.EqualTo(1), "reading PHI to encrypt it again is audited");

        var again = await RekeyAsync(db, "--lookup-key-id", "2");

        Assert.That(again.Output, Does.Contain("2 verifications read, 0 encrypted again").And.Contain("0 lookup hashes recomputed")
            .And.Contain("1 census patient_refs read, 0 encrypted again").And.Contain("1 good faith estimates read, 0 encrypted again"));
    }

    [Test]
    public async Task A_lookup_key_that_is_not_configured_is_refused()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();

        var (exit, _, error) = await RekeyAsync(db, "--lookup-key-id", "7");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--lookup-key-id 7 is not a configured key"));
    }

    private static async Task<(int Exit, string Output, string Error)> RekeyAsync(TestDatabase db, params string[] options)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Directory"] = Path.GetDirectoryName(db.SqliteFile),
            ["Phi:Key"] = NewKey,
            ["Phi:KeyId"] = "2",
            ["Phi:PreviousKeys:0:Id"] = "1",
            ["Phi:PreviousKeys:0:Key"] = TestHostSettings.PhiKey,
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(["phi", "rekey", .. options], configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
