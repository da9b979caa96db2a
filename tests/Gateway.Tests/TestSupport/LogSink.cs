using System.Collections.Concurrent;

namespace Gateway.Tests.TestSupport;

/// <summary>Collects log entries in memory, so a host can fail on unexpected Error logs and tests can read events.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <summary>Throws listing every Error-level entry whose event name is not in <paramref name="expected"/>.</summary>
    public void AssertNoUnexpectedErrors(string host, IReadOnlySet<string> expected)
    {
        var unexpected = Entries.Where(e => e.Level >= LogLevel.Error && !expected.Contains(e.EventName ?? "")).ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException($"Unexpected error logs in {host}:" + Environment.NewLine +
                string.Join(Environment.NewLine, unexpected.Select(e => $"  {e.Category} [{e.EventName}] {e.Message} {e.Exception}")));
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}
