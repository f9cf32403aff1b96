using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff home: admissions start with the form, finance with the queue.</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        LocalRedirect(User.IsInRole(Roles.Admissions) || User.IsInRole(Roles.Admin) ? "/staff/verify" : "/staff/queue");
}
