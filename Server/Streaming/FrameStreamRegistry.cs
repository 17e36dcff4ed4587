using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// The display sink factory the backend uses: one <see cref="ConnectorStream"/> per connector of a
/// guest's device 0, found again by (domId, index). Drops a connection's viewers when it leaves.
/// </summary>
public sealed class FrameStreamRegistry : IDisplaySinkFactory, IDisposable
{
    private readonly ConcurrentDictionary<ConnectorKey, ConnectorStream> _streams = new();
    private readonly StreamingOptions _options;
    private readonly IFrameSender _sender;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly bool _runEncoders;
    private int _jpegWarned;

    public FrameStreamRegistry(IOptions<StreamingOptions> options, IFrameSender sender, TimeProvider time, ILoggerFactory loggers,
        HubConnections? connections = null, bool runEncoders = true)
    {
        _options = options.Value;
        _sender = sender;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<FrameStreamRegistry>();
        _runEncoders = runEncoders;
        if (connections is not null) connections.Left += RemoveViewer;
    }

    public IDisplaySink Create(ConnectorKey connector, int width, int height)
    {
        var stream = _streams.GetOrAdd(connector, k => new ConnectorStream(k.DomId, k.Index, _options, _sender, _time,
            _loggers.CreateLogger<ConnectorStream>(), NewJpegEncoder(), _runEncoders));
        stream.Attach(width, height);
        return new ConnectorSink(stream);
    }

    /// <summary>The stream of connector <paramref name="index"/> of the guest's device 0, if the backend serves it.</summary>
    public ConnectorStream? Find(int domId, int index) => Known(domId, index) is { IsActive: true } s ? s : null;

    /// <summary>
    /// The stream of connector <paramref name="index"/> of the guest's device 0 if the backend has ever served
    /// it, attached or not: between two backend cycles (a resolution change, a restart) it is not, and
    /// viewers still watch and acknowledge it.
    /// </summary>
    public ConnectorStream? Known(int domId, int index) =>
        _streams.TryGetValue(new ConnectorKey(domId, 0, index), out var s) ? s : null;

    public IEnumerable<ConnectorStream> Streams => _streams.Values;

    public void RemoveViewer(string connectionId)
    {
        foreach (var s in _streams.Values) s.RemoveViewer(connectionId);
    }

    /// <summary>A connection took what it was sent: its streams may send it more.</summary>
    public void OnDrained(string connectionId)
    {
        foreach (var s in _streams.Values) if (s.IsWatchedBy(connectionId)) s.Signal();
    }

    private JpegEncoder? NewJpegEncoder()
    {
        var jpeg = JpegEncoder.TryCreate(out var error);
        if (jpeg is null && Interlocked.Exchange(ref _jpegWarned, 1) == 0)
            _logger.LogWarning("JPEG is unavailable ({Reason}): streaming lossless PNG only", error);
        return jpeg;
    }

    public void Dispose()
    {
        foreach (var s in _streams.Values) s.Dispose();
        _streams.Clear();
    }
}
