using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Infrastructure.Json;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

internal static class VerificationsExtensions
{
    public static WebApplicationBuilder AddVerifications(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, VerificationsJsonContext.Default);
            // As the context writes it, and so the OpenAPI document shows the class as its string.
            options.SerializerOptions.Converters.Add(new KebabEnumConverter<AaaClass>());
        });
        builder.Services.AddOptions<VerificationOptions>()
            .Bind(builder.Configuration.GetSection(VerificationOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<VerificationOptions>, VerificationOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<VerificationOptions>, VerificationOptionsCustomValidator>();

        builder.Services.AddSingleton<VerificationTelemetry>();
        builder.Services.AddSingleton<VerificationSignal>();
        builder.Services.AddSingleton<VerificationEstimator>();
        builder.Services.AddSingleton<Completions.CompletionService>();
        builder.Services.AddSingleton<VerificationProcessor>();
        builder.Services.AddSingleton<CoverageChangeDetector>();
        builder.Services.AddSingleton<VerificationOutcomes>();
        builder.Services.AddSingleton<VerificationIntake>();
        builder.Services.AddHostedService<VerificationWorker>();
        builder.Services.AddHostedService<ReverificationService>();
        return builder;
    }
}
