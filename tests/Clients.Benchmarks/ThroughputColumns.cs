using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CoverageCheck.Clients.Benchmarks;

/// <summary>MB/s and files/s from the mean time of one pass over the corpus.</summary>
internal sealed class ThroughputColumn(string name, Func<double, double> perSecond) : IColumn
{
    public static IColumn MegabytesPerSecond { get; } = new ThroughputColumn("MB/s", seconds => X271Benchmarks.CorpusCharacters / 1_000_000d / seconds);

    public static IColumn FilesPerSecond { get; } = new ThroughputColumn("files/s", seconds => X271Benchmarks.CorpusFiles / seconds);

    public string Id => nameof(ThroughputColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{name} over one pass of the 271 corpus";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is null or <= 0 || X271Benchmarks.CorpusFiles == 0)
        {
            return "-";
        }

        return perSecond(mean.Value / 1e9).ToString("N1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
