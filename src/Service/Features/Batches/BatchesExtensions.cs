namespace CoverageCheck.Service.Features.Batches;

internal static class BatchesExtensions
{
    /// <summary>Census batches: the store and the service behind <c>/api/v1/batches</c> and the <c>batch</c> commands.</summary>
    public static WebApplicationBuilder AddBatches(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BatchesJsonContext.Default));
        builder.Services.AddSingleton<BatchStore>();
        builder.Services.AddSingleton<BatchService>();
        return builder;
    }
}
