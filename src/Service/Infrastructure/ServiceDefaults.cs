using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace CoverageCheck.Service.Infrastructure;

internal static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RequestFailureExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks()
            .AddCheck<StartedHealthCheck>("started", tags: [ReadyTag]);
        builder.AddForwardedHeaders();

        builder.Services.AddOptionsWithValidateOnStart<TransportSecurityOptions>()
            .BindConfiguration(TransportSecurityOptions.SectionName)
            .ValidateDataAnnotations();
        builder.Services.AddOptions<HstsOptions>().Configure<IOptions<TransportSecurityOptions>>((hsts, transport) =>
        {
            hsts.MaxAge = transport.Value.HstsMaxAge;
            hsts.IncludeSubDomains = transport.Value.HstsIncludeSubDomains;
        });
        builder.Services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<TransportSecurityOptions>>((redirection, transport) =>
        {
            redirection.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            redirection.HttpsPort = transport.Value.Port;
        });
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeadersFromTrustedProxies();
        var transport = app.Services.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        if (transport.Enforce ?? app.Environment.IsProductionLike())
        {
            // After the forwarded headers, so a trusted proxy's X-Forwarded-Proto: https counts as https. Health probes
            // stay answerable over plain http: a load balancer's probe must not be redirected.
            app.UseHsts();
            app.UseWhen(
                context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase),
                branch => branch.UseHttpsRedirection());
        }

        if (app.Environment.IsProductionLike() && app.Configuration["AllowedHosts"] is null or "*")
        {
            app.Logger.LogWarning(
                "AllowedHosts is '*': requests for any host name are answered. Set AllowedHosts to the service's host names (e.g. coveragecheck.example.org;*.example.org).");
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process answers. Ready: every check tagged "ready" (start-up done, database migrated).
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .ExcludeFromDescription();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>
/// <c>Https:*</c>: HSTS and the redirection of plain http to https, on by default outside Development and the test
/// hosts. Behind a TLS-terminating proxy, list it in <c>ForwardedHeaders:TrustedProxies</c> so its
/// <c>X-Forwarded-Proto</c> tells which requests came in over https.
/// </summary>
internal sealed class TransportSecurityOptions
{
    public const string SectionName = "Https";

    /// <summary>Send HSTS and redirect http to https; unset: on in Production, off in Development.</summary>
    public bool? Enforce { get; set; }

    /// <summary>The https port that plain http is redirected to (the public one, usually the proxy's 443).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>How long browsers remember to use https only (Strict-Transport-Security max-age).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "730.00:00:00")]
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Whether HSTS covers every subdomain too (only when they all serve https).</summary>
    public bool HstsIncludeSubDomains { get; set; }
}

/// <summary>Healthy once the host has finished starting (all hosted services started).</summary>
internal sealed class StartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The service is still starting."));
}
