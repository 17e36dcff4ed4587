namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>The factory when no H.264 encoder is built in: every stream stays on tiles.</summary>
public sealed class UnavailableVideoEncoderFactory(string reason = "no H.264 encoder is built in") : IVideoEncoderFactory
{
    public bool Available => false;
    public string? UnavailableReason => reason;
    public string Family => "avc1";

    public IVideoEncoder Create(int width, int height, int framesPerSecond, int bitrateKbps) =>
        throw new NotSupportedException(reason);
}
