using Microsoft.Extensions.Logging;

namespace XenDisplayWeb.Shared.Diagnostics;

/// <summary>
/// A guest's logger: one category for every guest, the domain named at the head of each message. (A category per
/// guest would stay in the logger factory's cache after the guest is gone: one more for every domain id ever used.)
/// </summary>
internal sealed class GuestLogger(ILogger inner, int domId) : ILogger
{
    /// <summary>A logger of category <typeparamref name="T"/>'s short name ("XenDrmFront"), as guests' loggers have always been named.</summary>
    public static ILogger Create<T>(ILoggerFactory loggers, int domId) => new GuestLogger(loggers.CreateLogger(typeof(T).Name), domId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, (s, e) => $"dom{domId}: {formatter(s, e)}");
}
