using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace CoverageCheck.Clients.Clearinghouse;

public static class ClearinghouseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IClearinghouseClient"/>: the source-generated Refit client for the v3 eligibility API,
    /// its API-key or OAuth bearer handler and its resilience pipeline (per-payer breaker, shared concurrency limit), with
    /// <see cref="ClearinghouseOptions"/> bound from <c>Clearinghouse</c> and validated at start-up.
    /// <c>Clearinghouse:BaseUrl</c> must be set.
    /// </summary>
    public static IHttpClientBuilder AddClearinghouseClient(this IServiceCollection services, IConfiguration configuration) =>
        services.AddClearinghouseClient(configuration, fallbackBaseAddress: null);

    /// <summary>
    /// As <see cref="AddClearinghouseClient(IServiceCollection, IConfiguration)"/>, and when <c>Clearinghouse:BaseUrl</c>
    /// is empty, asks <paramref name="fallbackBaseAddress"/> for the base address at the first request (awaited, so a
    /// sandbox may still be starting). The same Refit client and pipeline are used either way.
    /// </summary>
    public static IHttpClientBuilder AddClearinghouseClient(
        this IServiceCollection services,
        IConfiguration configuration,
        Func<IServiceProvider, CancellationToken, ValueTask<Uri>>? fallbackBaseAddress)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptionsWithValidateOnStart<ClearinghouseOptions>()
            .Bind(configuration.GetSection(ClearinghouseOptions.SectionName))
            .PostConfigure(options =>
            {
                // An empty BaseUrl binds as an empty relative Uri: that means "not set".
                if (!ClearinghouseAddress.IsSet(options.BaseUrl) && options.BaseUrl?.OriginalString.Length == 0)
                {
                    options.BaseUrl = null;
                }

                if (!ClearinghouseAddress.IsSet(options.OAuth.TokenUrl) && options.OAuth.TokenUrl?.OriginalString.Length == 0)
                {
                    options.OAuth.TokenUrl = null;
                }
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClearinghouseOptions>, ClearinghouseOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClearinghouseOptions>, ClearinghouseOptionsCustomValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ClearinghouseAddress(fallbackBaseAddress));
        services.TryAddSingleton<ClearinghouseConcurrencyLimiter>();
        services.TryAddTransient<ClearinghouseAddressHandler>();
        services.TryAddTransient<ClearinghouseAuthorizationHandler>();
        services.TryAddTransient<ClearinghouseBearerHandler>();
        services.TryAddSingleton<ClearinghouseTokenCache>();
        services.TryAddTransient<ClearinghouseAttemptHandler>();
        services.TryAddTransient<IClearinghouseClient, ClearinghouseClient>();

        var client = services.AddRefitGeneratedClient<IClearinghouseApi>(ClearinghouseJsonContext.Default)
            .ConfigureHttpClient((provider, http) =>
            {
                http.BaseAddress = ClearinghouseAddress.ClientBaseAddress(provider.GetRequiredService<IOptions<ClearinghouseOptions>>().Value);
                // The pipeline owns every timeout; HttpClient's own 100 s default would cut across it.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The request carries a patient's name, date of birth and member ID: a redirect is never followed to
            // wherever it points (the client reports the 3xx as a failure instead).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<ClearinghouseAddressHandler>();

        client.AddResilienceHandler(ClearinghouseResilience.PipelineName, ClearinghouseResilience.Configure)
            .SelectPipelineBy(_ => ClearinghouseResilience.PayerKey);

        // Inside the resilience handler, so every attempt carries a current key or token. Each is a no-op unless its
        // mode is configured (the validator makes them mutually exclusive).
        client.AddHttpMessageHandler<ClearinghouseAuthorizationHandler>()
            .AddHttpMessageHandler<ClearinghouseBearerHandler>()
            .AddHttpMessageHandler<ClearinghouseAttemptHandler>();

        // The token endpoint has its own plain client: not the clearinghouse pipeline (no payer breaker, no shared
        // concurrency permits), with its own timeout.
        services.AddHttpClient(ClearinghouseTokenCache.HttpClientName, (provider, http) =>
                http.Timeout = provider.GetRequiredService<IOptions<ClearinghouseOptions>>().Value.OAuth.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false }); // it carries the client secret

        return client;
    }
}
