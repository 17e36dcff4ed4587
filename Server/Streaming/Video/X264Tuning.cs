namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// How x264 trades speed, latency and quality; the defaults are what the video benchmark measured best for
/// 1080p60 on two cores.
/// </summary>
public sealed record X264Tuning
{
    /// <summary>x264's preset name.</summary>
    public string Preset { get; init; } = "ultrafast";

    /// <summary>
    /// Encoder threads, sharing each picture by slices (x264's frame threads would hold pictures back, which
    /// the encoder's contract forbids).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// The rate-control (VBV) buffer in frames' worth of the bitrate: no burst is larger, so on a link of exactly
    /// the bitrate no picture waits longer than this many frame times behind the one before.
    /// </summary>
    public double VbvFrames { get; init; } = 2;
}
