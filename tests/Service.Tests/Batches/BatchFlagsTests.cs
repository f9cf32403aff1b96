using System.Globalization;
using System.Net;
using System.Text;
using ClosedXML.Excel;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Tests.Verifications;
using CsvHelper;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// Issue 19, reproduced with the sandbox's members: a terminated patient's self-pay sat under the payer, a carved-out
/// patient counted as active with $0/$0, and rows carried no flags. The whole path runs: census, worker, sandbox
/// clearinghouse, estimate, and the CSV and XLSX reports.
/// </summary>
internal sealed class BatchFlagsTests
{
    private static readonly string[] Rows =
    [
        "F-AVA,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00",
        "F-FAY,FAY,TERMINATED,1970-11-02,60054,W100000009,AET100,2026-12-07,5,8,450.00",
        "F-ELI,ELI,VISITCAP,1995-07-07,60054,W100000005,AET100,2026-12-07,5,8,450.00",
        "F-IDA,IDA,CARVEOUT,1975-12-24,62308,C400000001,CIG5500,2026-12-07,5,8,450.00",
        "F-HAL,HAL,OONONLY,1992-02-29,87726,U300000001,UHC7701,2027-01-04,5,8,450.00",
    ];

    private VerificationsHost _host = null!;
    private Dictionary<string, Dictionary<string, string>> _csv = null!;
    private XLWorkbook _workbook = null!;

    [OneTimeSetUp]
    public async Task RunTheCensus()
    {
        _host = new VerificationsHost();
        using var client = _host.Client(TestApiKeys.Finance);
        var census = new StringBuilder(Census.Header).Append('\n');
        foreach (var row in Rows)
        {
            census.Append(row).Append(Census.ConsentFields).Append('\n');
        }

        using var post = await client.PostAsync("/api/v1/batches", new StringContent(census.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var location = post.Headers.Location!.ToString();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var get = await client.GetAsync(location);
            var state = await VerificationsHost.ReadAsync(get);
            if ((string?)state["status"] == "completed" && (int)state["counts"]!["queued"]! + (int)state["counts"]!["in-progress"]! == 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        using var csvResponse = await client.GetAsync(location + "/report.csv");
        using var csv = new CsvReader(new StreamReader(await csvResponse.Content.ReadAsStreamAsync()), CultureInfo.InvariantCulture);
        _csv = [];
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            var row = csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!);
            _csv[row["patient_ref"]] = row;
        }

        using var xlsx = await client.GetAsync(location + "/report.xlsx");
        _workbook = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
    }

    [OneTimeTearDown]
    public void StopHost()
    {
        _workbook.Dispose();
        _host.Dispose();
    }

    [Test]
    public void A_terminated_patient_s_self_pay_is_apart_from_the_payer_s_money()
    {
        var fay = _csv["F-FAY"];
        var aetna = SummaryRow("60054");
        Assert.Multiple(() =>
        {
            Assert.That(fay["flags"], Is.EqualTo("self-pay ($14,000.00): coverage not active"));
            Assert.That(Money(fay["estimated_self_pay_total"]), Is.EqualTo(Money(fay["estimated_patient_total"])).And.GreaterThan(0m));
            Assert.That(Money(fay["estimated_cost_share_total"]), Is.Zero);
            // Aetna's patients' cost sharing: AVA's whole patient total, ELI's less the days past the visit limit; none of FAY's.
            var costShare = Money(_csv["F-AVA"]["estimated_patient_total"]) + Money(_csv["F-ELI"]["estimated_patient_total"]) - Money(_csv["F-ELI"]["estimated_self_pay_total"]);
            Assert.That(aetna.Cell(10).GetValue<decimal>(), Is.EqualTo(costShare), "Expected patient total");
            Assert.That(aetna.Cell(13).GetValue<decimal>(), Is.EqualTo(Money(fay["estimated_self_pay_total"]) + Money(_csv["F-ELI"]["estimated_self_pay_total"])), "Expected self-pay");
            Assert.That(aetna.Cell(11).GetValue<decimal>(), Is.EqualTo(Money(_csv["F-AVA"]["estimated_payer_total"]) + Money(_csv["F-ELI"]["estimated_payer_total"])), "Expected payer total");
            Assert.That(aetna.Cell(6).GetValue<int>(), Is.EqualTo(1), "FAY counts as ended");
        });
    }

    [Test]
    public void A_carved_out_patient_is_not_counted_active_with_nothing_owed()
    {
        var ida = _csv["F-IDA"];
        var cigna = SummaryRow("62308");
        Assert.Multiple(() =>
        {
            Assert.That(ida["flags"], Is.EqualTo("carved out to EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR, phone 8005551234: not verified, no estimate"));
            Assert.That(ida["estimated_patient_total"], Is.Empty, "not $0: nothing was estimated");
            Assert.That(cigna.Cell(4).GetValue<int>(), Is.Zero, "Active");
            Assert.That(cigna.Cell(12).GetValue<int>(), Is.EqualTo(1), "Carved out");
        });
    }

    [Test]
    public void Rows_say_in_words_what_finance_must_know()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_csv["F-ELI"]["flags"], Is.EqualTo("self-pay ($4,550.00): days past the visit limit; visit limit reached"));
            Assert.That(_csv["F-HAL"]["flags"], Does.Contain("out of network"));
            Assert.That(_csv["F-AVA"]["flags"], Is.Empty);
        });
    }

    [Test]
    public void The_contract_columns_come_first_and_unchanged()
    {
        string[] contract =
        [
            "patient_ref", "status", "active", "payer_id", "deductible_remaining", "out_of_pocket_remaining", "copay_per_day",
            "coinsurance_percent", "prior_authorization_required", "estimated_patient_total", "estimated_payer_total", "error_code", "error_description",
        ];
        Assert.That(_csv["F-AVA"].Keys.Take(13), Is.EqualTo(contract));
    }

    private IXLRow SummaryRow(string payerId) =>
        _workbook.Worksheet(XlsxReportWriter.SummarySheet).RowsUsed().Single(r => r.Cell(1).GetString() == payerId);

    private static decimal Money(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
