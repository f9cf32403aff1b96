using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Batches;
using CoverageCheck.Service.Tests.Verifications;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>#14: the audit trail says which patients a 271 upload and a batch export concerned, and the pending page's polling adds nothing.</summary>
internal sealed class AuditCoverageTests
{
    /// <summary>Three patients of payer 60054 (member IDs W1, W2, W3) in one interchange.</summary>
    internal const string ThreePatients271 = """
        ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*COVERAGECHECK  *261201*0930*^*00501*000000109*0*T*:~
        GS*HB*CLEARINGHOUSE*COVERAGECHECK*20261201*0930*101*X*005010X279A1~
        ST*271*0009*005010X279A1~
        BHT*0022*11*123456789*20261201*0930~
        HL*1**20*1~
        NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*60054~
        HL*2*1*21*1~
        NM1*1P*2*EXAMPLE RECOVERY IOP*****XX*1999999984~
        HL*3*2*22*0~
        TRN*2*123456789*9999999984~
        NM1*IL*1*DOE*JANE****MI*W1~
        DMG*D8*19850412*F~
        EB*1*IND*30**PLAN ONE~
        HL*4*2*22*0~
        TRN*2*123456789*9999999984~
        NM1*IL*1*ROE*RICHARD****MI*W2~
        DMG*D8*19850412*F~
        EB*1*IND*30**PLAN TWO~
        SE*17*0009~
        ST*271*0010*005010X279A1~
        BHT*0022*11*123456789*20261201*0930~
        HL*1**20*1~
        NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*60054~
        HL*2*1*21*1~
        NM1*1P*2*EXAMPLE RECOVERY IOP*****XX*1999999984~
        HL*3*2*22*0~
        TRN*2*123456789*9999999984~
        NM1*IL*1*POE*EDGAR****MI*W3~
        DMG*D8*19850412*F~
        EB*6*IND*30**PLAN THREE~
        SE*11*0010~
        GE*2*101~
        IEA*1*000000109~
        """;

    [Test]
    public async Task A_271_upload_is_audited_once_per_patient_by_keyed_member_hash()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Finance);

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(ThreePatients271, Encoding.UTF8, "text/plain"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        var phi = host.Factory.Services.GetRequiredService<PhiProtector>();
        var rows = (await AuditRowsAsync(host.DataDirectory, "SELECT actor, action, record_type AS RecordType, record_id AS RecordId FROM audit_log WHERE record_type = 'member'")).ToList();
        Assert.That(rows.Select(r => r.RecordId), Is.EquivalentTo(new[] { phi.MemberKey("60054", "W1"), phi.MemberKey("60054", "W2"), phi.MemberKey("60054", "W3") }));
        Assert.That(rows.Select(r => (r.Actor, r.Action)).Distinct(), Is.EqualTo(new[] { ("test-finance", AuditActions.Read) }));
        Assert.That(rows.Any(r => r.RecordId.Contains("W1", StringComparison.Ordinal)), Is.False, "keyed hashes, never the member ID");
    }

    [Test]
    public async Task A_batch_export_is_audited_for_every_patient_of_the_batch()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Finance);
        var census = string.Join('\n', Census.Header, Census.Row(1), Census.Row(2), "P-BAD,ANN,TESTER,1980-01-01,60054,,,2026-12-07,5,8,450", Census.Row(3)) + "\n";
        using var upload = await client.PostAsync("/api/v1/batches", new StringContent(census, Encoding.UTF8, "text/csv"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var batch = upload.Headers.Location!.ToString();
        var batchId = batch.Split('/')[^1];

        using var report = await client.GetAsync($"{batch}/report.csv");
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var connection = Open(host.DataDirectory);
        var verifications = (await connection.QueryAsync<string>(
            "SELECT verification_id FROM batch_rows WHERE batch_id = @batchId AND verification_id IS NOT NULL", new { batchId = batchId.ToUpperInvariant() })).ToList();
        Assert.That(verifications, Has.Count.EqualTo(3));
        var exported = (await connection.QueryAsync<string>(
            "SELECT record_id FROM audit_log WHERE action = 'export' AND record_type = 'verification'")).ToList();
        Assert.That(exported, Is.EquivalentTo(verifications.Select(v => v.ToLowerInvariant())), "every verification in the export, once");
        var rejected = (await connection.QueryAsync<string>(
            "SELECT record_id FROM audit_log WHERE action = 'export' AND record_type = 'batch-row'")).ToList();
        Assert.That(rejected, Is.EqualTo(new[] { $"{batchId}:4" }), "the rejected line's patient_ref was exported too");
    }

    [Test]
    public async Task Polling_the_pending_status_writes_no_audit_row_and_a_view_writes_one()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        using var client = host.Client(TestApiKeys.Admissions);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var id = created.Headers.Location!.ToString().Split('/')[^1];
        var before = await CountForAsync(host.DataDirectory, id);

        for (var i = 0; i < 5; i++)
        {
            using var poll = await client.GetAsync($"/staff/verifications/{id}/status");
            Assert.That(poll.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)(await VerificationsHost.ReadAsync(poll))["status"], Is.Not.Null.And.Not.Empty);
        }

        Assert.That(await CountForAsync(host.DataDirectory, id), Is.EqualTo(before), "five polls");
        using (var view = await client.GetAsync($"/api/v1/verifications/{id}"))
        {
            Assert.That(view.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await CountForAsync(host.DataDirectory, id), Is.EqualTo(before + 1), "one view");
    }

    private static async Task<int> CountForAsync(string dataDirectory, string id)
    {
        await using var connection = Open(dataDirectory);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE record_id = @id", new { id = id.ToLowerInvariant() });
    }

    private static async Task<IEnumerable<AuditRow>> AuditRowsAsync(string dataDirectory, string sql)
    {
        await using var connection = Open(dataDirectory);
        return await connection.QueryAsync<AuditRow>(sql);
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, DatabaseExtensions.DefaultSqliteFileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private sealed record AuditRow(string Actor, string Action, string RecordType, string RecordId);
}
