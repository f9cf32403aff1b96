using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>One verification: coverage banner, benefits in and out of network, payer messages and the estimate.</summary>
internal sealed class ResultModel(StaffVerifications verifications) : PageModel
{
    public VerificationView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var view = await verifications.GetAsync(id, User, "staff page: verification result", cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }
}
