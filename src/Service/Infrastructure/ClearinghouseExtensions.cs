using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Sandbox;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

internal static class ClearinghouseExtensions
{
    /// <summary>
    /// The clearinghouse client (Refit + its resilience pipeline) and the payer table. With <c>Clearinghouse:BaseUrl</c>
    /// empty, the sandbox clearinghouse runs in this process on a loopback port and the same client talks to it over
    /// HTTP: nothing takes a shortcut around the wire.
    /// </summary>
    public static WebApplicationBuilder AddClearinghouse(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<ClearinghouseChoice>().BindConfiguration(ClearinghouseOptions.SectionName);
        services.AddSingleton<IValidateOptions<ClearinghouseChoice>, ClearinghouseChoiceValidator>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{ClearinghouseOptions.SectionName}:BaseUrl"]))
        {
            services.AddOptionsWithValidateOnStart<SandboxOptions>()
                .Bind(builder.Configuration.GetSection(SandboxOptions.SectionName))
                .ValidateDataAnnotations()
                .Validate(options => !options.Faults.Problems().Any(), "Sandbox:Faults rates must be fractions between 0 and 1 adding up to at most 1.");
            services.AddSingleton<SandboxClearinghouse>();
            services.AddHostedService(provider => provider.GetRequiredService<SandboxClearinghouse>());
            services.AddClearinghouseClient(
                builder.Configuration,
                (provider, cancellationToken) => provider.GetRequiredService<SandboxClearinghouse>().GetBaseAddressAsync(cancellationToken));
        }
        else
        {
            services.AddClearinghouseClient(builder.Configuration);
        }

        services.AddPayerDirectory(builder.Configuration);
        return builder;
    }
}

/// <summary>
/// <c>Clearinghouse:BaseUrl</c> and <c>Clearinghouse:Sandbox</c>: whether the built-in sandbox answers. Outside
/// Development (and the test hosts) an empty base address is refused unless <see cref="Sandbox"/> says the sandbox is
/// wanted: otherwise real patients would be told "not found" and their details sent to a fake payer.
/// </summary>
internal sealed class ClearinghouseChoice
{
    public string? BaseUrl { get; set; }

    /// <summary>True: run the built-in sandbox on purpose (a demonstration or staging host); only with no BaseUrl.</summary>
    public bool Sandbox { get; set; }
}

internal sealed class ClearinghouseChoiceValidator(IHostEnvironment environment) : IValidateOptions<ClearinghouseChoice>
{
    public ValidateOptionsResult Validate(string? name, ClearinghouseChoice options)
    {
        var empty = string.IsNullOrWhiteSpace(options.BaseUrl);
        if (!empty && options.Sandbox)
        {
            return ValidateOptionsResult.Fail(
                "Clearinghouse:Sandbox is true but Clearinghouse:BaseUrl is set: remove one, the sandbox and a real clearinghouse cannot both answer.");
        }

        return empty && !options.Sandbox && environment.IsProductionLike()
            ? ValidateOptionsResult.Fail(
                $"Clearinghouse:BaseUrl is empty, so in {environment.EnvironmentName} the built-in sandbox clearinghouse (synthetic members only) would answer every eligibility check: set Clearinghouse:BaseUrl to the real clearinghouse, or set Clearinghouse:Sandbox to true to run the sandbox here on purpose.")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// The built-in sandbox clearinghouse, started once: eagerly with the host, or by the first inquiry that needs its
/// address, whichever comes first. It keeps the system clock on purpose: it stands in for another system, and a
/// test's fake clock must not freeze its answers.
/// </summary>
internal sealed partial class SandboxClearinghouse(IOptions<SandboxOptions> options, ILogger<SandboxClearinghouse> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private Task<SandboxHost>? _host;
    private bool _disposed;

    public async ValueTask<Uri> GetBaseAddressAsync(CancellationToken cancellationToken) =>
        (await Start().WaitAsync(cancellationToken)).BaseAddress;

    /// <summary>The sandbox's members and knobs, to change from code as <c>PUT /sandbox/*</c> would (tests, tools).</summary>
    public async ValueTask<SandboxState> GetStateAsync(CancellationToken cancellationToken) =>
        (await Start().WaitAsync(cancellationToken)).State;

    public Task StartAsync(CancellationToken cancellationToken) => Start().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        Task<SandboxHost>? host;
        lock (_lock)
        {
            // Stopped by the host, then disposed by the container: only the first call stops the sandbox.
            host = _host;
            _host = null;
            _disposed = true;
        }

        if (host is not null)
        {
            try
            {
                await (await host).DisposeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStopFailed(logger, ex);
            }
        }
    }

    private Task<SandboxHost> Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_host is null)
            {
                // Not tied to the first caller's token: one caller giving up must not fail the sandbox for everyone.
                // Nor to its execution context: the sandbox's server would keep the first caller's ambient state
                // (Activity.Current, AsyncLocals), and a WebApplicationFactory still listening on that flow would
                // take the sandbox's host for the service's and swap its Kestrel for a TestServer.
                using (ExecutionContext.SuppressFlow())
                {
                    _host = Task.Run(StartCoreAsync);
                }
            }

            return _host;
        }
    }

    private async Task<SandboxHost> StartCoreAsync()
    {
        var host = await SandboxHost.StartAsync(options.Value, CancellationToken.None);
        LogStarted(logger, host.BaseAddress);
        return host;
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information,
        Message = "Clearinghouse:BaseUrl is empty: the sandbox clearinghouse answers at {BaseAddress} (synthetic members only)")]
    private static partial void LogStarted(ILogger logger, Uri baseAddress);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "The sandbox clearinghouse did not stop cleanly")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);
}
