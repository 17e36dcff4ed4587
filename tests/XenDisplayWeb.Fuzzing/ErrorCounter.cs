using Microsoft.Extensions.Logging;

namespace XenDisplayWeb.Fuzzing;

/// <summary>Counts Error and Critical log entries (a backend bug logs one) and keeps the first few messages and the latest.</summary>
public sealed class ErrorCounter : ILoggerProvider, ILoggerFactory
{
    private readonly List<string> _messages = [];
    private long _errors;
    private string? _last;

    public long Errors => Interlocked.Read(ref _errors);

    public IReadOnlyList<string> Messages { get { lock (_messages) return [.. _messages]; } }

    /// <summary>The latest message; null before the first.</summary>
    public string? Last { get { lock (_messages) return _last; } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private void Record(string category, string message)
    {
        Interlocked.Increment(ref _errors);
        lock (_messages)
        {
            _last = $"{category}: {message}";
            if (_messages.Count < 20) _messages.Add(_last);
        }
    }

    private sealed class Logger(ErrorCounter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // A guest compositor's failure (its device taken away under it) is the guest's business, not a backend crash.
            if (logLevel < LogLevel.Error || category.StartsWith("GuestCompositor", StringComparison.Ordinal) || category.StartsWith("XenDrmFront", StringComparison.Ordinal)) return;
            owner.Record(category, formatter(state, exception) + (exception is null ? "" : $" {exception.GetType().Name}: {exception.Message}"));
        }
    }
}
