using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ClosedXML.Excel;
using CoverageCheck.Service.Features.Batches;
using CsvHelper;

namespace CoverageCheck.Service.Tests.Batches;

internal sealed class ReportWriterTests
{
    private static readonly string[] ContractColumns =
    [
        "patient_ref", "status", "active", "payer_id", "deductible_remaining", "out_of_pocket_remaining", "copay_per_day",
        "coinsurance_percent", "prior_authorization_required", "estimated_patient_total", "estimated_payer_total", "error_code", "error_description",
    ];

    [Test]
    public async Task The_CSV_starts_with_the_documented_columns_and_parses_back_to_the_same_values()
    {
        var bytes = await WriteAsync(BatchReportFormat.Csv, ReportSamples.Report());

        Assert.That(bytes.AsSpan(0, 3).ToArray(), Is.EqualTo(Encoding.UTF8.GetPreamble()), "Excel needs the BOM to read UTF-8");
        using var csv = new CsvReader(new StreamReader(new MemoryStream(bytes)), CultureInfo.InvariantCulture);
        await csv.ReadAsync();
        csv.ReadHeader();
        Assert.That(csv.HeaderRecord!.Take(ContractColumns.Length), Is.EqualTo(ContractColumns));
        Assert.That(csv.HeaderRecord, Is.EqualTo(BatchReportColumns.All.Select(c => c.Name)));

        var i = 0;
        while (await csv.ReadAsync())
        {
            var row = ReportSamples.Rows[i++];
            Assert.Multiple(() =>
            {
                Assert.That(csv.GetField<int>("line"), Is.EqualTo(row.Line));
                Assert.That(csv.GetField("status"), Is.EqualTo(row.Status));
                Assert.That(csv.GetField<bool?>("active"), Is.EqualTo(row.Active));
                Assert.That(csv.GetField("payer_id"), Is.EqualTo(row.PayerId ?? string.Empty));
                Assert.That(csv.GetField<decimal?>("deductible_remaining"), Is.EqualTo(row.DeductibleRemaining));
                Assert.That(csv.GetField<decimal?>("out_of_pocket_remaining"), Is.EqualTo(row.OutOfPocketRemaining));
                Assert.That(csv.GetField<decimal?>("copay_per_day"), Is.EqualTo(row.CopayPerDay));
                Assert.That(csv.GetField<decimal?>("coinsurance_percent"), Is.EqualTo(row.CoinsurancePercent));
                Assert.That(csv.GetField<bool?>("prior_authorization_required"), Is.EqualTo(row.PriorAuthorizationRequired));
                Assert.That(csv.GetField<decimal?>("estimated_patient_total"), Is.EqualTo(row.EstimatedPatientTotal));
                Assert.That(csv.GetField<decimal?>("estimated_payer_total"), Is.EqualTo(row.EstimatedPayerTotal));
                Assert.That(csv.GetField("error_code"), Is.EqualTo(row.ErrorCode ?? string.Empty));
                Assert.That(csv.GetField("error_description"), Is.EqualTo(row.ErrorDescription ?? string.Empty));
                Assert.That(csv.GetField("payer_name"), Is.EqualTo(row.PayerName ?? string.Empty));
                Assert.That(csv.GetField<DateOnly?>("coverage_end"), Is.EqualTo(row.CoverageEnd));
                Assert.That(csv.GetField<bool?>("ends_before_program"), Is.EqualTo(row.EndsBeforeProgram));
                Assert.That(csv.GetField("patient_ref"), Is.EqualTo(row.PatientRef is { } r && r.StartsWith('=') ? "'" + r : row.PatientRef ?? string.Empty));
            });
        }

        Assert.That(i, Is.EqualTo(ReportSamples.Rows.Count));
    }

    [Test]
    public async Task The_workbook_has_typed_cells_a_frozen_filtered_header_and_explicit_widths()
    {
        using var workbook = await ReadWorkbookAsync(ReportSamples.Report());

        Assert.That(workbook.Worksheets.Select(w => w.Name), Is.EqualTo(new[] { "Report", "Summary by payer", "Changes", "Charts" }));
        var sheet = workbook.Worksheet("Report");
        var column = BatchReportColumns.All.Select((c, i) => (c.Name, Index: i + 1)).ToDictionary(x => x.Name, x => x.Index);

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(1, ContractColumns.Length).Select(c => sheet.Cell(1, c).GetString()), Is.EqualTo(ContractColumns));
            Assert.That(sheet.LastRowUsed().RowNumber(), Is.EqualTo(ReportSamples.Rows.Count + 1));
            Assert.That(sheet.SheetView.SplitRow, Is.EqualTo(1));
            Assert.That(sheet.AutoFilter.IsEnabled, Is.True);
            Assert.That(sheet.Column(column["error_description"]).Width, Is.EqualTo(60));

