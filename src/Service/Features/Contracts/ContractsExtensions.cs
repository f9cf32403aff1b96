namespace CoverageCheck.Service.Features.Contracts;

internal static class ContractsExtensions
{
    public static WebApplicationBuilder AddContracts(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default));
        builder.Services.AddSingleton<ContractStore>();
        return builder;
    }
}
