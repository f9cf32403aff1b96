namespace CoverageCheck.Service.Features.Batches;

/// <summary>The formats a batch report comes in.</summary>
internal enum BatchReportFormat
{
    Csv,
    Xlsx,
    Html,
}

/// <summary>Writes a <see cref="BatchReport"/> in one format.</summary>
internal interface IBatchReportWriter
{
    BatchReportFormat Format { get; }

    /// <summary>The media type to serve it with.</summary>
    string ContentType { get; }

    /// <summary>The file extension, with its dot.</summary>
    string FileExtension { get; }

    /// <summary>Writes the report to <paramref name="output"/> (which is not disposed) with asynchronous I/O only.</summary>
    Task WriteAsync(BatchReport report, Stream output, CancellationToken cancellationToken = default);
}

/// <summary>The writer for each format.</summary>
internal static class BatchReportWriters
{
    public static IBatchReportWriter For(BatchReportFormat format) => format switch
    {
        BatchReportFormat.Csv => new CsvReportWriter(),
        BatchReportFormat.Xlsx => new XlsxReportWriter(),
        BatchReportFormat.Html => new HtmlReportWriter(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Reads <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case, with or without a dot).</summary>
    public static bool TryParseFormat(string? value, out BatchReportFormat format)
    {
        format = default;
        var name = value?.TrimStart('.');
        return !string.IsNullOrEmpty(name) && !int.TryParse(name, out _) && Enum.TryParse(name, ignoreCase: true, out format) && Enum.IsDefined(format);
    }
}