            // Row 2 is P-001.
            Assert.That(sheet.Cell(2, column["patient_ref"]).GetString(), Is.EqualTo("P-001"));
            Assert.That(sheet.Cell(2, column["active"]).DataType, Is.EqualTo(XLDataType.Boolean));
            Assert.That(sheet.Cell(2, column["active"]).GetBoolean(), Is.True);
            Assert.That(sheet.Cell(2, column["deductible_remaining"]).DataType, Is.EqualTo(XLDataType.Number));
            Assert.That(sheet.Cell(2, column["deductible_remaining"]).GetDouble(), Is.EqualTo(1300.00));
            Assert.That(sheet.Cell(2, column["deductible_remaining"]).Style.NumberFormat.Format, Is.EqualTo(XlsxReportWriter.MoneyFormat));
            Assert.That(sheet.Cell(2, column["coinsurance_percent"]).GetDouble(), Is.EqualTo(20));
            Assert.That(sheet.Cell(2, column["payer_id"]).DataType, Is.EqualTo(XLDataType.Text), "a payer ID such as 00710 is text, not a number");
            Assert.That(sheet.Cell(2, column["coverage_end"]).DataType, Is.EqualTo(XLDataType.DateTime));
            Assert.That(sheet.Cell(2, column["coverage_end"]).GetDateTime(), Is.EqualTo(new DateTime(2027, 12, 31)));
            Assert.That(sheet.Cell(2, column["coverage_end"]).Style.NumberFormat.Format, Is.EqualTo(XlsxReportWriter.DateFormat));
            Assert.That(sheet.Cell(2, column["line"]).GetDouble(), Is.EqualTo(2));

            // Row 3 is P-002, whose plan ends before the program.
            Assert.That(sheet.Cell(3, column["estimated_patient_total"]).GetDouble(), Is.EqualTo(1234.56));
            Assert.That(sheet.Cell(3, column["coinsurance_percent"]).GetDouble(), Is.EqualTo(12.5));
            Assert.That(sheet.Cell(3, column["ends_before_program"]).GetBoolean(), Is.True);

            // Row 5 holds text that would be a formula, and a payer with a leading zero.
            Assert.That(sheet.Cell(5, column["patient_ref"]).GetString(), Is.EqualTo("=HYPERLINK(\"http://evil\")"));
            Assert.That(sheet.Cell(5, column["patient_ref"]).HasFormula, Is.False);
            Assert.That(sheet.Cell(5, column["payer_id"]).GetString(), Is.EqualTo("00710"));
            Assert.That(sheet.Cell(5, column["active"]).IsEmpty(), Is.True, "unknown is blank, not false");
            Assert.That(sheet.Cell(5, column["deductible_remaining"]).IsEmpty(), Is.True, "unknown is blank, not zero");

