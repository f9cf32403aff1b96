using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CoverageCheck.Service.Features.Estimates;
using Microsoft.AspNetCore.Html;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// The estimate's monthly breakdown as a server-rendered SVG bar chart: the patient's and the plan's share per month,
/// side by side. Sizes are SVG attributes and colours come from CSS classes, so it needs no inline style or script and
/// passes the strict Content-Security-Policy.
/// </summary>
internal static class MonthlyChart
{
    private const int Width = 640;
    private const int Height = 260;
    private const int Left = 72;
    private const int Bottom = 40;
    private const int Top = 16;

    public static IHtmlContent Render(IReadOnlyList<MonthlyDto> months, string title)
    {
        var svg = new StringBuilder();
        var plotHeight = Height - Top - Bottom;
        var max = Math.Max(1m, months.Count == 0 ? 0m : months.Max(m => Math.Max(m.Patient, m.Payer)));
        var scale = NiceCeiling(max);
        var encoder = HtmlEncoder.Default;

        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">{encoder.Encode(title)}</title>");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = scale * tick / 4;
            var y = Top + plotHeight - (double)(value / scale) * plotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{Left}\" x2=\"{Width - 8}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{encoder.Encode(Wording.Money(value).Replace(".00", "", StringComparison.Ordinal))}</text>");
        }

        if (months.Count > 0)
        {
            var slot = (double)(Width - Left - 16) / months.Count;
            var bar = Math.Min(36, slot * 0.35);
            for (var i = 0; i < months.Count; i++)
            {
                var month = months[i];
                var x = Left + 8 + slot * i + slot / 2;
                Bar(svg, "chart-patient", x - bar - 1, bar, month.Patient, scale, plotHeight, $"{Wording.Month(month.Month)}: patient {Wording.Money(month.Patient)}");
                Bar(svg, "chart-payer", x + 1, bar, month.Payer, scale, plotHeight, $"{Wording.Month(month.Month)}: plan {Wording.Money(month.Payer)}");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{encoder.Encode(Wording.Month(month.Month))}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{x:0.#}\" y=\"{Height - Bottom + 30}\" text-anchor=\"middle\">{month.Sessions} days</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-baseline\" x1=\"{Left}\" x2=\"{Width - 8}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\"/>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static void Bar(StringBuilder svg, string cssClass, double x, double width, decimal value, decimal scale, int plotHeight, string label)
    {
        var height = (double)(value / scale) * plotHeight;
        var y = Top + plotHeight - height;
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass}\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{width:0.#}\" height=\"{height:0.#}\"><title>{HtmlEncoder.Default.Encode(label)}</title></rect>");
    }

    /// <summary>A round axis maximum at or above <paramref name="max"/> (1, 2 or 5 times a power of ten).</summary>
    internal static decimal NiceCeiling(decimal max)
    {
        var power = 1m;
        while (power * 10 <= max)
        {
            power *= 10;
        }

        foreach (var step in new[] { 1m, 2m, 5m, 10m })
        {
            if (power * step >= max)
            {
                return power * step;
            }
        }

        return power * 10;
    }
}
