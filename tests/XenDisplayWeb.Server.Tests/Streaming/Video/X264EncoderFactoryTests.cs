using Microsoft.Extensions.Logging;
using XenDisplayWeb.Server.Streaming.Video;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

public sealed class X264EncoderFactoryTests
{
    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void AMissingLibraryMakesTheFactoryUnavailableNamingItAndWarnsOnce()
    {
        var logger = new RecordingLogger<X264EncoderFactory>();
        var factory = new X264EncoderFactory(logger, "libdoesnotexist.so.1");

        Assert.False(factory.Available);
        Assert.False(factory.Available);
        Assert.Contains("libdoesnotexist.so.1", factory.UnavailableReason);
        Assert.Contains("libdoesnotexist.so.1", factory.UnavailableReason);
        Assert.Equal("avc1", factory.Family);
        var e = Assert.Throws<InvalidOperationException>(() => factory.Create(320, 240, 60, 2000));
        Assert.Contains("libdoesnotexist.so.1", e.Message);

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("H.264 is unavailable (libdoesnotexist.so.1 could not be loaded): streaming tiles only", warning.Message);
    }

    [Fact]
    public void ALibraryWithoutX264sCallsIsUnavailableNamingWhatIsMissing()
    {
        var logger = new RecordingLogger<X264EncoderFactory>();
        var factory = new X264EncoderFactory(logger, "libturbojpeg.so.0");

        Assert.False(factory.Available);
        Assert.StartsWith("libturbojpeg.so.0 has no x264_param_default_preset", factory.UnavailableReason);
        Assert.Single(logger.Entries);
    }

    [Fact]
    public void Debian264IsAvailableWithoutWarnings()
    {
        var logger = new RecordingLogger<X264EncoderFactory>();
        var factory = new X264EncoderFactory(logger);

        Assert.True(factory.Available, factory.UnavailableReason);
        Assert.Null(factory.UnavailableReason);
        Assert.Empty(logger.Entries);
    }
}
