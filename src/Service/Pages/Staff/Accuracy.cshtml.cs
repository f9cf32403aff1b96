using CoverageCheck.Service.Features.Remittances;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// Finance's estimate accuracy (<c>/staff/finance/accuracy?from=&amp;to=</c>): the report of
/// <c>GET /api/v1/reports/estimate-accuracy</c> for a period, with its CSV and workbook downloads.
/// </summary>
internal sealed class AccuracyModel(EstimateAccuracyService accuracy, PayerDirectory payers, ProgramTime time) : PageModel
{
    public EstimateAccuracyReport? Report { get; private set; }

    public string? Error { get; private set; }

    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public string Query => $"?from={From}&to={To}";

    public string PayerName(string payerId) => payers.Find(payerId)?.Name ?? payerId;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        if (EstimateAccuracyApi.Period(from, to, time) is not { } period)
        {
            Error = "The period is not valid: give two dates as YYYY-MM-DD, the second on or after the first, at most two years apart.";
            From = from ?? "";
            To = to ?? "";
            return Page();
        }

        From = period.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        To = period.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Report = await accuracy.BuildAsync(period.From, period.To, AccessContext.For(User, "staff page: estimate accuracy"), cancellationToken);
        return Page();
    }
}
