using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class SignInModel(
    UserStore users, SignInThrottle throttle, IOptions<StaffSignInOptions> options, TimeProvider timeProvider, ILogger<SignInModel> logger) : PageModel
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
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.RetryAfter(Username ?? "", address);
        if (wait > TimeSpan.Zero)
        {
            // Refused before the password is looked at, so guessing goes no faster; the same answer whether or not
            // the name exists.
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            logger.LogWarning("A staff sign-in was refused: too many failed attempts for the name or the address.");
            Error = $"Too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}, or ask an administrator.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }

        var user = string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(password)
            ? null
            : await users.SignInAsync(Username, password, cancellationToken);
        if (user is null)
        {
            // One message for an unknown name, a wrong password and a disabled account.
            throttle.Failed(Username ?? "", address);
            logger.LogInformation("A staff sign-in failed.");
            Error = "The user name or password is not right, or the account is disabled.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        throttle.Succeeded(Username!);

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
