namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// How x264 trades speed, latency and quality. The defaults are what the video benchmark and the decode
/// tests measured best on two cores: ultrafast, two sliced threads, CRF 20 under a VBV of 8 frames.
/// </summary>
public sealed record X264Tuning
{
    /// <summary>x264's preset name.</summary>
    public string Preset { get; init; } = "ultrafast";

    /// <summary>
    /// Encoder threads, sharing each picture by slices (x264's frame threads would hold pictures back, which
    /// the encoder's contract forbids). At 1080p60 on two cores two threads cost 5 to 10 % more CPU a frame
    /// than one but shortened the time a picture takes (median 9.4 against 10.4 ms with full-screen motion,
    /// 5.3 against 11.8 ms on a desktop), so they are the default: latency is what a viewer sees.
    /// </summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// The quality each picture aims at (x264's constant rate factor); the bitrate given to the encoder is the
    /// ceiling the VBV enforces, so a still desktop costs little and motion costs the bitrate.
    /// </summary>
    public double Crf { get; init; } = 20;

    /// <summary>
    /// The rate-control (VBV) buffer in frames' worth of the bitrate: no burst is larger, so on a link of exactly
    /// the bitrate no picture waits longer than this many frame times. Two frames starve a key frame (17 dB
    /// at 720p, 8 Mbit/s, taking 20 frames to pass 35 dB); eight let it reach 27 dB and 42 dB by frame 13,
    /// for at most 133 ms of queueing at 60 fps, and only after a key frame or a change of the whole picture.
    /// </summary>
    public double VbvFrames { get; init; } = 8;
}
