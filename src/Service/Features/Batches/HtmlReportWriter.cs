using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The report as one self-contained HTML page: summary by payer, two ScottPlot charts as inline SVG, the changes since
/// the previous run, and every row. No scripts, no external fonts, images or CSS; the page carries its own
/// Content-Security-Policy (its one style block is allowed by hash), so it opens the same from a disk or a server
/// with a strict policy. Every value is HTML-encoded. The markup is also well-formed XML.
/// </summary>
internal sealed class HtmlReportWriter : IBatchReportWriter
{
    internal const string Styles =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:2rem;color:#1d1d1f}" +
        "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}" +
        "table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}" +
        "th{background:#dce6f1;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
        "tr.rejected td{background:#fbeaea}tr.total td{font-weight:bold}" +
        "figure{margin:1rem 0;max-width:900px}svg{max-width:100%;height:auto}.meta{color:#555}" +
        // Wide and long tables scroll inside their own frame (#19), the page stays one screen wide; headers stay in view.
        ".frame{overflow:auto;max-width:100%;max-height:75vh;border:1px solid #c8c8c8}.frame table{border:0}td{white-space:nowrap}td.wrap{white-space:normal;min-width:18rem}";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>The policy in the page: nothing may load or run; only the page's own style block applies.</summary>
    public static string ContentSecurityPolicy { get; } =
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Styles))) + "'; base-uri 'none'; form-action 'none'";

    public BatchReportFormat Format => BatchReportFormat.Html;

    public string ContentType => "text/html; charset=utf-8";

    public string FileExtension => ".html";

    public async Task WriteAsync(BatchReport report, Stream output, CancellationToken cancellationToken = default)
    {
        var summary = report.Summary;
        var amountsChart = BatchReportCharts.AmountsByPayerSvg(summary);
        var statusChart = BatchReportCharts.CoverageStatusSvg(report.Rows);

        await using var html = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        var title = "Census batch " + report.BatchId;

        var head = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Encode(ContentSecurityPolicy)).Append("\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(Styles).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n<p class=\"meta\">")
            .Append(report.SourceName is { } source ? Encode(source) + " &#183; " : string.Empty)
            .Append(Encode(report.Rows.Count.ToString("N0", CultureInfo.InvariantCulture))).Append(" census rows &#183; generated ")
            .Append(Encode(report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(". Amounts are estimates from in-network benefits; a blank figure was not given by the payer.</p>\n");
        await html.WriteAsync(head, cancellationToken);

        await html.WriteAsync(SummaryTable(summary, report.Total), cancellationToken);

        await html.WriteAsync("<h2>Charts</h2>\n<figure id=\"chart-amounts-by-payer\">".AsMemory(), cancellationToken);
        await html.WriteAsync(amountsChart.AsMemory(), cancellationToken);
        await html.WriteAsync("<figcaption>Expected payer, patient cost-sharing and self-pay amounts by payer (the largest payers, then the others together)</figcaption></figure>\n<figure id=\"chart-coverage-status\">".AsMemory(), cancellationToken);
        await html.WriteAsync(statusChart.AsMemory(), cancellationToken);
        await html.WriteAsync("<figcaption>Coverage status of every census row</figcaption></figure>\n".AsMemory(), cancellationToken);

        await html.WriteAsync(ChangesTable(report), cancellationToken);

        await html.WriteAsync("<h2>All rows</h2>\n<div class=\"frame\" id=\"rows-frame\">\n<table id=\"rows\">\n<thead><tr>".AsMemory(), cancellationToken);
        var header = new StringBuilder();
        foreach (var column in BatchReportColumns.All)
        {
            header.Append("<th scope=\"col\">").Append(Encode(column.Name)).Append("</th>");
        }

        header.Append("</tr></thead>\n<tbody>\n");
        await html.WriteAsync(header, cancellationToken);

        var line = new StringBuilder();
        foreach (var row in report.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line.Clear();
            line.Append(row.Status == BatchRowStatus.Rejected ? "<tr class=\"rejected\">" : "<tr>");
            foreach (var column in BatchReportColumns.All)
            {
                var value = column.Value(row);
                var numeric = column.Kind is ReportValueKind.Money or ReportValueKind.Integer or ReportValueKind.Percent;
                line.Append(numeric ? "<td class=\"num\">" : column.Width >= 40 ? "<td class=\"wrap\">" : "<td>")
                    .Append(Encode(column.Kind == ReportValueKind.Money ? ReportText.Money((decimal?)value) : ReportText.Format(value)))
                    .Append("</td>");
            }

            line.Append("</tr>\n");
            await html.WriteAsync(line, cancellationToken);
        }

        await html.WriteAsync("</tbody>\n</table>\n</div>\n</body>\n</html>\n".AsMemory(), cancellationToken);
        await html.FlushAsync(cancellationToken);
    }

    private static StringBuilder SummaryTable(IReadOnlyList<PayerSummary> summary, PayerSummary total)
    {
        var table = new StringBuilder("<h2>Summary by payer</h2>\n<div class=\"frame\">\n<table id=\"summary\">\n<thead><tr>");
        foreach (var name in new[] { "Payer ID", "Payer", "Patients", "Active", "Ends before program", "Ended", "Needs review", "Pending", "Rejected", "Expected patient total", "Expected payer total", "Carved out", "Expected self-pay" })
        {
            table.Append("<th scope=\"col\">").Append(Encode(name)).Append("</th>");
        }

        table.Append("</tr></thead>\n<tbody>\n");
        foreach (var payer in summary)
        {
            SummaryRow(table, "<tr>", payer.PayerId, payer.PayerName ?? string.Empty, payer);
        }

        table.Append("</tbody>\n<tfoot>\n");
        SummaryRow(table, "<tr class=\"total\">", "Total", string.Empty, total);
        return table.Append("</tfoot>\n</table>\n</div>\n<p class=\"meta\">").Append(Encode(XlsxReportWriter.SummaryNote)).Append("</p>\n");
    }

    private static void SummaryRow(StringBuilder table, string open, string payerId, string payerName, PayerSummary s)
    {
        table.Append(open)
            .Append("<td>").Append(Encode(payerId)).Append("</td><td>").Append(Encode(payerName)).Append("</td>");
        foreach (var count in new[] { s.Patients, s.Active, s.EndsBeforeProgram, s.Ended, s.NeedsReview, s.Pending, s.Rejected })
        {
            table.Append("<td class=\"num\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
        }

        table.Append("<td class=\"num\">").Append(ReportText.Money(s.ExpectedPatientTotal)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportText.Money(s.ExpectedPayerTotal)).Append("</td>")
            .Append("<td class=\"num\">").Append(s.CarvedOut.ToString(CultureInfo.InvariantCulture)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportText.Money(s.ExpectedSelfPayTotal)).Append("</td></tr>\n");
    }

    private static StringBuilder ChangesTable(BatchReport report)
    {
        var table = new StringBuilder("<h2>Changes since the previous run</h2>\n");
        if (report.PreviousRunAt is null)
        {
            return table.Append("<p class=\"meta\">First run of this census: no changes to compare.</p>\n");
        }

        table.Append("<p class=\"meta\">Against the run of ")
            .Append(Encode(report.PreviousRunAt.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(".</p>\n<div class=\"frame\">\n<table id=\"changes\">\n<thead><tr><th scope=\"col\">patient_ref</th><th scope=\"col\">change</th><th scope=\"col\">before</th><th scope=\"col\">after</th></tr></thead>\n<tbody>\n");
        foreach (var change in report.Changes)
        {
            table.Append("<tr><td>").Append(Encode(change.PatientRef))
                .Append("</td><td>").Append(Encode(change.KindName))
                .Append("</td><td>").Append(Encode(change.Before ?? string.Empty))
                .Append("</td><td>").Append(Encode(change.After ?? string.Empty))
                .Append("</td></tr>\n");
        }

        return table.Append("</tbody>\n</table>\n</div>\n");
    }

    private static string Encode(string text) => Encoder.Encode(text);
}
