namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>One encoded access unit: Annex B bytes (start codes, SPS and PPS before every key frame).</summary>
public readonly record struct EncodedVideoFrame(byte[] Data, bool Key, long Ticks);

/// <summary>
/// A video encoder for one picture size: takes BGRX pictures (the stream's own format), gives encoded
/// access units in order, one per picture, with no B-frames and no lookahead (nothing is held back).
/// </summary>
public interface IVideoEncoder : IDisposable
{
    int Width { get; }
    int Height { get; }

    /// <summary>The WebCodecs codec string of what this encoder writes, e.g. "avc1.42E02A".</summary>
    string Codec { get; }

    /// <summary>Encodes one picture; <paramref name="forceKey"/> makes it a key frame (IDR) a decoder can start from.</summary>
    EncodedVideoFrame Encode(ReadOnlySpan<byte> bgrx, int stride, bool forceKey);
}

/// <summary>Makes video encoders; <see cref="Available"/> is false (with a reason) when the library is missing.</summary>
public interface IVideoEncoderFactory
{
    bool Available { get; }

    /// <summary>Why the encoder is unavailable (null when it is available).</summary>
    string? UnavailableReason { get; }

    /// <summary>The codec family viewers must be able to decode, in WebCodecs' words: "avc1" for H.264.</summary>
    string Family { get; }

    /// <summary>An encoder for even <paramref name="width"/> x <paramref name="height"/> at a frame rate and a bitrate.</summary>
    IVideoEncoder Create(int width, int height, int framesPerSecond, int bitrateKbps);
}
