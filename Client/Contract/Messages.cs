namespace XenDisplayWeb.Client.Contract;

/// <summary>What <c>Watch</c> answers: the connector's size.</summary>
public sealed record WatchResult(int Width, int Height);

/// <summary>
/// What a page asks of a watch (<c>WatchWith</c>): the largest size it will show (0 for the connector's own
/// size) and the video codec families it can present ("avc1"); none means tiles only.
/// </summary>
public sealed record WatchOptions(int MaxWidth = 0, int MaxHeight = 0, IReadOnlyList<string>? VideoCodecs = null)
{
    public static readonly WatchOptions Full = new();
}

/// <summary>One encoded rectangle of a frame: <c>codec</c> is "png" or "jpeg", <c>data</c> the encoded image.</summary>
public sealed record FrameRect(int X, int Y, int W, int H, string Codec, byte[] Data);

/// <summary>
/// One H.264 access unit of a stream on video: <c>codec</c> is the WebCodecs codec string, <c>key</c> a frame a
/// decoder can start from, <c>data</c> Annex B bytes.
/// </summary>
public sealed record VideoChunk(string Codec, bool Key, byte[] Data);

/// <summary>The hub's <c>Frame</c> message (see docs/dashboard-contract.md): tiles in <c>Rects</c>, or a <c>Video</c> chunk and no rects.</summary>
public sealed record FrameMessage(int DomId, int Index, long Id, double ServerTime, long GuestFrame, int Width, int Height,
    bool Full, long Dropped, IReadOnlyList<FrameRect> Rects, VideoChunk? Video = null);

/// <summary>The hub's <c>Blank</c> message: the connector shows nothing.</summary>
public sealed record BlankMessage(int DomId, int Index);

public sealed record CodecCounts(long Png, long Jpeg, long Video = 0);

/// <summary>One connector's entry of the hub's <c>Stats</c> message, over the last second.</summary>
public sealed record ConnectorStats(int DomId, int Index, double GuestFps, double ShownFps, double SentFps, long Dropped,
    double LatencyMs, double BytesPerFrame, double EncodeMs, CodecCounts Codecs, int Quality, int Viewers, string Mode = "tiles");
