using CoverageCheck.Service.Features.Intake;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// One website request for admissions (<c>/staff/intake/{id}</c>): who asked, how to call them back, the callback
/// status to set, and, when the insurer they typed is not in the payer table, the payer to pick (which queues the check).
/// </summary>
internal sealed class WebRequestModel(IntakeService intake, PayerDirectory payers, ProgramTime time) : PageModel
{
    public IntakeRequestView Item { get; private set; } = null!;

    public string? Message { get; private set; }

    public ProgramTime Time => time;

    public IReadOnlyList<Payer> Payers => [.. payers.All.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];

    public static IReadOnlyList<(string Value, string Label)> Statuses { get; } =
        [(CallbackStatuses.New, "New: not called yet"), (CallbackStatuses.Called, "Called, no answer yet"), (CallbackStatuses.Reached, "Reached the person"), (CallbackStatuses.Closed, "Closed")];

    public async Task<IActionResult> OnGetAsync(Guid id, string? saved, CancellationToken cancellationToken)
    {
        if (await intake.GetAsync(id, AccessContext.For(User, "staff page: web request"), cancellationToken) is not { } request)
        {
            return NotFound();
        }

        Item = request;
        Message = saved is null ? null : "Saved.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? status, string? payerId, CancellationToken cancellationToken)
    {
        var (view, errors) = await intake.UpdateAsync(
            id, new IntakeCallbackUpdate(string.IsNullOrWhiteSpace(status) ? null : status, string.IsNullOrWhiteSpace(payerId) ? null : payerId),
            AccessContext.For(User, "staff page: web request callback"), cancellationToken);
        if (errors is not null)
        {
            var current = await intake.GetAsync(id, AccessContext.For(User, "staff page: web request"), cancellationToken);
            if (current is null)
            {
                return NotFound();
            }

            Item = current;
            Message = string.Join(" ", errors.SelectMany(e => e.Value));
            return Page();
        }

        return view is null ? NotFound() : RedirectToPage(new { id, saved = 1 });
    }
}
