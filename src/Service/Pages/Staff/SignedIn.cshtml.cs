using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// Where single sign-on lands: the identity provider's redirect chain is cross-site, so the SameSite=Strict session
/// cookie is not sent on it. This page moves on with a same-site navigation, on which it is. Every SSO sign-in passes
/// here with a return URL from the query string, so it goes through the same local-URL check as the sign-in form.
/// </summary>
internal sealed class SignedInModel : PageModel
{
    public string Next { get; private set; } = "/staff";

    public void OnGet(string? returnUrl) => Next = StaffAuthentication.LocalOrHome(returnUrl);
}
