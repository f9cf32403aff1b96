using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Remittances;

/// <summary>
/// Issue #19: 835s uploaded by finance, matched to verifications, and the estimate graded against them. The patient
/// is the sandbox PPO member (W100000001: $1,300 of a $1,500 deductible left, then 20 %; from Monday 7 December 2026,
/// 8 weeks × 5 days; AETNA 60054 configured at $450 allowed a day, Payers:N:AllowedPerDay). The estimate for the first
/// week (7–11 December): 450 + 450 + 410 (400 deductible + 20 % of 50) + 90 + 90 = 1,490.00.
/// The payer's remittance allows $400 a day instead: 400 + 400 + 400 (deductible, 1,200) + 160 (100 deductible + 20 % of
/// 300) + 80 (20 % of 400) = 1,440.00 (deductible 1,300, coinsurance 140), paid 2,000 − 1,440 = 560.00.
/// The error is 1,490 − 1,440 = +50.00 (3.5 % of the actual); the observed allowed a day $400 on 5 days against $450.
/// </summary>
internal sealed class RemittancesApiTests
{
    private const string PatientRef = "P-1001";
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost(clock: _clock);

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    internal static string Isa(string control) =>
        $"ISA*00*          *00*          *ZZ*AETNA          *ZZ*COVERAGECHECK  *261215*0900*^*00501*{control}*0*P*:~";

