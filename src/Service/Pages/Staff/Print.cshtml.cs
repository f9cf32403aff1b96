using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>A one-page estimate summary to print and hand to the patient.</summary>
internal sealed class PrintModel(StaffVerifications verifications, TimeProvider timeProvider) : PageModel
{
    public VerificationView View { get; private set; } = null!;

    public DateOnly Printed { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var view = await verifications.GetAsync(id, User, "staff page: printed estimate for the patient", cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        Printed = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        return Page();
    }
}
