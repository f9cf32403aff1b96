using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>A real logging sink that keeps every formatted message and every state value it receives.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    /// <summary>Everything a sink could write: messages, state keys and values, exceptions.</summary>
    public string AllText => string.Join("\n", _entries.Select(e => $"{e.Category} {e.Message} {string.Join(" ", e.State.Select(kv => $"{kv.Key}={kv.Value}"))} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value?.ToString())).ToList()
                : [];
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, string?>> State, string? Exception);
