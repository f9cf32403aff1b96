using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace CoverageCheck.Sandbox;

/// <summary>
/// The sandbox clearinghouse running in this process on a loopback port, for the Service (when
/// <c>Clearinghouse:BaseUrl</c> is empty) and for tests. Real Kestrel, real sockets: clients reach it over HTTP.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private SandboxHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        State = app.Services.GetRequiredService<SandboxState>();
    }

    /// <summary>Where the sandbox listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The members and knobs, to change from code as <c>PUT /sandbox/*</c> would.</summary>
    public SandboxState State { get; }

    /// <summary>Starts the sandbox on 127.0.0.1 (port <see cref="SandboxOptions.Port"/>, 0 for any free one).</summary>
    public static Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, TimeProvider.System, cancellationToken);

    /// <summary>As <see cref="StartAsync(SandboxOptions, CancellationToken)"/>, with the clock the sandbox waits and stamps with.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);

        // An isolated host: none of the surrounding process's configuration, URLs or logging leak in.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        SandboxApp.AddSandbox(builder.Services, options, timeProvider);

        var app = builder.Build();
        app.MapSandboxApi();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new SandboxHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Registration shared by the stand-alone program and <see cref="SandboxHost"/>.</summary>
public static class SandboxApp
{
    public static IServiceCollection AddSandbox(IServiceCollection services, SandboxOptions options, TimeProvider timeProvider)
    {
        services.AddSingleton(options);
        services.AddSingleton(timeProvider);
        services.AddSingleton(new SandboxState(options));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SandboxJsonContext.Default));
        services.AddProblemDetails();
        return services;
    }
}
