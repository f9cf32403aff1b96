using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(StaffAuthentication.CookieScheme);
        return RedirectToPage();
    }
}
