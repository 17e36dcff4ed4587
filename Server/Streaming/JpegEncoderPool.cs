using System.Collections.Concurrent;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// libjpeg-turbo compressors for the encode workers of one stream: a compressor is not thread-safe, so
/// each worker rents one. Holds at most as many as ran at once (the pass's degree of parallelism).
/// </summary>
public sealed class JpegEncoderPool(JpegEncoder? first) : IDisposable
{
    private readonly ConcurrentBag<JpegEncoder> _idle = first is null ? [] : [first];
    private readonly ConcurrentBag<JpegEncoder> _all = first is null ? [] : [first];
    private int _disposed;

    /// <summary>JPEG can be used at all (the first compressor was created).</summary>
    public bool Available { get; } = first is not null;

    /// <summary>An idle compressor, or a new one; null when JPEG is unavailable or a new one cannot be made.</summary>
    public JpegEncoder? Rent()
    {
        if (!Available || Volatile.Read(ref _disposed) != 0) return null;
        if (_idle.TryTake(out var jpeg)) return jpeg;
        jpeg = JpegEncoder.TryCreate(out _);
        if (jpeg is not null) _all.Add(jpeg);
        return jpeg;
    }

    public void Return(JpegEncoder jpeg) => _idle.Add(jpeg);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var j in _all) j.Dispose();
    }
}
