using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// One connection watching one connector: the damage it has not been sent yet (merged, latest pixels
/// win), the frames it has not acknowledged, its lag and the JPEG quality that follows from it.
/// </summary>
internal sealed class Viewer(string connectionId, int tiles, int quality)
{
    public string ConnectionId { get; } = connectionId;

    /// <summary>What the page asked for when it started watching.</summary>
    public WatchOptions Options { get; init; } = WatchOptions.Full;

    /// <summary>Tiles changed since they were last sent to this viewer.</summary>
    public bool[] Pending = new bool[tiles];

    /// <summary>Pending tiles that are a lossless refresh of a region sent lossy (not new damage).</summary>
    public bool[] Refresh = new bool[tiles];

    public int PendingCount;
    public bool NeedsFull = true;
    public bool BlankSent;

    /// <summary>The next full frame goes out lossless (PNG) everywhere: the stream came back from video.</summary>
    public bool LosslessFull;

    /// <summary>This viewer is sent the stream's video chunks (the stream is on video and the viewer can take them).</summary>
    public bool OnVideo;

    /// <summary>Its decoder cannot go on from what it was sent (it joined, asked, or missed a chunk): it waits for a key frame.</summary>
    public bool NeedsKey = true;

    /// <summary>Unacknowledged frames: id and the timestamp they were sent at.</summary>
    public readonly Dictionary<long, long> InFlight = [];

    public long NextFrameId = 1;
    public long Dropped;
    public int Quality = quality;
    public double LagMs = double.NaN;

    /// <summary>The shortest of the last few round trips (send to ack): the path's own delay, without queueing.</summary>
    public double BaseRttMs => _rtts.Count == 0 ? double.NaN : _rtts.Min();
    private readonly Queue<double> _rtts = new();
    private const int RttSamples = 32;

    public void AddRtt(double ms)
    {
        if (_rtts.Count == RttSamples) _rtts.Dequeue();
        _rtts.Enqueue(ms);
    }

    /// <summary>
    /// Frames this viewer may have unacknowledged: enough to cover its base round trip at the picture rate, so
    /// the ack round trip does not cap the rate, plus one. Sized from the base round trip, not the latest:
    /// frames queued in a slow browser lengthen the latest, and a window grown from it would queue more.
    /// </summary>
    public int Window(double pictureIntervalMs, int max)
    {
        int min = Math.Min(2, max);
        double rtt = BaseRttMs;
        if (double.IsNaN(rtt) || !(pictureIntervalMs > 0)) return min;
        return Math.Clamp((int)Math.Ceiling(rtt / pictureIntervalMs) + 1, min, max);
    }

    // Counted since the last stats tick.
    public long SentFrames, SentBytes;

    public void Resize(int tiles)
    {
        Pending = new bool[tiles];
        Refresh = new bool[tiles];
        PendingCount = 0;
        NeedsFull = true;
        NeedsKey = true;
    }

    public void AddDamage(ReadOnlySpan<bool> dirty)
    {
        for (int t = 0; t < dirty.Length; t++)
        {
            if (!dirty[t]) continue;
            Refresh[t] = false;
            if (!Pending[t]) { Pending[t] = true; PendingCount++; }
        }
    }

    public void AddRefresh(int tile)
    {
        if (Pending[tile]) return; // new damage goes first; it will be refreshed again after
        Pending[tile] = true;
        Refresh[tile] = true;
        PendingCount++;
    }

    public void ClearPending()
    {
        Array.Clear(Pending);
        Array.Clear(Refresh);
        PendingCount = 0;
        NeedsFull = false;
        LosslessFull = false;
    }

    /// <summary>Whether it can be sent video of a <paramref name="width"/> x <paramref name="height"/> picture: it decodes the family and shows the picture at full size.</summary>
    public bool TakesVideo(string family, int width, int height) =>
        Options.VideoCodecs is { } codecs && codecs.Contains(family, StringComparer.OrdinalIgnoreCase)
        && (Options.MaxWidth <= 0 || Options.MaxWidth >= width) && (Options.MaxHeight <= 0 || Options.MaxHeight >= height);
}
