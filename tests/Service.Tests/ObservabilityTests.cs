using CoverageCheck.Service.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CoverageCheck.Service.Tests;

internal sealed class ObservabilityTests
{
    [Test]
    public void Without_an_otlp_endpoint_the_sdk_is_not_started_and_no_span_is_recorded()
    {
        using var app = Build(endpoint: null);

        Assert.That(app.Services.GetService<TracerProvider>(), Is.Null);
        Assert.That(app.Services.GetService<MeterProvider>(), Is.Null);
    }

    [Test]
    public void With_an_otlp_endpoint_traces_and_metrics_are_exported()
    {
        using var app = Build(endpoint: "http://127.0.0.1:4317");

        Assert.That(app.Services.GetService<TracerProvider>(), Is.Not.Null);
        Assert.That(app.Services.GetService<MeterProvider>(), Is.Not.Null);
    }

    private static WebApplication Build(string? endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["OpenTelemetry:Otlp:Endpoint"] = endpoint;
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = null;
        builder.AddObservability();
        return builder.Build();
    }
}
