using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// Staff sign-in (<c>Auth:Oidc:*</c>, <c>Auth:Session:*</c>). Without an authority only local accounts
/// (<c>users add</c>) sign in; with one, the sign-in page also offers the organisation's identity provider.
/// </summary>
internal sealed class StaffSignInOptions
{
    public const string SectionName = "Auth";

    [ValidateObjectMembers]
    public OidcOptions Oidc { get; set; } = new();

    [ValidateObjectMembers]
    public SessionOptions Session { get; set; } = new();

    [ValidateObjectMembers]
    public SignInThrottleOptions SignInThrottle { get; set; } = new();
}

/// <summary>
/// <c>Auth:SignInThrottle</c>: how failed staff sign-ins slow down the next try. Counted per user name and client
/// address together, so failures from one address never hold back the same name from another (see
/// <see cref="SignInThrottle"/>).
/// </summary>
internal sealed class SignInThrottleOptions
{
    /// <summary>Failed sign-ins for one name from one address that cost nothing (typing mistakes).</summary>
    [Range(0, 100)]
    public int FreeFailures { get; set; } = 3;

    /// <summary>The wait after the first failure past <see cref="FreeFailures"/>; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries of one name from one address.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten this long after the last one (at least <see cref="MaxDelay"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class OidcOptions
{
    /// <summary>The OpenID Connect issuer (Entra ID, Okta, Keycloak …); staff single sign-on is offered only when set.</summary>
    public Uri? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the staff member's roles (admissions, finance, admin).</summary>
    [Required]
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim used as the staff member's name in the audit trail.</summary>
    [Required]
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>The button text on the sign-in page.</summary>
    [Required]
    public string DisplayName { get; set; } = "your organisation's account";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => Authority is not null;
}

internal sealed class SessionOptions
{
    /// <summary>A session ends after this long without a request.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in, however active (a working day).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "24:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);
}

[OptionsValidator]
internal sealed partial class StaffSignInOptionsValidator : IValidateOptions<StaffSignInOptions>;

internal sealed class StaffSignInOptionsCustomValidator : IValidateOptions<StaffSignInOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffSignInOptions options)
    {
        var failures = new List<string>();
        var oidc = options.Oidc;
        if (oidc.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                failures.Add("Auth:Oidc:ClientId must be set when Auth:Oidc:Authority is.");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientSecret))
            {
                failures.Add("Auth:Oidc:ClientSecret must be set when Auth:Oidc:Authority is (staff sign-in uses the authorization code flow).");
            }

            if (oidc.RequireHttpsMetadata && oidc.Authority!.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add("Auth:Oidc:Authority must be an https address (or set Auth:Oidc:RequireHttpsMetadata to false for local testing).");
            }
        }

        if (options.SignInThrottle.Window < options.SignInThrottle.MaxDelay)
        {
            failures.Add("Auth:SignInThrottle:Window must not be shorter than Auth:SignInThrottle:MaxDelay.");
        }

        if (options.Session.IdleTimeout > options.Session.AbsoluteTimeout)
        {
            failures.Add("Auth:Session:IdleTimeout must not be longer than Auth:Session:AbsoluteTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// How a request is authenticated. <see cref="CallerScheme"/> is the default: a request with <c>X-Api-Key</c> goes to
/// the API key handler; a bearer token to JWT when that is configured; a request for the staff pages (<c>/staff</c>)
/// to the session cookie, whose challenge redirects to the sign-in page; everything else (the API) to the API key
/// handler, so it keeps answering 401/403 problem details.
/// </summary>
internal static class StaffAuthentication
{
    public const string CallerScheme = "Caller";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = "coveragecheck.staff";

    /// <summary>The cookie's name in Production: <c>__Host-</c> makes browsers accept it only Secure, for this host, path /.</summary>
    public const string SecureCookieName = "__Host-" + CookieName;
    public const string StaffPathPrefix = "/staff";
    public const string SignInPath = "/staff/sign-in";
    public const string AccessDeniedPath = "/staff/access-denied";
    public const string UserIdClaim = "coveragecheck:user_id";
    public const string SignInMethodClaim = "amr";
    public const string SessionIdClaim = "coveragecheck:session";
    private const string AbsoluteExpiryItem = "coveragecheck.absolute_expires";

    /// <summary>Adds the caller policy scheme, the staff cookie and, when configured, OpenID Connect.</summary>
    /// <param name="authentication">The builder with the API key (and maybe JWT) schemes.</param>
    /// <param name="configuration">The service configuration (reads <c>Auth:Oidc</c>).</param>
    /// <param name="bearerScheme">The JWT bearer scheme's name when bearer tokens are accepted, else null.</param>
    public static AuthenticationBuilder AddStaffSignIn(this AuthenticationBuilder authentication, IConfiguration configuration, string? bearerScheme)
    {
        var services = authentication.Services;
        services.AddOptionsWithValidateOnStart<StaffSignInOptions>().BindConfiguration(StaffSignInOptions.SectionName);
        services.AddSingleton<IValidateOptions<StaffSignInOptions>, StaffSignInOptionsValidator>();
        services.AddSingleton<IValidateOptions<StaffSignInOptions>, StaffSignInOptionsCustomValidator>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<StaffSessionStore>();
        // After AddCookie's own settings below, which would otherwise overwrite these.
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .PostConfigure<IOptions<StaffSignInOptions>, IHostEnvironment>((cookie, staff, environment) =>
            {
                cookie.ExpireTimeSpan = staff.Value.Session.IdleTimeout;
                if (environment.IsProductionLike())
                {
                    // Development keeps plain http on loopback working; Production sends the cookie over https only.
                    cookie.Cookie.Name = SecureCookieName;
                    cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                    cookie.Cookie.Path = "/";
                }
            });

        authentication.AddPolicyScheme(CallerScheme, "API key, bearer token or staff session", options =>
            options.ForwardDefaultSelector = context => SelectScheme(context.Request, bearerScheme));

        authentication.AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.LogoutPath = "/staff/sign-out";
            cookie.AccessDeniedPath = AccessDeniedPath;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });

        var oidc = configuration.GetSection($"{StaffSignInOptions.SectionName}:Oidc").Get<OidcOptions>() ?? new OidcOptions();
        if (oidc.IsConfigured)
        {
            authentication.AddOpenIdConnect(OidcScheme, oidc.DisplayName, options =>
            {
                options.SignInScheme = CookieScheme;
                options.Authority = oidc.Authority!.ToString();
                options.ClientId = oidc.ClientId;
                options.ClientSecret = oidc.ClientSecret;
                options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.MapInboundClaims = false;
                options.SaveTokens = false;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.CallbackPath = "/staff/sign-in/oidc-callback";
                options.SignedOutCallbackPath = "/staff/sign-out/oidc-callback";
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.TokenValidationParameters.NameClaimType = oidc.NameClaim;
                options.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                options.Events.OnTicketReceived = async context =>
                {
                    // Keep only our roles, as standard role claims, so pages, policies and the audit trail see one shape.
                    var principal = ToStaffPrincipal(context.Principal!, oidc, StaffSessionStore.SingleSignOnMethod);
                    var requestServices = context.HttpContext.RequestServices;
                    var absolute = requestServices.GetRequiredService<IOptions<StaffSignInOptions>>().Value.Session.AbsoluteTimeout;
                    var expires = StampAbsoluteExpiry(context.Properties!, requestServices.GetRequiredService<TimeProvider>(), absolute);
                    var name = principal.Identity!.Name!;
                    var sessionId = await requestServices.GetRequiredService<StaffSessionStore>().StartAsync(
                        userId: null, name, StaffSessionStore.SingleSignOnMethod, expires, context.HttpContext.RequestAborted);
                    ((ClaimsIdentity)principal.Identity).AddClaim(new Claim(SessionIdClaim, sessionId));
                    context.Principal = principal;
                    await requestServices.GetRequiredService<AuditStore>().AppendAsync(
                        AccessContext.For(principal, SignInPurpose(context.HttpContext, "single sign-on")),
                        AuditActions.SignIn,
                        AuditRecordTypes.StaffAccount,
                        "sso:" + name,
                        context.HttpContext.RequestAborted);

                    // The identity provider's redirect chain is cross-site, so a SameSite=Strict cookie is not sent on
                    // it: land on a page of our own that moves on with a same-site navigation.
                    context.ReturnUri = "/staff/signed-in?returnUrl=" + Uri.EscapeDataString(LocalOrHome(context.ReturnUri));
                };
            });
        }

        return authentication;
    }

    internal static string SelectScheme(HttpRequest request, string? bearerScheme)
    {
        if (request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        if (bearerScheme is not null && request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return bearerScheme;
        }

        // Only the staff pages use the session; the API and every other endpoint keep API-key semantics (401, not a redirect).
        return request.Path.StartsWithSegments(StaffPathPrefix, StringComparison.OrdinalIgnoreCase)
            ? CookieScheme
            : ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>The principal of a local account, as the session cookie carries it.</summary>
    public static ClaimsPrincipal ForLocalUser(StaffUser user, string sessionId)
    {
        var identity = new ClaimsIdentity(CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.UserName));
        identity.AddClaim(new Claim(UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(SignInMethodClaim, StaffSessionStore.PasswordMethod));
        identity.AddClaim(new Claim(SessionIdClaim, sessionId));
        foreach (var role in user.Roles.Where(Roles.All.Contains))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Session properties for a new sign-in: persistent within the idle window, with the absolute end stamped.</summary>
    public static AuthenticationProperties NewSession(TimeProvider timeProvider, StaffSignInOptions options, out DateTimeOffset absoluteExpiry)
    {
        var properties = new AuthenticationProperties { IsPersistent = false, AllowRefresh = true };
        absoluteExpiry = StampAbsoluteExpiry(properties, timeProvider, options.Session.AbsoluteTimeout);
        return properties;
    }

    /// <summary>
    /// A local path to return to after sign-in; anything else goes home. The framework's check
    /// (<see cref="RedirectHttpResult.IsLocalUrl"/>, as <c>LocalRedirect</c> applies it) refuses other sites,
    /// protocol-relative URLs and control characters, which browsers drop: <c>/\t/host</c> would become <c>//host</c>.
    /// </summary>
    public static string LocalOrHome(string? returnUrl) =>
        RedirectHttpResult.IsLocalUrl(returnUrl) && returnUrl!.StartsWith('/') ? returnUrl : "/staff";

    /// <summary>The audit trail's purpose of a sign-in: how, and from which client address (not PHI, useful to trace an attack).</summary>
    internal static string SignInPurpose(HttpContext context, string how) =>
        $"staff sign-in ({how}) from {context.Connection.RemoteIpAddress?.ToString() ?? "unknown address"}";

    private static ClaimsPrincipal ToStaffPrincipal(ClaimsPrincipal external, OidcOptions oidc, string method)
    {
        var identity = new ClaimsIdentity(CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        var name = external.FindFirst(oidc.NameClaim)?.Value ?? external.FindFirst("sub")?.Value ?? "unknown";
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(SignInMethodClaim, method));
        var roles = external.FindAll(oidc.RoleClaim)
            .SelectMany(claim => claim.Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(Roles.All.Contains)
            .Distinct(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(identity);
    }

    private static DateTimeOffset StampAbsoluteExpiry(AuthenticationProperties properties, TimeProvider timeProvider, TimeSpan absolute)
    {
        var expires = timeProvider.GetUtcNow() + absolute;
        properties.Items[AbsoluteExpiryItem] = expires.ToString("O", CultureInfo.InvariantCulture);
        return expires;
    }

    /// <summary>
    /// Ends a session past its absolute lifetime, or whose server-side session was closed (signed out, account
    /// disabled or removed): checked on every request, so a copied cookie stops working at once.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var sessionId = context.Principal?.FindFirst(SessionIdClaim)?.Value;
        var expired = !context.Properties.Items.TryGetValue(AbsoluteExpiryItem, out var stamp)
            || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var absoluteExpiry)
            || now >= absoluteExpiry;
        var sessions = services.GetRequiredService<StaffSessionStore>();
        if (sessionId is not null && expired)
        {
            await sessions.EndAsync(sessionId, "expired", context.HttpContext.RequestAborted);
        }

        if (expired || sessionId is null || !await sessions.IsActiveAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
