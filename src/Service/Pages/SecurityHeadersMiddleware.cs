namespace CoverageCheck.Service.Pages;

/// <summary>
/// Browser protections on every response: a strict Content-Security-Policy (our own scripts and styles only, no
/// inline code, no framing), no MIME sniffing, no referrer, no powerful features. Pages under <c>/staff</c> show
/// protected health information, so they are never cached. The interactive API docs (<c>/scalar</c>, Development
/// only) run inline script and are left out of the CSP. Answers under <c>/api</c> are <c>no-store</c> too, unless the
/// endpoint set its own <c>Cache-Control</c>.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            if (!path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
            }

            if (path.StartsWithSegments("/staff", StringComparison.OrdinalIgnoreCase))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            else if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(headers.CacheControl))
            {
                // Verifications, batches and their reports, 271 answers carry PHI: never cached by a browser or proxy.
                // An endpoint whose answer is public (a payer list) says so with its own Cache-Control.
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
