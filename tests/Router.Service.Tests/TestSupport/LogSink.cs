using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Router.Service.Tests.TestSupport;

/// <summary>Collects log entries in memory, so tests can wait for one and insist on no unexpected errors.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>Error-level entries whose event name is not in <paramref name="expected"/>.</summary>
    public IReadOnlyList<Entry> UnexpectedErrors(IReadOnlySet<string> expected) =>
        [.. _entries.Where(e => e.Level >= LogLevel.Error && !expected.Contains(e.EventId.Name ?? ""))];

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
