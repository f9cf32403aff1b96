using CoverageCheck.Service.Features.Verifications;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// OpenTelemetry metrics and traces: verifications by payer and outcome, payer latency, retries, queue depth and age
/// (<see cref="VerificationTelemetry"/>), Polly's resilience events (retries, circuit breaker opened/closed), ASP.NET
/// Core and HttpClient. Exported over OTLP when an endpoint is configured (<c>OpenTelemetry:Otlp:Endpoint</c> or the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Nothing here carries personal data: tags are payer IDs, outcomes,
/// routes and status codes, and no URL of this service or the clearinghouse holds a person.
/// </summary>
internal static class Observability
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OpenTelemetry:Otlp:Endpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var otlp = Uri.TryCreate(endpoint, UriKind.Absolute, out var otlpEndpoint) ? otlpEndpoint : null;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("coveragecheck"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(VerificationTelemetry.Name, "Polly")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(VerificationTelemetry.Name)
                    // Health probes are noise; query strings of the work queue are filters, never people.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        return builder;
    }
}
