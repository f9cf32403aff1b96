namespace CoverageCheck.Service.Features.Authorizations;

internal static class AuthorizationsExtensions
{
    public static WebApplicationBuilder AddAuthorizations(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthorizationsJsonContext.Default));
        builder.Services.AddSingleton<AuthorizationStore>();
        builder.Services.AddSingleton<AuthorizationRecorder>();
        return builder;
    }
}