    /// <summary>One week of H0015 days at $450 billed, $400 allowed; the patient's share per day as the comment above says.</summary>
    internal static string FirstWeek(string patientControlNumber, string memberId = "W100000001", string control = "000000101", string trace = "EFT12345")
    {
        (string Date, string Pr, decimal Paid)[] days =
        [
            ("20261207", "CAS*PR*1*400.00~", 0m),
            ("20261208", "CAS*PR*1*400.00~", 0m),
            ("20261209", "CAS*PR*1*400.00~", 0m),
            ("20261210", "CAS*PR*1*100.00*1*2*60.00~", 240m),
            ("20261211", "CAS*PR*2*80.00~", 320m),
        ];
        var lines = string.Concat(days.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"SVC*HC:H0015*450.00*{d.Paid:0.00}**1~DTM*472*{d.Date}~CAS*CO*45*50.00~{d.Pr}AMT*B6*400.00~")));
        var body = string.Concat(
            "ST*835*0001*005010X221A1~",
            $"BPR*I*560.00*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261215~",
            $"TRN*1*{trace}*1512345678~",
            "DTM*405*20261215~",
            "N1*PR*AETNA~",
            "REF*2U*60054~",
            "N1*PE*COVERAGECHECK SANDBOX IOP*XX*1999999984~",
            "LX*1~",
            $"CLP*{patientControlNumber}*1*2250.00*560.00*1440.00*12*AET0001~",
            $"NM1*QC*1*PPOSAMPLE*AVA****MI*{memberId}~",
            "DTM*232*20261207~",
            "DTM*233*20261211~",
            lines);
        var segments = body.Count(c => c == '~') + 1;
        return string.Concat(Isa(control), "GS*HP*AETNA*COVERAGECHECK*20261215*0900*1*X*005010X221A1~", body,
            string.Create(CultureInfo.InvariantCulture, $"SE*{segments}*0001~"), "GE*1*1~", $"IEA*1*{control}~");
    }

    private async Task<string> VerifyAsync(string? patientRef)
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var request = VerificationsApiTests.Request("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000001", patientRef: patientRef);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var body = await VerificationsHost.ReadAsync(created);
        Assert.That((string?)body["status"], Is.EqualTo("completed"), body.ToJsonString());
        return (string)body["id"]!;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> UploadAsync(string text, string key = TestApiKeys.Finance)
    {
        using var client = _host.Client(key);
        using var content = new StringContent(text, Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync("/api/v1/remittances", content);
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, json.Length == 0 ? [] : JsonNode.Parse(json)!.AsObject());
    }

    private async Task<JsonObject> AccuracyAsync(string query = "?from=2026-12-01&to=2026-12-31")
    {
        using var client = _host.Client(TestApiKeys.Finance);
        using var response = await client.GetAsync("/api/v1/reports/estimate-accuracy" + query);
        var json = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
        return JsonNode.Parse(json)!.AsObject();
    }

    [Test]
    public async Task A_week_remitted_is_matched_by_patient_control_number_and_grades_the_estimate_to_the_cent()
    {
        var id = await VerifyAsync(PatientRef);

        var (status, body) = await UploadAsync(FirstWeek(PatientRef));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        var claim = body["claims"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)claim["verificationId"], Is.EqualTo(id));
            Assert.That((string?)claim["matchedBy"], Is.EqualTo("patient-control-number"));
            Assert.That((decimal?)claim["deductible"], Is.EqualTo(1300.00m));
            Assert.That((decimal?)claim["coinsurance"], Is.EqualTo(140.00m));
            Assert.That((decimal?)claim["copay"], Is.EqualTo(0m));
            Assert.That((decimal?)claim["patientResponsibility"], Is.EqualTo(1440.00m));
            Assert.That(claim["lines"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That((decimal?)claim["lines"]![0]!["allowed"], Is.EqualTo(400.00m));
            Assert.That((string?)claim["lines"]![0]!["code"], Is.EqualTo("H0015"));
            Assert.That(body["unmatched"]!.AsArray(), Is.Empty);
            Assert.That((decimal?)body["transactions"]![0]!["payment"]!["amount"], Is.EqualTo(560.00m));
            Assert.That((string?)body["transactions"]![0]!["payment"]!["traceNumber"], Is.EqualTo("EFT12345"));
            Assert.That((string?)body["transactions"]![0]!["payer"]!["id"], Is.EqualTo("60054"));
            Assert.That((bool?)body["transactions"]![0]!["balances"], Is.True);
        });

        var report = await AccuracyAsync();
        var patient = report["patients"]!.AsArray().Single(p => (string?)p!["verificationId"] == id)!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)patient["patientRef"], Is.EqualTo(PatientRef));
            Assert.That((int?)patient["days"], Is.EqualTo(5));
            Assert.That((decimal?)patient["estimatedPatient"], Is.EqualTo(1490.00m));
            Assert.That((decimal?)patient["actualPatient"], Is.EqualTo(1440.00m));
            Assert.That((decimal?)patient["error"], Is.EqualTo(50.00m));
            Assert.That((decimal?)patient["errorPercent"], Is.EqualTo(3.5m));
            Assert.That((decimal?)patient["actualDeductible"], Is.EqualTo(1300.00m));
            Assert.That((decimal?)patient["estimatedDeductible"], Is.EqualTo(1300.00m));
        });
        var aetna = report["byPayer"]!.AsArray().Single(p => (string?)p!["payerId"] == "60054")!;
        Assert.Multiple(() =>
        {
            Assert.That((decimal?)aetna["allowedPerDay"]!["median"], Is.EqualTo(400.00m));
            Assert.That((int?)aetna["allowedPerDay"]!["count"], Is.GreaterThanOrEqualTo(5));
            Assert.That((decimal?)aetna["allowedPerDay"]!["configured"], Is.EqualTo(450.00m));
            Assert.That((decimal?)aetna["allowedPerDay"]!["suggested"], Is.EqualTo(400.00m));
        });
    }

    [Test]
    public async Task The_rest_of_the_program_is_re_estimated_from_what_was_remitted()
    {
        // The remitted week used the whole deductible (1,300), as the estimate did: the other 35 days are 20 % of the
        // allowed amount (400 here? no: the estimate's 450) until January's new plan year. Re-estimated with the actual
        // deductible met, the projection is the actual week plus the estimate's remaining days: 1,440 + (5,840 − 1,490).
        var id = await VerifyAsync("P-2002");
        var (status, _) = await UploadAsync(FirstWeek("P-2002", control: "000000202", trace: "EFT22222"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));

        var patient = (await AccuracyAsync())["patients"]!.AsArray().Single(p => (string?)p!["verificationId"] == id)!;

        Assert.Multiple(() =>
        {
            Assert.That((decimal?)patient["estimatedPatientTotal"], Is.EqualTo(5840.00m));
            Assert.That((decimal?)patient["projectedPatientTotal"], Is.EqualTo(1440.00m + (5840.00m - 1490.00m)));
        });
    }

    [Test]
    public async Task The_same_file_again_answers_200_with_the_first_id_and_is_counted_once()
    {
        var id = await VerifyAsync("P-3003");
        var file = FirstWeek("P-3003", control: "000000303", trace: "EFT33333");
        var (first, body) = await UploadAsync(file);
        var (again, repeat) = await UploadAsync(file);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(again, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)repeat["id"], Is.EqualTo((string?)body["id"]));
        });
        var patient = (await AccuracyAsync())["patients"]!.AsArray().Single(p => (string?)p!["verificationId"] == id)!;
        Assert.That((int?)patient["claims"], Is.EqualTo(1), "one claim, not two");
    }

    [Test]
    public async Task Without_a_patient_control_number_on_file_a_claim_matches_by_member_ID_and_dates_and_an_unknown_one_stays_unmatched()
    {
        await VerifyAsync(patientRef: null);

        var (status, body) = await UploadAsync(FirstWeek("UNKNOWN-REF", control: "000000404", trace: "EFT44444"));
        var (_, stranger) = await UploadAsync(FirstWeek("NOBODY-1", memberId: "Z999999999", control: "000000405", trace: "EFT44445"));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)body["claims"]![0]!["matchedBy"], Is.EqualTo("member-id"));
            Assert.That(body["claims"]![0]!["verificationId"], Is.Not.Null);
            Assert.That(stranger["claims"]![0]!["verificationId"], Is.Null);
            Assert.That(stranger["unmatched"]!.AsArray().Select(u => (string?)u), Is.EqualTo(new[] { "NOBODY-1" }));
        });
    }

    [Test]
    public async Task An_unreadable_file_is_a_400_naming_the_segment_and_nothing_is_stored()
    {
        var truncated = FirstWeek("P-5005", control: "000000505")[..400];

        var (status, body) = await UploadAsync(truncated);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That((string?)body["detail"], Does.Match("segment|SE|ST"));
        Assert.That(body.ToJsonString(), Does.Not.Contain("PPOSAMPLE").And.Not.Contain("W100000001"), "no PHI echoed");
    }

    [Test]
    public async Task Admissions_may_not_upload_remittances_and_every_read_is_audited_and_nothing_is_logged()
    {
        var (forbidden, _) = await UploadAsync(FirstWeek(PatientRef, control: "000000606"), TestApiKeys.Admissions);
        Assert.That(forbidden, Is.EqualTo(HttpStatusCode.Forbidden));

        var (status, body) = await UploadAsync(FirstWeek("P-6006", control: "000000607", trace: "EFT66666"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        var remittanceId = (string)body["id"]!;
        using (var client = _host.Client(TestApiKeys.Finance))
        using (var got = await client.GetAsync($"/api/v1/remittances/{remittanceId}"))
        {
            Assert.That(got.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var audit = _host.Factory.Services.GetRequiredService<AuditStore>();
        var entries = await audit.ListForRecordAsync(AuditRecordTypes.Remittance, remittanceId, CancellationToken.None);
        Assert.That(entries.Select(e => e.Action), Is.SupersetOf(new[] { AuditActions.Create, AuditActions.Read }));
        Assert.That(string.Join("\n", _host.Logs.Lines), Does.Not.Contain("PPOSAMPLE").And.Not.Contain("W100000001").And.Not.Contain("P-6006"));
    }

    [Test]
    public async Task The_report_downloads_as_CSV_and_as_a_workbook_with_blank_cells_for_unknowns()
    {
        var id = await VerifyAsync("P-7007");
        await UploadAsync(FirstWeek("P-7007", control: "000000707", trace: "EFT77777"));
        using var client = _host.Client(TestApiKeys.Finance);

        var csv = await client.GetStringAsync("/api/v1/reports/estimate-accuracy.csv?from=2026-12-01&to=2026-12-31");
        using var xlsx = await client.GetAsync("/api/v1/reports/estimate-accuracy.xlsx?from=2026-12-01&to=2026-12-31");
        using var bad = await client.GetAsync("/api/v1/reports/estimate-accuracy?from=2026-13-01");

        var header = csv.TrimStart('\uFEFF').Split('\n')[0];
        Assert.That(header, Does.StartWith("verification_id,patient_ref,payer_id,contract_id,claims,days,estimated_patient,actual_patient,error,error_percent"));
        Assert.That(csv, Does.Contain($"{id},P-7007,60054,,1,5,1490.00,1440.00,50.00,3.5"));
        Assert.That(xlsx.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var workbook = new XLWorkbook(await xlsx.Content.ReadAsStreamAsync());
        Assert.That(workbook.Worksheets.Select(w => w.Name), Is.EqualTo(new[] { "Patients", "By payer", "By contract", "Good Faith Estimates" }));
        var sheet = workbook.Worksheet("Patients");
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cell(1).GetString() == id);
        Assert.Multiple(() =>
        {
            Assert.That(row.Cell(8).GetValue<decimal>(), Is.EqualTo(1440.00m));
            Assert.That(row.Cell(4).IsEmpty(), Is.True, "no contract: blank, not zero");
        });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("\"from\""));
    }
}
