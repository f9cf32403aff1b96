using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// The real service (<see cref="ServiceApplication"/>, on <see cref="TestHostSettings"/>) with the built-in sandbox
/// clearinghouse over loopback HTTP, and every log line captured so tests can prove no PHI reaches the logs.
/// </summary>
internal sealed class VerificationsHost : IDisposable
{
    // Owned here, not by the factory: a test may stop the host and still read the files it left.
    private readonly TempFolder _data = new("verifications");

    /// <param name="settings">Settings added to, or replacing, the <see cref="TestHostSettings"/>.</param>
    /// <param name="clock">The host's clock; the <see cref="TestClock"/> when not given.</param>
    public VerificationsHost(IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        Factory = new ServiceApplication(settings, _data)
        {
            Clock = clock ?? new TestClock(),
            ConfigureHost = builder => builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(Logs);
            }),
        };
    }

    public ServiceApplication Factory { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public string DataDirectory => _data.Path;

    public HttpClient Client(string? apiKey)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>The sandbox clearinghouse the service talks to, for its admin endpoints.</summary>
    public async Task<HttpClient> SandboxAsync()
    {
        var address = await Factory.Services.GetRequiredService<CoverageCheck.Service.Infrastructure.SandboxClearinghouse>().GetBaseAddressAsync(CancellationToken.None);
        return new HttpClient { BaseAddress = address };
    }

    public async Task SetFaultsAsync(FaultSettings faults)
    {
        using var sandbox = await SandboxAsync();
        using var response = await sandbox.PutAsJsonAsync("/sandbox/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Polls a verification until it reaches one of <paramref name="statuses"/> (real time, bounded).</summary>
    public static async Task<JsonObject> WaitForAsync(HttpClient client, string location, TimeSpan timeout, params string[] statuses)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        JsonObject body;
        do
        {
            using var response = await client.GetAsync(location);
            body = await ReadAsync(response);
            if (statuses.Contains((string?)body["status"]))
            {
                return body;
            }

            await Task.Delay(50);
        }
        while (Environment.TickCount64 < deadline);

        Assert.Fail($"Verification {location} is still '{body["status"]}' after {timeout}; expected {string.Join(" or ", statuses)}.");
        return body;
    }

    public void Dispose()
    {
        Factory.Dispose();
        _data.Dispose();
    }
}

/// <summary>A real logger provider that keeps every formatted message and its structured state.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {structured} {exception}");
        }
    }
}
