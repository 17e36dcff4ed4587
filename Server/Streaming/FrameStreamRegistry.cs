using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// The display sink factory the backend uses: one <see cref="ConnectorStream"/> per connector of a
/// guest's device 0, found again by (domId, index), kept across backend cycles and gone with its guest.
/// Drops a connection's viewers when it leaves.
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
    private readonly IVideoEncoderFactory _video;
    private readonly ConcurrentDictionary<ConnectorKey, VideoMode> _modes = new();
    private int _jpegWarned;

    public FrameStreamRegistry(IOptions<StreamingOptions> options, IFrameSender sender, TimeProvider time, ILoggerFactory loggers,
        HubConnections? connections = null, bool runEncoders = true, IVideoEncoderFactory? video = null)
    {
        _options = options.Value;
        _sender = sender;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<FrameStreamRegistry>();
        _runEncoders = runEncoders;
        _video = video ?? new UnavailableVideoEncoderFactory();
        if (connections is not null) connections.Left += RemoveViewer;
    }

    public IDisplaySink Create(ConnectorKey connector, int width, int height)
    {
        var stream = _streams.GetOrAdd(connector, k => new ConnectorStream(k.DomId, k.Index, _options, _sender, _time,
            _loggers.CreateLogger<ConnectorStream>(), NewJpegEncoder(), _runEncoders, _video));
        if (_modes.TryGetValue(connector, out var mode)) stream.Mode = mode;
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

    /// <summary>The operator's mode for a connector: kept for its stream to come if the backend has not served it yet.</summary>
    public void SetMode(int domId, int index, VideoMode mode)
    {
        var key = new ConnectorKey(domId, 0, index);
        _modes[key] = mode;
        if (_streams.TryGetValue(key, out var s)) s.Mode = mode;
    }

    /// <summary>The mode asked for a connector and the path its stream is on ("tiles" before it streams).</summary>
    public (VideoMode Mode, string Path) ModeOf(int domId, int index)
    {
        var key = new ConnectorKey(domId, 0, index);
        if (_streams.TryGetValue(key, out var s)) return (s.Mode, s.Path);
        return (_modes.TryGetValue(key, out var mode) ? mode : VideoModes.TryParse(_options.VideoMode, out var d) ? d : VideoMode.Auto, VideoModes.Tiles);
    }

    /// <summary>
    /// The guest is gone: its streams leave the registry, each disposed (its task, timer, encoders and pictures)
    /// once no backend connector feeds it, and the operator's modes for its connectors are forgotten.
    /// </summary>
    public void GuestGone(int domId)
    {
        foreach (var key in _modes.Keys)
            if (key.DomId == domId) _modes.TryRemove(key, out _);
        foreach (var (key, stream) in _streams)
            if (key.DomId == domId && _streams.TryRemove(new KeyValuePair<ConnectorKey, ConnectorStream>(key, stream)))
                stream.Retire();
    }

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
