using CoverageCheck.Service.Features.Users;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class SignOutModel(StaffSessionStore sessions, AuditStore audit) : PageModel
{
    public void OnGet()
    {
    }

    /// <summary>Closes the session on the server as well as deleting the cookie, so a copy of the cookie stops working.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await HttpContext.AuthenticateAsync(StaffAuthentication.CookieScheme);
        if (result.Principal?.FindFirst(StaffAuthentication.SessionIdClaim)?.Value is { } sessionId)
        {
            await sessions.EndAsync(sessionId, "signed-out", cancellationToken);
            var principal = result.Principal;
            var recordId = principal.FindFirst(StaffAuthentication.UserIdClaim)?.Value is { } userId ? $"user:{userId}" : $"sso:{principal.Identity?.Name}";
            await audit.AppendAsync(AccessContext.For(principal, "staff sign-out"), AuditActions.SignOut, AuditRecordTypes.StaffAccount, recordId, cancellationToken);
        }

        await HttpContext.SignOutAsync(StaffAuthentication.CookieScheme);
        return RedirectToPage();
    }
}
