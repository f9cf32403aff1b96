using System.Globalization;
using System.Xml.Linq;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>The report's charts, drawn by ScottPlot as SVG markup ready to inline in HTML.</summary>
internal static class BatchReportCharts
{
    public const int Width = 900;
    public const int Height = 420;

    private const int MaxLabelLength = 24;

    private static readonly Color PatientColor = Color.FromHex("#2F6DB5");
    private static readonly Color PayerColor = Color.FromHex("#E07B39");

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

    /// <summary>Grouped bars: expected patient and payer totals for each payer.</summary>
    public static string AmountsByPayerSvg(IReadOnlyList<PayerSummary> summary, string title = "Expected patient and payer amounts by payer")
    {
        var plot = NewPlot(title);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < summary.Count; i++)
        {
            var payer = summary[i];
            bars.Add(new Bar { Position = i * 3, Value = (double)payer.ExpectedPatientTotal, FillColor = PatientColor, LineWidth = 0 });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = (double)payer.ExpectedPayerTotal, FillColor = PayerColor, LineWidth = 0 });
            ticks.Add(new Tick((i * 3) + 0.5, Shorten(payer.Label), isMajor: true));
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("$#,0", CultureInfo.InvariantCulture) };
        plot.YLabel("Expected amount (USD)");
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Patient", FillColor = PatientColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Payer", FillColor = PayerColor });
        plot.Axes.Margins(bottom: 0);
        if (summary.Count == 0 || bars.All(b => b.Value == 0))
        {
            plot.Axes.SetLimitsY(0, 1);
        }

        return Render(plot, title);
    }

    /// <summary>One bar per coverage standing, with its count.</summary>
    public static string CoverageStatusSvg(IEnumerable<BatchReportRow> rows, string title = "Coverage status")
    {
        var counts = rows.GroupBy(r => r.Standing).ToDictionary(g => g.Key, g => g.Count());
        var plot = NewPlot(title);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < Standings.Length; i++)
        {
            var (standing, label, hex) = Standings[i];
            var count = counts.GetValueOrDefault(standing);
            bars.Add(new Bar
            {
                Position = i,
                Value = count,
                FillColor = Color.FromHex(hex),
                LineWidth = 0,
                Label = count.ToString(CultureInfo.InvariantCulture),
            });
            ticks.Add(new Tick(i, label, isMajor: true));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickGenerator = new NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel("Patients");
        plot.Axes.Margins(bottom: 0, top: 0.15);
        if (bars.All(b => b.Value == 0))
        {
            plot.Axes.SetLimitsY(0, 1);
        }

        return Render(plot, title);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Title(title);
        plot.Grid.XAxisStyle.IsVisible = false;
        return plot;
    }

    /// <summary>
    /// The SVG element alone (no XML declaration), scalable through a viewBox, and labelled for screen readers.
    /// Parsing it here also proves it is well-formed before it goes into a page.
    /// </summary>
    private static string Render(Plot plot, string title)
    {
        var svg = XElement.Parse(plot.GetSvgXml(Width, Height));
        svg.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Height}"));
        svg.SetAttributeValue("role", "img");
        svg.SetAttributeValue("aria-label", title);
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    private static string Shorten(string label) => label.Length <= MaxLabelLength ? label : label[..(MaxLabelLength - 1)] + "…";
}
