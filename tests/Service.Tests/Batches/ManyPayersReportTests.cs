using System.Text.RegularExpressions;
using ClosedXML.Excel;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Tests.Pages;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// Issue 19: the HTML and XLSX charts stay readable with many payers — the eight largest by name and one "Others"
/// group, bars across with one label per line — and the tables scroll within their own frame.
/// </summary>
internal sealed partial class ManyPayersReportTests
{
    // Ten payers, the tenth and ninth the smallest; names long enough to have overlapped as bar labels below the axis.
    private static readonly IReadOnlyList<BatchReportRow> Rows =
    [
        .. Enumerable.Range(1, 10).SelectMany(p => Enumerable.Range(1, 3).Select(n => new BatchReportRow
        {
            Line = (p * 10) + n,
            PatientRef = $"M-{p:D2}-{n}",
            Status = BatchRowStatus.Completed,
            Active = true,
            PayerId = $"P{p:D4}",
            PayerName = $"REGIONAL BEHAVIORAL HEALTH PLAN {p}",
            EstimatedPatientTotal = 1000m * (11 - p),
            EstimatedPayerTotal = 3000m * (11 - p),
            EstimatedSelfPayTotal = p == 3 ? 500m : 0m,
            Flags = p == 3 ? "self-pay ($500.00): coverage not active" : null,
        })),
    ];

    private static BatchReport Report => new("01a2b3c4-0000-7000-8000-000000000010", "census-ten-payers.csv", ReportSamples.GeneratedAt, Rows, []);

    [Test]
    public void The_chart_names_the_eight_largest_payers_and_groups_the_others()
    {
        var groups = BatchReportCharts.Grouped(Report.Summary);

        Assert.Multiple(() =>
        {
            Assert.That(groups.Select(g => g.Label), Is.EqualTo(new[]
            {
                "REGIONAL BEHAVIORAL HEALTH PLAN 1", "REGIONAL BEHAVIORAL HEALTH PLAN 2", "REGIONAL BEHAVIORAL HEALTH PLAN 3",
                "REGIONAL BEHAVIORAL HEALTH PLAN 4", "REGIONAL BEHAVIORAL HEALTH PLAN 5", "REGIONAL BEHAVIORAL HEALTH PLAN 6",
                "REGIONAL BEHAVIORAL HEALTH PLAN 7", "REGIONAL BEHAVIORAL HEALTH PLAN 8", "Others (2 payers)",
            }));
            // Payers 9 and 10: 3 patients each at 2,000 + 1,000 patient and 6,000 + 3,000 payer.
            Assert.That((groups[^1].Patients, groups[^1].ExpectedPatientTotal, groups[^1].ExpectedPayerTotal), Is.EqualTo((6, 9_000m, 27_000m)));
            Assert.That(groups.Sum(g => g.ExpectedPayerTotal), Is.EqualTo(Report.Total.ExpectedPayerTotal), "nothing dropped");
        });
    }

    [Test]
    public void Nine_payers_are_all_named()
    {
        var nine = PayerSummary.FromRows(Rows.Where(r => r.PayerId != "P0010"));
        Assert.That(BatchReportCharts.Grouped(nine).Select(g => g.Label), Has.None.StartsWith("Others"));
    }

    [Test]
    public void The_svg_chart_has_one_label_per_group_each_on_its_own_line()
    {
        var svg = BatchReportCharts.AmountsByPayerSvg(Report.Summary);
        var labels = TextElement().Matches(svg).Select(m => (Text: m.Groups["text"].Value.Trim(), Y: double.Parse(m.Groups["y"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(t => t.Text.StartsWith("REGIONAL", StringComparison.Ordinal) || t.Text.StartsWith("Others", StringComparison.Ordinal))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(labels, Has.Count.EqualTo(9));
            var ys = labels.Select(l => l.Y).Order().ToList();
            Assert.That(ys.Zip(ys.Skip(1), (a, b) => b - a), Is.All.GreaterThan(16), "labels at least a line apart");
        });
    }

    [Test]
    public async Task The_workbook_charts_the_same_groups_as_in_cell_bars()
    {
        using var buffer = new MemoryStream();
        await new XlsxReportWriter().WriteAsync(Report, buffer);
        buffer.Position = 0;
        using var workbook = new XLWorkbook(buffer);
        var sheet = workbook.Worksheet(XlsxReportWriter.ChartsSheet);

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(3, 9).Select(r => sheet.Cell(r, 1).GetString()), Is.EqualTo(BatchReportCharts.Grouped(Report.Summary).Select(g => g.Label)));
            Assert.That(sheet.Cell(11, 1).GetString(), Is.EqualTo("Others (2 payers)"));
            Assert.That(sheet.Cell(11, 2).GetValue<decimal>(), Is.EqualTo(27_000m));
            Assert.That(sheet.ConditionalFormats.Count(), Is.EqualTo(4), "a data bar on each amount column and on the standings");
        });
    }

    [Test]
    public async Task The_html_report_with_ten_payers_stays_within_the_screen()
    {
        using var buffer = new MemoryStream();
        await new HtmlReportWriter().WriteAsync(Report, buffer);
        var file = Path.Combine(Chromium.ScreenshotFolder(), "batch-report-ten-payers.html");
        await File.WriteAllBytesAsync(file, buffer.ToArray());

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            var rowsFrame = await page.EvaluateAsync<int[]>("(() => { const f = document.getElementById('rows-frame'); return [f.clientWidth, f.scrollWidth]; })()");
            await Chromium.ScreenshotAsync(page, "batch-report-ten-payers", fullPage: true);

            Assert.Multiple(() =>
            {
                Assert.That(pageWidth, Is.LessThanOrEqualTo(1280), "the page itself does not scroll sideways");
                Assert.That(rowsFrame[1], Is.GreaterThan(rowsFrame[0]), "the wide rows table scrolls within its frame");
            });
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    // Skia's SVG places each text by a transform and each glyph by its own x.
    [GeneratedRegex(@"<text transform=""translate\((?<x>[-0-9.]+) (?<y>[-0-9.]+)\)""[^>]*>(?<text>[^<]*)</text>")]
    private static partial Regex TextElement();
}
