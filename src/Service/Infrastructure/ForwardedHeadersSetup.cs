using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// <c>ForwardedHeaders:TrustedProxies:N</c>: the reverse proxies or load balancers in front of the service, as
/// addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>). Requests from them have their client address and
/// scheme taken from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>; from anywhere else those headers are ignored.
/// Without it, behind a proxy every caller would share the proxy's address, and the per-address limits (anonymous
/// estimates, staff sign-in) would throttle everyone together.
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    public IList<string> TrustedProxies { get; } = [];
}

internal static class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .Validate(
                settings => settings.TrustedProxies.All(entry => IPAddress.TryParse(entry, out _) || System.Net.IPNetwork.TryParse(entry, out _)),
                "ForwardedHeaders:TrustedProxies entries must be IP addresses (10.0.0.5) or networks (10.0.0.0/8).");
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies configured here; the framework's default trusts loopback.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var entry in settings.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(entry, out var address))
                {
                    options.KnownProxies.Add(address);
                }
                else
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after sees the client's address; nothing when no proxy is trusted.</summary>
    public static WebApplication UseForwardedHeadersFromTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
