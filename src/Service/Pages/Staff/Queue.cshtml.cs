using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// The admissions work queue: verifications of the chosen period (today by default) and everything still open,
/// filterable by status and payer. Read from <see cref="VerificationStore.ListAsync"/>, which returns no PHI.
/// </summary>
internal sealed class QueueModel(VerificationStore store, PayerDirectory payers, TimeProvider timeProvider) : PageModel
{
    private const int PageSize = 200;
    private static readonly string[] s_open = [VerificationStatus.Queued, VerificationStatus.InProgress, VerificationStatus.NeedsReview];

    public static IReadOnlyList<(string Value, string Label)> Periods { get; } = [("today", "Today"), ("7d", "Last 7 days"), ("30d", "Last 30 days")];

    public string? Status { get; private set; }

    public string? Payer { get; private set; }

    public string Period { get; private set; } = "today";

    public IReadOnlyList<VerificationSummary> Items { get; private set; } = [];

    public IReadOnlyList<VerificationSummary> Open { get; private set; } = [];

    public IReadOnlyList<Payer> Payers => [.. payers.All.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];

    public string? FilterError { get; private set; }

    public async Task OnGetAsync(string? status, string? payer, string? period, CancellationToken cancellationToken)
    {
        Status = string.IsNullOrEmpty(status) ? null : status;
        Payer = string.IsNullOrEmpty(payer) ? null : payer;
        Period = Periods.Any(p => p.Value == period) ? period! : "today";
        if (Status is not null && !VerificationStatus.All.Contains(Status))
        {
            FilterError = "Unknown status; showing all.";
            Status = null;
        }

        var now = timeProvider.GetUtcNow();
        var since = Period switch
        {
            "7d" => now.AddDays(-7),
            "30d" => now.AddDays(-30),
            _ => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero),
        };

        var page = await store.ListAsync(new VerificationQuery { Status = Status, PayerId = Payer, Since = since, Limit = PageSize }, cancellationToken);
        Items = page.Items;

        if (Status is null)
        {
            // Still-open work from earlier days stays visible until someone finishes it.
            var open = new List<VerificationSummary>();
            foreach (var openStatus in s_open)
            {
                var earlier = await store.ListAsync(new VerificationQuery { Status = openStatus, PayerId = Payer, Limit = PageSize }, cancellationToken);
                open.AddRange(earlier.Items.Where(item => item.CreatedAt < since));
            }

            Open = [.. open.OrderByDescending(item => item.CreatedAt)];
        }
    }

    public string PayerName(string id) => payers.Find(id)?.Name ?? id;
}
