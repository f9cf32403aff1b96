using System.Globalization;
using ClosedXML.Excel;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The report as an Excel workbook: sheets "Report" (one row per census record, in input order),
/// "Summary by payer" and "Changes". Cells are typed (numbers, booleans, dates), money is in a currency format,
/// header rows are frozen and filterable. Column widths are set explicitly: ClosedXML's AdjustToContents measures
/// text through GDI+, which Linux hosts do not have.
/// </summary>
internal sealed class XlsxReportWriter : IBatchReportWriter
{
    public const string ReportSheet = "Report";
    public const string SummarySheet = "Summary by payer";
    public const string ChangesSheet = "Changes";
    public const string ChartsSheet = "Charts";

    public const string MoneyFormat = "\"$\"#,##0.00";
    public const string PercentFormat = "General\"%\"";
    public const string DateFormat = "yyyy-mm-dd";

    private static readonly XLColor HeaderFill = XLColor.FromHtml("#DCE6F1");

    public BatchReportFormat Format => BatchReportFormat.Xlsx;

    public string ContentType => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public string FileExtension => ".xlsx";

    public async Task WriteAsync(BatchReport report, Stream output, CancellationToken cancellationToken = default)
    {
        // ClosedXML writes synchronously; the package is built in memory and copied out asynchronously
        // (ASP.NET Core refuses synchronous writes to a response).
        using var buffer = new MemoryStream();
        using (var workbook = new XLWorkbook())
        {
            WriteReport(workbook.Worksheets.Add(ReportSheet), report, cancellationToken);
            WriteSummary(workbook.Worksheets.Add(SummarySheet), report);
            WriteChanges(workbook.Worksheets.Add(ChangesSheet), report);
            WriteCharts(workbook.Worksheets.Add(ChartsSheet), report);
            workbook.SaveAs(buffer);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    private static void WriteReport(IXLWorksheet sheet, BatchReport report, CancellationToken cancellationToken)
    {
        var columns = BatchReportColumns.All;
        for (var c = 0; c < columns.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(columns[c].Name);
            var column = sheet.Column(c + 1);
            column.Width = columns[c].Width;

            // A column format is inherited by the cells written after it, which is much cheaper than styling ranges later.
            var format = columns[c].Kind switch
            {
                ReportValueKind.Money => MoneyFormat,
                ReportValueKind.Percent => PercentFormat,
                ReportValueKind.Date => DateFormat,
                _ => null,
            };
            if (format is not null)
            {
                column.Style.NumberFormat.Format = format;
            }
        }

        var r = 2;
        foreach (var row in report.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var c = 0; c < columns.Count; c++)
            {
                SetTyped(sheet.Cell(r, c + 1), columns[c].Kind, columns[c].Value(row));
            }

            r++;
        }

        var lastRow = Math.Max(r - 1, 1);
        FinishTable(sheet, lastRow, columns.Count);
    }

    private static void WriteSummary(IXLWorksheet sheet, BatchReport report)
    {
        string[] headers =
        [
            "Payer ID", "Payer", "Patients", "Active", "Ends before program", "Ended", "Needs review", "Pending", "Rejected",
            "Expected patient total", "Expected payer total", "Carved out", "Expected self-pay",
        ];
        double[] widths = [10, 28, 10, 10, 12, 10, 12, 10, 10, 16, 16, 10, 16];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(headers[c]);
            sheet.Column(c + 1).Width = widths[c];
        }

        var r = 2;
        foreach (var payer in report.Summary)
        {
            WriteSummaryRow(sheet, r++, payer.PayerId, payer.PayerName ?? string.Empty, payer);
        }

        var lastPayerRow = Math.Max(r - 1, 1);
        FinishTable(sheet, lastPayerRow, headers.Length);

        var totalRow = r;
        WriteSummaryRow(sheet, totalRow, "Total", string.Empty, report.Total);
        sheet.Row(totalRow).Style.Font.Bold = true;
        sheet.Range(2, 10, totalRow, 11).Style.NumberFormat.Format = MoneyFormat;
        sheet.Range(2, 13, totalRow, 13).Style.NumberFormat.Format = MoneyFormat;

        var noteRow = totalRow + 2;
        sheet.Cell(noteRow, 1).SetValue($"Batch {report.BatchId}" + (report.SourceName is { } name ? $" ({name})" : string.Empty));
        sheet.Cell(noteRow + 1, 1).SetValue("Generated " + report.GeneratedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        sheet.Cell(noteRow + 2, 1).SetValue(report.PreviousRunAt is { } previous
            ? "Changes are against the run of " + previous.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + "."
            : "First run of this census: no changes to compare.");
        sheet.Cell(noteRow + 3, 1).SetValue("Amounts are estimates from in-network benefits; blank figures were not given by the payer.");
        sheet.Cell(noteRow + 4, 1).SetValue(SummaryNote);
    }

    private static void WriteSummaryRow(IXLWorksheet sheet, int r, string payerId, string payerName, PayerSummary s)
    {
        sheet.Cell(r, 1).SetValue(payerId);
        sheet.Cell(r, 2).SetValue(payerName);
        sheet.Cell(r, 3).SetValue(s.Patients);
        sheet.Cell(r, 4).SetValue(s.Active);
        sheet.Cell(r, 5).SetValue(s.EndsBeforeProgram);
        sheet.Cell(r, 6).SetValue(s.Ended);
        sheet.Cell(r, 7).SetValue(s.NeedsReview);
        sheet.Cell(r, 8).SetValue(s.Pending);
        sheet.Cell(r, 9).SetValue(s.Rejected);
        sheet.Cell(r, 10).SetValue(s.ExpectedPatientTotal);
        sheet.Cell(r, 11).SetValue(s.ExpectedPayerTotal);
        sheet.Cell(r, 12).SetValue(s.CarvedOut);
        sheet.Cell(r, 13).SetValue(s.ExpectedSelfPayTotal);
    }

    /// <summary>What the summary's money columns hold (#19), shown under the summary in every format.</summary>
    public const string SummaryNote =
        "Expected patient total is the patients' cost sharing under each payer's plans; self-pay (days no plan pays for: " +
        "coverage ended or not active, care not covered, visit limit reached) is apart in Expected self-pay. " +
        "Carved out: covered, but the behavioural-health benefits are with an administrator not verified, so nothing was estimated.";

    private static void WriteChanges(IXLWorksheet sheet, BatchReport report)
    {
        string[] headers = ["patient_ref", "change", "before", "after"];
        double[] widths = [16, 24, 24, 24];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(headers[c]);
            sheet.Column(c + 1).Width = widths[c];
        }

        var r = 2;
        foreach (var change in report.Changes)
        {
            sheet.Cell(r, 1).SetValue(change.PatientRef);
            sheet.Cell(r, 2).SetValue(change.KindName);
            sheet.Cell(r, 3).SetValue(change.Before ?? string.Empty);
            sheet.Cell(r, 4).SetValue(change.After ?? string.Empty);
            r++;
        }

        FinishTable(sheet, Math.Max(r - 1, 1), headers.Length);
    }

