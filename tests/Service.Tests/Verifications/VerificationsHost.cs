using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// The real service with the built-in sandbox clearinghouse over loopback HTTP, tuned for tests: no sandbox latency,
/// short retry delays, and every log line captured so tests can prove no PHI reaches the logs.
/// </summary>
internal sealed class VerificationsHost : IDisposable
{
    private readonly ServiceApplication _root = new();

    public VerificationsHost(IDictionary<string, string?>? settings = null)
    {
        Factory = _root.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Sandbox:LatencyMs", "0");
            builder.UseSetting("Sandbox:TimeoutDelayMs", "3000");
            builder.UseSetting("Clearinghouse:RetryBaseDelay", "00:00:00.010");
            builder.UseSetting("Clearinghouse:MaxRetryAttempts", "1");
            builder.UseSetting("Clearinghouse:AttemptTimeout", "00:00:01");
            builder.UseSetting("Clearinghouse:TotalTimeout", "00:00:03");
            builder.UseSetting("Clearinghouse:MaxRetryAfter", "00:00:01");
            builder.UseSetting("Verification:RetryBaseDelay", "00:00:00.050");
            builder.UseSetting("Verification:RetryMaxDelay", "00:00:01");
            builder.UseSetting("Verification:PollInterval", "00:00:00.050");
            builder.UseSetting("Verification:RealTimeBudget", "00:00:05");
            builder.UseSetting("Verification:ReverifySchedule", "off");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(Logs);
            });
        });
    }

    public WebApplicationFactory<Program> Factory { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public string DataDirectory => _root.DataDirectory;

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
        _root.Dispose();
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
