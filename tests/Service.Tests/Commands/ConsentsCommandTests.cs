using System.Security.Cryptography;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoverageCheck.Service.Tests.Commands;

/// <summary><c>consents show|revoke</c>: a revocation that reached the program by letter is recorded from the command line.</summary>
internal sealed class ConsentsCommandTests
{
    private static async Task<Guid> InsertWithConsentAsync(TestDatabase db)
    {
        var consent = new NewConsent(
            Guid.CreateVersion7(), ConsentGivers.Patient, ConsentMethods.Verbal, db.Clock.GetUtcNow().AddDays(-1), db.Clock.GetUtcNow().AddDays(200),
            TestPatients.Jane.PayerId, TextVersion: null, ConsentSources.Api);
        await db.Store.InsertAsync(TestPatients.Jane.ToNew() with { NewConsent = consent }, TestPatients.Admissions, default);
        return consent.Id;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(TestDatabase db, IDictionary<string, string?>? phi, params string[] args)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Data:Directory"] = Path.GetDirectoryName(db.SqliteFile),
            ["Phi:Key"] = TestHostSettings.PhiKey,
        };
        foreach (var (key, value) in phi ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Revoke_records_the_revocation_and_show_prints_it()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = await InsertWithConsentAsync(db);

        var (exit, output, error) = await RunAsync(db, null, "consents", "revoke", id.ToString(), "--method", "written", "--reason", "Letter of 2026-11-27", "--by", "privacy-officer");
        var shown = await RunAsync(db, null, "consents", "show", id.ToString());

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain($"Consent {id} revoked").And.Contain("by privacy-officer"));
        var stored = await new ConsentStore(db.Database, db.Phi, db.Clock, NullLogger<ConsentStore>.Instance).GetAsync(id, TestPatients.Admissions, default);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.StateAt(db.Clock.GetUtcNow()), Is.EqualTo(ConsentStates.Revoked));
            Assert.That(stored.RevokedBy, Is.EqualTo("privacy-officer"));
            Assert.That(stored.RevocationMethod, Is.EqualTo("written"));
            Assert.That(stored.RevocationReason, Is.EqualTo("Letter of 2026-11-27"));
            Assert.That(shown.Output, Does.Contain("revoked").And.Contain("by privacy-officer (written)"));
        });
        var audit = await db.Audit.ListForRecordAsync(AuditRecordTypes.Consent, id.ToString(), default);
        Assert.That(audit.Where(a => a.Action == AuditActions.Revoke).Select(a => a.Actor), Is.EqualTo(new[] { "privacy-officer" }));
    }

    [Test]
    public async Task A_method_that_is_not_known_is_a_usage_error_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = await InsertWithConsentAsync(db);

        var (exit, _, error) = await RunAsync(db, null, "consents", "revoke", id.ToString(), "--method", "carrier-pigeon");

        Assert.That(exit, Is.EqualTo(CommandLine.UsageExitCode));
        Assert.That(error, Does.Contain("carrier-pigeon").Or.Contain("--method"));
        var stored = await new ConsentStore(db.Database, db.Phi, db.Clock, NullLogger<ConsentStore>.Instance).GetAsync(id, TestPatients.Admissions, default);
        Assert.That(stored!.RevokedAt, Is.Null);
    }

    [Test]
    public async Task Phi_rekey_encrypts_revocation_notes_again_under_the_new_key()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = await InsertWithConsentAsync(db);
        Assert.That((await RunAsync(db, null, "consents", "revoke", id.ToString(), "--method", "verbal", "--reason", "Called the front desk")).Exit, Is.Zero);
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var (exit, output, error) = await RunAsync(db, new Dictionary<string, string?>
        {
            ["Phi:Key"] = newKey,
            ["Phi:KeyId"] = "2",
            ["Phi:PreviousKeys:0:Id"] = "1",
            ["Phi:PreviousKeys:0:Key"] = TestHostSettings.PhiKey,
        }, "phi", "rekey");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("1 consent revocation notes read, 1 encrypted again"));
        var newOnly = TestDatabase.CreateProtector(newKey, keyId: 2);
        var stored = await new ConsentStore(db.Database, newOnly, db.Clock, NullLogger<ConsentStore>.Instance).GetAsync(id, TestPatients.Admissions, default);
        Assert.That(stored!.RevocationReason, Is.EqualTo("Called the front desk"));
    }
}