    /// <summary>
    /// The HTML report's two charts as in-cell bars (conditional-format data bars: ClosedXML draws no charts, and its
    /// pictures need GDI+, which Linux hosts lack): the <see cref="BatchReportCharts.TopPayers"/> largest payers by
    /// name and the others as one group, one payer per row, so they stay readable with many payers (#19).
    /// </summary>
    private static void WriteCharts(IXLWorksheet sheet, BatchReport report)
    {
        sheet.Cell(1, 1).SetValue($"{BatchReportCharts.AmountsTitle}: the {BatchReportCharts.TopPayers} largest payers, then the others together (every payer is on sheet {SummarySheet})");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        string[] headers = ["Payer", "Expected payer total", "Expected patient total", "Expected self-pay"];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(2, c + 1).SetValue(headers[c]);
        }

        var groups = BatchReportCharts.Grouped(report.Summary);
        var r = 3;
        foreach (var payer in groups)
        {
            sheet.Cell(r, 1).SetValue(payer.Label);
            sheet.Cell(r, 2).SetValue(payer.ExpectedPayerTotal);
            sheet.Cell(r, 3).SetValue(payer.ExpectedPatientTotal);
            sheet.Cell(r, 4).SetValue(payer.ExpectedSelfPayTotal);
            r++;
        }

        if (groups.Count > 0)
        {
            var amounts = sheet.Range(3, 2, r - 1, 4);
            amounts.Style.NumberFormat.Format = MoneyFormat;
            // One scale for all three columns, so bars compare across them.
            var max = groups.Max(g => Math.Max(g.ExpectedPayerTotal, Math.Max(g.ExpectedPatientTotal, g.ExpectedSelfPayTotal)));
            foreach (var (column, hex) in new[] { (2, "#E07B39"), (3, "#2F6DB5"), (4, "#8E5EA2") })
            {
                sheet.Range(3, column, r - 1, column).AddConditionalFormat()
                    .DataBar(XLColor.FromHtml(hex))
                    .Minimum(XLCFContentType.Number, 0)
                    .Maximum(XLCFContentType.Number, (double)Math.Max(max, 1m));
            }
        }

        var status = r + 1;
        sheet.Cell(status, 1).SetValue(BatchReportCharts.StatusTitle);
        sheet.Cell(status, 1).Style.Font.Bold = true;
        sheet.Cell(status + 1, 1).SetValue("Standing");
        sheet.Cell(status + 1, 2).SetValue("Patients");
        var counts = report.Rows.GroupBy(row => row.Standing).ToDictionary(g => g.Key, g => g.Count());
        var s = status + 2;
        foreach (var standing in Enum.GetValues<CoverageStanding>())
        {
            sheet.Cell(s, 1).SetValue(BatchReportCharts.LabelOf(standing));
            sheet.Cell(s, 2).SetValue(counts.GetValueOrDefault(standing));
            s++;
        }

        sheet.Range(status + 2, 2, s - 1, 2).AddConditionalFormat()
            .DataBar(XLColor.FromHtml("#3A9D5D"))
            .Minimum(XLCFContentType.Number, 0)
            .Maximum(XLCFContentType.Number, Math.Max(1, report.Rows.Count));
        foreach (var header in new[] { sheet.Range(2, 1, 2, 4), sheet.Range(status + 1, 1, status + 1, 2) })
        {
            header.Style.Font.Bold = true;
            header.Style.Fill.BackgroundColor = HeaderFill;
        }

        sheet.Column(1).Width = 40;
        for (var c = 2; c <= 4; c++)
        {
            sheet.Column(c).Width = 34;
        }
    }

    private static void FinishTable(IXLWorksheet sheet, int lastRow, int lastColumn)
    {
        var header = sheet.Range(1, 1, 1, lastColumn);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = HeaderFill;
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, lastRow, lastColumn).SetAutoFilter();
    }

    /// <summary>Blank for unknown; strings always as text (ClosedXML's <c>Value</c> setter would turn "00123" into a number).</summary>
    private static void SetTyped(IXLCell cell, ReportValueKind kind, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                cell.SetValue(text);
                return;
            case bool flag:
                cell.SetValue(flag);
                return;
            case int number:
                cell.SetValue(number);
                return;
            case decimal amount:
                cell.SetValue(amount);
                return;
            case DateOnly date:
                cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType(), $"No cell type for a {kind} column.");
        }
    }
}
