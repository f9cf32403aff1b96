namespace CoverageCheck.Service.Features.Consents;

internal static class ConsentsExtensions
{
    public static WebApplicationBuilder AddConsents(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ConsentsJsonContext.Default));
        builder.Services.AddSingleton<ConsentStore>();
        return builder;
    }
}
