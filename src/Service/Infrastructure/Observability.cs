using CoverageCheck.Service.Features.Verifications;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// OpenTelemetry metrics and traces: verifications by payer and outcome, payer latency, retries, queue depth and age
/// (<see cref="VerificationTelemetry"/>), Polly's resilience events (retries, circuit breaker opened/closed), ASP.NET
/// Core and HttpClient. Exported over OTLP when an endpoint is configured (<c>OpenTelemetry:Otlp:Endpoint</c> or the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); without one the SDK is not started at all. Nothing here carries personal data: tags are payer IDs, outcomes,
/// routes and status codes, and no URL of this service or the clearinghouse holds a person.
/// </summary>
internal static class Observability
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OpenTelemetry:Otlp:Endpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var otlp))
        {
            // Without an exporter the SDK would still start a span, with tags, for every request and payer call, and
            // send it nowhere: on the estimates endpoint that was 5 % of its CPU (docs/performance.md). The meters
            // (CoverageCheck.Verifications, ASP.NET Core's, Polly's) still publish to dotnet-counters and
            // dotnet-monitor, which listen to them without the SDK.
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("coveragecheck"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(VerificationTelemetry.Name, "Polly")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = otlp);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(VerificationTelemetry.Name)
                    // Health probes are noise; query strings of the work queue are filters, never people.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = otlp);
            });
        return builder;
    }
}
