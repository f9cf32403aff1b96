using System.Globalization;
using CoverageCheck.Service.Features.Users;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Pages.Staff;

internal sealed class SignInModel(
    UserStore users,
    StaffSessionStore sessions,
    SignInThrottle throttle,
    AuditStore audit,
    IOptions<StaffSignInOptions> options,
    TimeProvider timeProvider,
    ILogger<SignInModel> logger) : PageModel
{
    public string? Error { get; private set; }

    public string? Username { get; private set; }

    public string ReturnUrl { get; private set; } = "/staff";

    public string? SingleSignOn => options.Value.Oidc.IsConfigured ? options.Value.Oidc.DisplayName : null;

    public void OnGet(string? returnUrl) => ReturnUrl = StaffAuthentication.LocalOrHome(returnUrl);

    // The name and password are read from the form here, not bound as handler arguments: Razor Pages logs a handler's
    // arguments at Trace level, and the password must never reach a log.
    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = StaffAuthentication.LocalOrHome(returnUrl);
        var form = await Request.ReadFormAsync(cancellationToken);
        var password = form["password"].ToString();
        Username = form["username"].ToString().Trim();
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.RetryAfter(Username, address);
        if (wait > TimeSpan.Zero)
        {
            // Refused before the password is looked at, so guessing goes no faster; the same answer whether or not
            // the name exists. Only this name from this address waits.
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            logger.LogWarning("A staff sign-in was refused: too many failed attempts for the name from this address.");
            await AuditFailureAsync(accountId: null, "throttled", cancellationToken);
            Error = seconds < 120
                ? $"Too many failed sign-ins. Try again in {seconds} second{(seconds == 1 ? "" : "s")}."
                : $"Too many failed sign-ins. Try again in {(int)Math.Ceiling(wait.TotalMinutes)} minutes, or ask an administrator.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Page();
        }

        var attempt = Username.Length == 0 || password.Length == 0
            ? new SignInAttempt(null, null)
            : await users.SignInAsync(Username, password, cancellationToken);
        if (attempt.User is not { } user)
        {
            // One message for an unknown name, a wrong password and a disabled account.
            throttle.Failed(Username, address);
            logger.LogInformation("A staff sign-in failed.");
            await AuditFailureAsync(attempt.AccountId, "password", cancellationToken);
            Error = "The user name or password is not right, or the account is disabled.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        throttle.Succeeded(Username, address);
        var properties = StaffAuthentication.NewSession(timeProvider, options.Value, out var expires);
        var sessionId = await sessions.StartAsync(user.Id, user.UserName, StaffSessionStore.PasswordMethod, expires, cancellationToken);
        var principal = StaffAuthentication.ForLocalUser(user, sessionId);
        await audit.AppendAsync(
            AccessContext.For(principal, StaffAuthentication.SignInPurpose(HttpContext, "password")),
            AuditActions.SignIn,
            AuditRecordTypes.StaffAccount,
            $"user:{user.Id}",
            cancellationToken);
        await HttpContext.SignInAsync(StaffAuthentication.CookieScheme, principal, properties);
        return LocalRedirect(ReturnUrl);
    }

    public IActionResult OnPostSso(string? returnUrl) =>
        options.Value.Oidc.IsConfigured
            ? Challenge(new AuthenticationProperties { RedirectUri = StaffAuthentication.LocalOrHome(returnUrl) }, StaffAuthentication.OidcScheme)
            : NotFound();

    /// <summary>
    /// A refused sign-in, without the password and without the typed name: a made-up name can be a password typed in
    /// the wrong field, so only an existing account's id is recorded.
    /// </summary>
    private Task AuditFailureAsync(long? accountId, string how, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            new AccessContext(ActorKinds.Anonymous, ActorKinds.Anonymous, StaffAuthentication.SignInPurpose(HttpContext, how)) { ActorKind = ActorKinds.Anonymous },
            AuditActions.SignInFailed,
            AuditRecordTypes.StaffAccount,
            accountId is { } id ? $"user:{id}" : "unknown-user",
            cancellationToken);
}
