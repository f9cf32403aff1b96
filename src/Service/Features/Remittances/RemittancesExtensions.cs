namespace CoverageCheck.Service.Features.Remittances;

internal static class RemittancesExtensions
{
    public static WebApplicationBuilder AddRemittances(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, RemittancesJsonContext.Default));
        builder.Services.AddSingleton<RemittanceStore>();
        builder.Services.AddSingleton<RemittanceMatcher>();
        builder.Services.AddSingleton<RemittanceService>();
        builder.Services.AddSingleton<EstimateAccuracyService>();
        builder.Services.AddSingleton<SandboxRemittanceIssuer>();
        return builder;
    }
}
