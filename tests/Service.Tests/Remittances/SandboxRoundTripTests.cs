using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Remittances;

/// <summary>
/// Issue #19, "must show": the loop on the sandbox. A census of three sandbox members runs, the sandbox payer issues
/// its 835 for the first program week (7–11 December 2026), finance uploads it, and the accuracy report grades the
/// estimates. The sandbox allows what the payer table says (AETNA $450), except HUMANA, where it deliberately allows
/// $380 against the $400 configured. Checked by hand (copay first, then the deductible, then coinsurance):
/// <list type="bullet">
/// <item>AVA PPOSAMPLE (AETNA, $1,300 deductible left, 20 %): 450 + 450 + 410 + 90 + 90 = 1,490.00 estimated and remitted: error 0.</item>
/// <item>QUINN STCREJECT (HUMANA, $35 copay, $400 deductible left, 20 %). Estimated at $400: 5 × 35 copay + 400
/// deductible + 20 % of (5 × 365 − 400) = 175 + 400 + 285 = 860.00; remitted at $380: 175 + 400 + 20 % of
/// (5 × 345 − 400) = 175 + 400 + 265 = 840.00: error +20.00, the $20 a day less allowed on the coinsurance days.</item>
/// <item>JON MHONLY (HUMANA, $40 copay, $750 deductible untouched, no coinsurance): at $400 40 + 360, 40 + 360, 40 + 30,
/// 40, 40 = 950.00; at $380 40 + 340, 40 + 340, 40 + 70, 40, 40 = 950.00: the deductible is met either way, error 0.</item>
/// <item>FAY TERMINATED (AETNA, coverage ended): the payer denies every day (CO 27): nothing to grade, the row says so
/// and it is left out of the error figures.</item>
/// </list>
/// Mean absolute error (0 + 20 + 0) / 3 = 6.67; HUMANA's observed allowed a day $380 (10 days) beside $400 configured.
/// </summary>
internal sealed class SandboxRoundTripTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost(clock: _clock);

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private static string Census()
    {
        (string Ref, string First, string Last, string Born, string Payer, string Member, string Group)[] rows =
        [
            ("R-1", "AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000001", "AET100"),
            ("R-2", "QUINN", "STCREJECT", "1977-05-17", "61101", "H500000053", "HUM1200"),
            ("R-3", "JON", "MHONLY", "1966-08-08", "61101", "H500000001", "HUM1200"),
            ("R-4", "FAY", "TERMINATED", "1970-11-02", "60054", "W100000009", "AET100"),
        ];
        var text = new StringBuilder("patient_ref,first_name,last_name,date_of_birth,payer_id,member_id,group_number,program_start,days_per_week,weeks,charge_per_day,"
            + $"{CensusColumns.ConsentMethod},{CensusColumns.ConsentDate}\n");
        foreach (var r in rows)
        {
            text.Append($"{r.Ref},{r.First},{r.Last},{r.Born},{r.Payer},{r.Member},{r.Group},2026-12-07,5,8,450.00,verbal,2026-11-20\n");
        }

        return text.ToString();
    }

    [Test]
    public async Task A_census_the_sandbox_remits_for_grades_each_estimate_exactly_or_by_the_deliberate_difference()
    {
        using var client = _host.Client(TestApiKeys.Finance);
        using var post = await client.PostAsync("/api/v1/batches", new StringContent(Census(), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var location = post.Headers.Location!.ToString();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonObject state;
        do
        {
            await Task.Delay(200);
            using var get = await client.GetAsync(location);
            state = await VerificationsHost.ReadAsync(get);
        }
        while ((string?)state["status"] != "completed" && waited.Elapsed < TimeSpan.FromSeconds(90));
        Assert.That((string?)state["status"], Is.EqualTo("completed"), state.ToJsonString());

        var file = await client.GetStringAsync($"{location}/sandbox-835?through=2026-12-11");
        Assert.That(file, Does.StartWith("ISA*"));
        using var upload = await client.PostAsync("/api/v1/remittances", new StringContent(file, Encoding.UTF8, "text/plain"));
        var remittance = await VerificationsHost.ReadAsync(upload);
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), remittance.ToJsonString());
        Assert.That(remittance["unmatched"]!.AsArray(), Is.Empty, remittance.ToJsonString());

        using var reportResponse = await client.GetAsync("/api/v1/reports/estimate-accuracy?from=2026-12-01&to=2026-12-31");
        var report = await VerificationsHost.ReadAsync(reportResponse);
        var patients = report["patients"]!.AsArray().ToDictionary(p => (string)p!["patientRef"]!, p => p!);
        Assert.Multiple(() =>
        {
            Assert.That(patients.Keys, Is.EquivalentTo(new[] { "R-1", "R-2", "R-3", "R-4" }));
            Assert.That(((int?)patients["R-4"]["days"], (int?)patients["R-4"]["deniedDays"]), Is.EqualTo((0, 5)));
            Assert.That(patients["R-4"]["notes"]!.ToJsonString(), Does.Contain("5 day(s) denied by the payer (CO 27)"));
            Assert.That(((decimal?)patients["R-1"]["estimatedPatient"], (decimal?)patients["R-1"]["actualPatient"], (decimal?)patients["R-1"]["error"]), Is.EqualTo((1490.00m, 1490.00m, 0m)));
            Assert.That(((decimal?)patients["R-2"]["estimatedPatient"], (decimal?)patients["R-2"]["actualPatient"], (decimal?)patients["R-2"]["error"]), Is.EqualTo((860.00m, 840.00m, 20.00m)));
            Assert.That(((decimal?)patients["R-3"]["estimatedPatient"], (decimal?)patients["R-3"]["actualPatient"], (decimal?)patients["R-3"]["error"]), Is.EqualTo((950.00m, 950.00m, 0m)));
            Assert.That((decimal?)report["total"]!["meanAbsoluteError"], Is.EqualTo(6.67m));
        });
        var humana = report["byPayer"]!.AsArray().Single(p => (string?)p!["payerId"] == "61101")!;
        Assert.Multiple(() =>
        {
            Assert.That((decimal?)humana["meanAbsoluteError"], Is.EqualTo(10.00m));
            Assert.That((decimal?)humana["allowedPerDay"]!["median"], Is.EqualTo(380.00m));
            Assert.That((int?)humana["allowedPerDay"]!["count"], Is.EqualTo(10));
            Assert.That((decimal?)humana["allowedPerDay"]!["configured"], Is.EqualTo(400.00m));
            Assert.That((decimal?)humana["allowedPerDay"]!["suggested"], Is.EqualTo(380.00m));
        });
    }
}
