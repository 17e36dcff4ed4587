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
    /// the encoder's contract forbids). At 1080p60 two threads used the same CPU a frame as one (within the
    /// benchmark's noise) and halved the time a picture takes, so they are the default on two cores.
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
