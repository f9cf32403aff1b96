using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Remittances;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Pages.Staff;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Pages;

/// <summary>The admissions staff pages: Razor Pages under <c>/staff</c>, their security headers and static files.</summary>
internal static class StaffPagesExtensions
{
    public static WebApplicationBuilder AddStaffPages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Staff", Policies.VerificationsRead);
            options.Conventions.AuthorizePage("/Staff/Verify", Policies.VerificationsWrite);
            // The queue names patients: admissions (and administrators) only; finance has its reports.
            options.Conventions.AuthorizePage("/Staff/Queue", Policies.VerificationsWrite);
            options.Conventions.AuthorizePage("/Staff/WebRequest", Policies.VerificationsWrite);
            // Finance's pages (#19): remittances, estimate accuracy and batches, for finance and administrators.
            options.Conventions.AuthorizePage("/Staff/Remittances", Policies.Remittances);
            options.Conventions.AuthorizePage("/Staff/Accuracy", Policies.Remittances);
            options.Conventions.AuthorizePage("/Staff/Batches", Policies.Batches);
            options.Conventions.AllowAnonymousToPage("/Staff/SignIn");
            options.Conventions.AllowAnonymousToPage("/Staff/SignedIn");
            options.Conventions.AllowAnonymousToPage("/Staff/AccessDenied");
            options.Conventions.AllowAnonymousToPage("/Staff/SignOut");
        });
        var production = builder.Environment.IsProductionLike();
        services.AddAntiforgery(options =>
        {
            // Production: https only, for this host (__Host-); Development keeps plain http on loopback working.
            options.Cookie.Name = production ? "__Host-coveragecheck.antiforgery" : "coveragecheck.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/";
            options.Cookie.HttpOnly = true;
            options.FormFieldName = "__csrf";
        });

        services.AddScoped<StaffVerifications>();
        return builder;
    }

    /// <summary>Security headers on every response and the pages' static files; call before authentication.</summary>
    public static WebApplication UseStaffPages(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages();
        endpoints.MapGet("/", () => TypedResults.Redirect("/staff")).ExcludeFromDescription();

        var staff = endpoints.MapGroup("/staff/verifications").ExcludeFromDescription().RequireAuthorization(Policies.VerificationsRead);
        staff.MapGet("/{id:guid}/status", StaffEndpoints.StatusAsync);

        // Finance's downloads from its pages (#19): the same handlers as the API, under /staff so the session signs them
        // (the API itself takes only API keys and bearer tokens).
        var finance = endpoints.MapGroup("/staff/finance").ExcludeFromDescription();
        finance.MapGet("/batches/{id:guid}/report.{format}", BatchesApi.GetReportAsync).RequireAuthorization(Policies.Batches);
        finance.MapGet("/batches/{id:guid}/sandbox-835", RemittancesApi.SandboxAsync).RequireAuthorization(Policies.Remittances);
        finance.MapGet("/accuracy.{format}", EstimateAccuracyApi.FileAsync).RequireAuthorization(Policies.Remittances);
        return endpoints;
    }
}