            // Row 8 is a rejected census record.
            Assert.That(sheet.Cell(8, column["status"]).GetString(), Is.EqualTo("rejected"));
            Assert.That(sheet.Cell(8, column["error_code"]).GetString(), Is.EqualTo("unknown-payer"));
            Assert.That(sheet.Cell(8, column["line"]).GetDouble(), Is.EqualTo(9));
        });
    }

    [Test]
    public async Task The_workbook_summary_totals_equal_the_sums_of_the_report_rows()
    {
        using var workbook = await ReadWorkbookAsync(ReportSamples.Report());
        var report = workbook.Worksheet("Report");
        var summary = workbook.Worksheet("Summary by payer");
        var patientColumn = BatchReportColumns.All.ToList().FindIndex(c => c.Name == "estimated_patient_total") + 1;
        var payerColumn = BatchReportColumns.All.ToList().FindIndex(c => c.Name == "estimated_payer_total") + 1;

        var rowsPatient = Enumerable.Range(2, ReportSamples.Rows.Count).Sum(r => Money(report.Cell(r, patientColumn)));
        var rowsPayer = Enumerable.Range(2, ReportSamples.Rows.Count).Sum(r => Money(report.Cell(r, payerColumn)));

        var payers = PayerSummary.FromRows(ReportSamples.Rows).Count;
        var totalRow = payers + 2;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Cell(1, 3).GetString(), Is.EqualTo("Patients"));
            Assert.That(summary.Cell(totalRow, 1).GetString(), Is.EqualTo("Total"));
            Assert.That(summary.Cell(totalRow, 3).GetDouble(), Is.EqualTo(ReportSamples.Rows.Count));
            Assert.That(Money(summary.Cell(totalRow, 10)), Is.EqualTo(rowsPatient));
            Assert.That(Money(summary.Cell(totalRow, 11)), Is.EqualTo(rowsPayer));
            Assert.That(Enumerable.Range(2, payers).Sum(r => Money(summary.Cell(r, 10))), Is.EqualTo(rowsPatient));
            Assert.That(Enumerable.Range(2, payers).Sum(r => Money(summary.Cell(r, 11))), Is.EqualTo(rowsPayer));
            Assert.That(summary.Cell(totalRow, 10).Style.NumberFormat.Format, Is.EqualTo(XlsxReportWriter.MoneyFormat));
            Assert.That(summary.SheetView.SplitRow, Is.EqualTo(1));
        });

        var aetnaRow = Enumerable.Range(2, payers).Single(r => summary.Cell(r, 1).GetString() == "60054");
        Assert.Multiple(() =>
        {
            Assert.That(summary.Cell(aetnaRow, 2).GetString(), Is.EqualTo("AETNA"));
            Assert.That(summary.Cell(aetnaRow, 3).GetDouble(), Is.EqualTo(3));
            Assert.That(summary.Cell(aetnaRow, 4).GetDouble(), Is.EqualTo(2));
            Assert.That(summary.Cell(aetnaRow, 6).GetDouble(), Is.EqualTo(1));
            Assert.That(Money(summary.Cell(aetnaRow, 10)), Is.EqualTo(4014.56m));
        });
    }

    [Test]
    public async Task The_workbook_lists_the_changes()
    {
        var changes = new[] { new BatchChange("P-001", BatchChangeKind.DeductibleProgressed, "1500.00", "1300.00"), new BatchChange("P-003", BatchChangeKind.CoverageEnded, "active", "inactive") };
        using var workbook = await ReadWorkbookAsync(ReportSamples.Report(changes, ReportSamples.GeneratedAt.AddDays(-30)));
        var sheet = workbook.Worksheet("Changes");

        Assert.Multiple(() =>
        {
            Assert.That(sheet.Cell(1, 2).GetString(), Is.EqualTo("change"));
            Assert.That(sheet.Cell(2, 1).GetString(), Is.EqualTo("P-001"));
            Assert.That(sheet.Cell(2, 2).GetString(), Is.EqualTo("deductible-progressed"));
            Assert.That(sheet.Cell(2, 3).GetString(), Is.EqualTo("1500.00"), "before/after stay text, as compared");
            Assert.That(sheet.Cell(3, 2).GetString(), Is.EqualTo("coverage-ended"));
            Assert.That(sheet.LastRowUsed().RowNumber(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task The_HTML_is_well_formed_self_contained_and_holds_the_charts_and_every_row()
    {
        var bytes = await WriteAsync(BatchReportFormat.Html, ReportSamples.Report([new BatchChange("P-001", BatchChangeKind.PlanChanged, "60054 PPO", "60054 <HMO>")], ReportSamples.GeneratedAt.AddDays(-7)));
        var text = Encoding.UTF8.GetString(bytes);
        using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        var page = XDocument.Load(reader);
        XNamespace svg = "http://www.w3.org/2000/svg";

        Assert.That(text, Does.StartWith("<!DOCTYPE html>"));
        var all = page.Descendants().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all.Where(e => e.Name.LocalName == "script"), Is.Empty);
            Assert.That(all.Where(e => e.Attribute("style") is not null), Is.Empty, "a strict CSP blocks style attributes");
            Assert.That(all.Where(e => e.Name.LocalName is "link" or "img" or "iframe" or "object"), Is.Empty);
            Assert.That(all.SelectMany(e => e.Attributes()).Where(a => a.Value.Contains("http", StringComparison.OrdinalIgnoreCase) && a.Name.LocalName is "href" or "src"), Is.Empty);
        });

        var csp = all.Single(e => e.Name.LocalName == "meta" && (string?)e.Attribute("http-equiv") == "Content-Security-Policy");
        var style = all.Single(e => e.Name.LocalName == "style").Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.That((string?)csp.Attribute("content"), Does.StartWith("default-src 'none'; style-src 'sha256-" + hash + "'"));

        var charts = page.Descendants(svg + "svg").ToList();
        Assert.That(charts, Has.Count.EqualTo(2));
        Assert.That(charts.Select(c => (string?)c.Parent!.Attribute("id")), Is.EqualTo(new[] { "chart-amounts-by-payer", "chart-coverage-status" }));
        var amountLabels = charts[0].Descendants(svg + "text").Select(t => t.Value.Trim()).ToList();
        Assert.That(amountLabels, Does.Contain("AETNA").And.Contain("R&D <Regional> \"Plan\"").And.Contain("Patient cost sharing").And.Contain("Self-pay").And.Contain("Payer"));
        Assert.That(charts[0].Descendants(svg + "rect").Count(), Is.GreaterThanOrEqualTo(2 * 4), "two bars for each of four payers");
        var statusLabels = charts[1].Descendants(svg + "text").Select(t => t.Value.Trim()).ToList();
        Assert.That(statusLabels, Does.Contain("Ends before program").And.Contain("Rejected"));

        var rows = Table(page, "rows");
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(ReportSamples.Rows.Select(r => r.PatientRef ?? string.Empty)));
        Assert.That(rows[0][BatchReportColumns.All.ToList().FindIndex(c => c.Name == "estimated_payer_total")], Is.EqualTo("5,220.00"));
        Assert.That(rows[7][BatchReportColumns.All.ToList().FindIndex(c => c.Name == "error_description")], Is.EqualTo("patient_ref is missing. José's line"));

        var summary = page.Descendants().Single(e => (string?)e.Attribute("id") == "summary");
        var total = summary.Descendants().Single(e => e.Name.LocalName == "tfoot").Descendants().Where(e => e.Name.LocalName == "td").Select(e => e.Value).ToList();
        Assert.That(total[2], Is.EqualTo("8"));
        Assert.That(total[9], Is.EqualTo("4,014.57"));
        Assert.That(total[10], Is.EqualTo("33,985.43"));

        var changes = Table(page, "changes");
        Assert.That(changes.Single(), Is.EqualTo(new[] { "P-001", "plan-changed", "60054 PPO", "60054 <HMO>" }));
    }

    [Test]
    public async Task Ten_thousand_rows_are_written_in_every_format()
    {
        var report = ReportSamples.Large();
        foreach (var format in Enum.GetValues<BatchReportFormat>())
        {
            var stopwatch = Stopwatch.StartNew();
            await WriteAsync(format, report);
            var cold = stopwatch.ElapsedMilliseconds;
            stopwatch.Restart();
            var bytes = await WriteAsync(format, report);
            TestContext.Out.WriteLine($"{format}: {report.Rows.Count:N0} rows, {bytes.Length:N0} bytes in {stopwatch.ElapsedMilliseconds} ms (first write, with JIT: {cold} ms)");

            if (format == BatchReportFormat.Csv)
            {
                var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.That(lines, Has.Length.EqualTo(report.Rows.Count + 1));
            }
            else if (format == BatchReportFormat.Xlsx)
            {
                using var workbook = new XLWorkbook(new MemoryStream(bytes));
                Assert.That(workbook.Worksheet("Report").LastRowUsed().RowNumber(), Is.EqualTo(report.Rows.Count + 1));
                var summary = workbook.Worksheet("Summary by payer");
                Assert.That(Money(summary.Cell(10, 10)), Is.EqualTo(report.Rows.Sum(r => r.EstimatedPatientTotal!.Value)));
            }
            else
            {
                Assert.That(Encoding.UTF8.GetString(bytes), Does.EndWith("</html>\n"));
            }
        }
    }

    [TestCase("csv", BatchReportFormat.Csv)]
    [TestCase(".XLSX", BatchReportFormat.Xlsx)]
    [TestCase("Html", BatchReportFormat.Html)]
    public void A_format_is_read_from_its_name(string name, BatchReportFormat expected)
    {
        Assert.That(BatchReportWriters.TryParseFormat(name, out var format), Is.True);
        Assert.That(format, Is.EqualTo(expected));
        Assert.That(BatchReportWriters.For(format).Format, Is.EqualTo(expected));
    }

    [TestCase("pdf")]
    [TestCase("1")]
    [TestCase("")]
    [TestCase(null)]
    public void An_unknown_format_is_refused(string? name) =>
        Assert.That(BatchReportWriters.TryParseFormat(name, out _), Is.False);

    private static async Task<byte[]> WriteAsync(BatchReportFormat format, BatchReport report)
    {
        using var output = new MemoryStream();
        await BatchReportWriters.For(format).WriteAsync(report, output);
        return output.ToArray();
    }

    private static async Task<XLWorkbook> ReadWorkbookAsync(BatchReport report) =>
        new(new MemoryStream(await WriteAsync(BatchReportFormat.Xlsx, report)));

    /// <summary>Workbook numbers are doubles; amounts in cents round-trip exactly once rounded to the cent.</summary>
    private static decimal Money(IXLCell cell) => cell.IsEmpty() ? 0m : Math.Round((decimal)cell.GetDouble(), 2);

    private static List<string[]> Table(XDocument page, string id) =>
        page.Descendants().Single(e => (string?)e.Attribute("id") == id)
            .Descendants().Single(e => e.Name.LocalName == "tbody")
            .Elements().Select(tr => tr.Elements().Select(td => td.Value).ToArray()).ToList();
}
