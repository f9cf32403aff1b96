using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
