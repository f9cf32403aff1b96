using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class SignInModel(UserStore users, IOptions<StaffSignInOptions> options, TimeProvider timeProvider, ILogger<SignInModel> logger) : PageModel
{
    public string? Error { get; private set; }

    public string? Username { get; private set; }

    public string ReturnUrl { get; private set; } = "/staff";

    public string? SingleSignOn => options.Value.Oidc.IsConfigured ? options.Value.Oidc.DisplayName : null;

    public void OnGet(string? returnUrl) => ReturnUrl = StaffAuthentication.LocalOrHome(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = StaffAuthentication.LocalOrHome(returnUrl);
        Username = username?.Trim();
        var user = string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(password)
            ? null
            : await users.SignInAsync(Username, password, cancellationToken);
        if (user is null)
        {
            // One message for an unknown name, a wrong password and a disabled account.
            logger.LogInformation("A staff sign-in failed.");
            Error = "The user name or password is not right, or the account is disabled.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(
            StaffAuthentication.CookieScheme,
            StaffAuthentication.ForLocalUser(user),
            StaffAuthentication.NewSession(timeProvider, options.Value));
        return LocalRedirect(ReturnUrl);
    }

    public IActionResult OnPostSso(string? returnUrl) =>
        options.Value.Oidc.IsConfigured
            ? Challenge(new AuthenticationProperties { RedirectUri = StaffAuthentication.LocalOrHome(returnUrl) }, StaffAuthentication.OidcScheme)
            : NotFound();
}
