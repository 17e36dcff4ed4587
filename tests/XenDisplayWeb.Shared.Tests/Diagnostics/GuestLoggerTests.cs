using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;

namespace XenDisplayWeb.Shared.Tests.Diagnostics;

public class GuestLoggerTests
{
    private sealed class Last : ILogger, ILoggerFactory
    {
        public string? Category, Message;
        public IReadOnlyList<KeyValuePair<string, object?>>? State;
        public ILogger CreateLogger(string categoryName) { Category = categoryName; return this; }
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Message = formatter(state, exception);
            State = state as IReadOnlyList<KeyValuePair<string, object?>>;
        }
    }

    [Fact]
    public void Every_guest_logs_under_its_types_name_with_its_domain_at_the_head_of_the_message_and_the_fields_kept()
    {
        var sink = new Last();
        var logger = GuestLogger.Create<GuestLoggerTests>(sink, 7);

        logger.LogInformation("Backend state {State}", "Connected");

        Assert.Equal(nameof(GuestLoggerTests), sink.Category);
        Assert.Equal("dom7: Backend state Connected", sink.Message);
        Assert.Contains(sink.State!, kv => kv.Key == "State" && (string?)kv.Value == "Connected");
    }
}
