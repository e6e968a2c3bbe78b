using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Concordat.Tests.Support;

/// <summary>Keeps what the app logs at warning and above, so a test can check what an operator would read.</summary>
public sealed class LogCollector : ILoggerProvider
{
    readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    /// <summary>The least severe entry kept: warnings unless a test wants to read what the app tells an operator in passing.</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Warning;

    public ILogger CreateLogger(string categoryName) => new Collecting(this, categoryName);

    public void Dispose() { }

    sealed class Collecting(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= collector.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) collector._entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
        }
    }
}
