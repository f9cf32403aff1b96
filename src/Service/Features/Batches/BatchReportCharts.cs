using System.Globalization;
using System.Xml.Linq;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The report's charts, drawn by ScottPlot as SVG markup ready to inline in HTML (the workbook draws the same
/// groups as in-cell bars, <see cref="XlsxReportWriter"/>). Bars run
/// across with their labels on the left, one label per line, so labels cannot overlap however many payers there are;
/// the amounts chart shows the <see cref="TopPayers"/> largest payers and one "Others" group for the rest (#19).
/// </summary>
internal static class BatchReportCharts
{
    public const int Width = 900;

    /// <summary>Payers shown by name in the amounts chart; the rest are one "Others" group.</summary>
    public const int TopPayers = 8;

    private const int MaxLabelLength = 40;

    private static readonly Color PayerColor = Color.FromHex("#E07B39");
    private static readonly Color PatientColor = Color.FromHex("#2F6DB5");
    private static readonly Color SelfPayColor = Color.FromHex("#8E5EA2");

    private static readonly (CoverageStanding Standing, string Label, string Hex)[] Standings =
    [
        (CoverageStanding.Active, "Active", "#3A9D5D"),
        (CoverageStanding.CarvedOut, "Carved out", "#2A8C9D"),
        (CoverageStanding.EndsBeforeProgram, "Ends before program", "#E0B339"),
        (CoverageStanding.Ended, "Ended", "#C2473D"),
        (CoverageStanding.NeedsReview, "Needs review", "#8E5EA2"),
        (CoverageStanding.Pending, "Pending", "#8C8C8C"),
        (CoverageStanding.Rejected, "Rejected", "#5B5B5B"),
    ];

    /// <summary>The label each <see cref="CoverageStanding"/> has in the charts and tables.</summary>
    public static string LabelOf(CoverageStanding standing) => Standings.First(s => s.Standing == standing).Label;

    /// <summary>
    /// The payers the amounts chart names: the <paramref name="top"/> with the most expected money (payer, patient and
    /// self-pay together; ties by label), then, when more are left, one group "Others (N payers)" holding their sums.
    /// </summary>
    public static IReadOnlyList<PayerSummary> Grouped(IReadOnlyList<PayerSummary> summary, int top = TopPayers)
    {
        var ordered = summary
            .OrderByDescending(Money)
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count <= top + 1)
        {
            return ordered; // "Others" for a single payer would hide its name for nothing
        }

        var rest = ordered.Skip(top).ToList();
        var others = PayerSummary.Sum(rest) with { PayerId = "", PayerName = $"Others ({rest.Count} payers)" };
        return [.. ordered.Take(top), others];
    }

    private static decimal Money(PayerSummary s) => s.ExpectedPayerTotal + s.ExpectedPatientTotal + s.ExpectedSelfPayTotal;

    /// <summary>Grouped bars across: expected payer, patient and self-pay amounts for each of the <see cref="Grouped"/> payers.</summary>
    public static string AmountsByPayerSvg(IReadOnlyList<PayerSummary> summary, string title = AmountsTitle) =>
        Svg(AmountsByPayer(summary, title), AmountsHeight(summary), title);

    /// <summary>One bar per coverage standing, with its count.</summary>
    public static string CoverageStatusSvg(IEnumerable<BatchReportRow> rows, string title = StatusTitle) =>
        Svg(CoverageStatus(rows, title), StatusHeight, title);

    public const string AmountsTitle = "Expected amounts by payer";
    public const string StatusTitle = "Coverage status";

    private const int StatusHeight = 360;

    // Room for each group of three bars, plus the title, axis and legend.
    private static int AmountsHeight(IReadOnlyList<PayerSummary> summary) => 150 + (Math.Max(1, Grouped(summary).Count) * 54);

    private static Plot AmountsByPayer(IReadOnlyList<PayerSummary> summary, string title)
    {
        var groups = Grouped(summary);
        var plot = NewPlot(title);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        // Top to bottom in order: the largest payer first.
        for (var i = 0; i < groups.Count; i++)
        {
            var payer = groups[i];
            var at = (groups.Count - 1 - i) * 4.0;
            bars.Add(new Bar { Position = at + 2, Value = (double)payer.ExpectedPayerTotal, FillColor = PayerColor, LineWidth = 0 });
            bars.Add(new Bar { Position = at + 1, Value = (double)payer.ExpectedPatientTotal, FillColor = PatientColor, LineWidth = 0 });
            bars.Add(new Bar { Position = at, Value = (double)payer.ExpectedSelfPayTotal, FillColor = SelfPayColor, LineWidth = 0 });
            ticks.Add(new Tick(at + 1, Shorten(payer.Label), isMajor: true));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("$#,0", CultureInfo.InvariantCulture) };
        plot.XLabel("Expected amount (USD)");
        plot.Grid.XAxisStyle.IsVisible = true;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.LowerRight;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Payer", FillColor = PayerColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Patient cost sharing", FillColor = PatientColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Self-pay", FillColor = SelfPayColor });
        plot.Axes.Margins(left: 0, right: 0.12);
        if (groups.Count == 0 || bars.All(b => b.Value == 0))
        {
            plot.Axes.SetLimitsX(0, 1);
        }

        return plot;
    }

    private static Plot CoverageStatus(IEnumerable<BatchReportRow> rows, string title)
    {
        var counts = rows.GroupBy(r => r.Standing).ToDictionary(g => g.Key, g => g.Count());
        var plot = NewPlot(title);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < Standings.Length; i++)
        {
            var (standing, label, hex) = Standings[i];
            var count = counts.GetValueOrDefault(standing);
            var at = Standings.Length - 1 - i;
            bars.Add(new Bar
            {
                Position = at,
                Value = count,
                FillColor = Color.FromHex(hex),
                LineWidth = 0,
                Label = count.ToString(CultureInfo.InvariantCulture),
            });
            ticks.Add(new Tick(at, label, isMajor: true));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 13;
        plot.Axes.Left.TickGenerator = new NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("Patients");
        plot.Grid.XAxisStyle.IsVisible = true;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Axes.Margins(left: 0, right: 0.12);
        if (bars.All(b => b.Value == 0))
        {
            plot.Axes.SetLimitsX(0, 1);
        }

        return plot;
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Title(title);
        return plot;
    }

    /// <summary>
    /// The SVG element alone (no XML declaration), scalable through a viewBox, and labelled for screen readers.
    /// Parsing it here also proves it is well-formed before it goes into a page.
    /// </summary>
    private static string Svg(Plot plot, int height, string title)
    {
        var svg = XElement.Parse(plot.GetSvgXml(Width, height));
        svg.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {height}"));
        svg.SetAttributeValue("role", "img");
        svg.SetAttributeValue("aria-label", title);
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    private static string Shorten(string label) => label.Length <= MaxLabelLength ? label : label[..(MaxLabelLength - 1)] + "…";
}
