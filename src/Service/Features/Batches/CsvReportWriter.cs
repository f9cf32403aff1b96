using System.Globalization;
using System.Text;
using CsvHelper;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The report as CSV (UTF-8 with a byte-order mark so Excel reads it as UTF-8): the columns of
/// <see cref="BatchReportColumns"/> as the header, then one line per census record in input order.
/// </summary>
internal sealed class CsvReportWriter : IBatchReportWriter
{
    public BatchReportFormat Format => BatchReportFormat.Csv;

    public string ContentType => "text/csv; charset=utf-8";

    public string FileExtension => ".csv";

    public async Task WriteAsync(BatchReport report, Stream output, CancellationToken cancellationToken = default)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true);

        foreach (var column in BatchReportColumns.All)
        {
            csv.WriteField(column.Name);
        }

        await csv.NextRecordAsync();

        foreach (var row in report.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var column in BatchReportColumns.All)
            {
                var value = ReportText.Format(column.Value(row));
                csv.WriteField(column.Kind == ReportValueKind.Text ? ReportText.DefuseFormula(value) : value);
            }

            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }
}
