using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff home: admissions start with the form, finance with its batches (the queue names patients: admissions only).</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        LocalRedirect(User.IsInRole(Roles.Admissions) || User.IsInRole(Roles.Admin) ? "/staff/verify"
            : User.IsInRole(Roles.Finance) ? "/staff/finance/batches" : "/staff/queue");
}
