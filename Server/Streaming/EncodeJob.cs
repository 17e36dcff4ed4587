using System.Diagnostics;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>What one encode is for: the region, the codec asked for, its quality and the newest tile version in it.</summary>
internal readonly record struct EncodeKey(PixelRect Rect, string Codec, int Quality, long Version);

/// <summary>
/// One region to encode in a frame pass, shared by every viewer that asks for the same key. Planned under
/// the stream's lock, run outside it (possibly on another thread) over the encoder's stable picture,
/// published under the lock again.
/// </summary>
internal sealed class EncodeJob(EncodeKey key)
{
    public const string Png = "png", Jpeg = "jpeg";

    public EncodeKey Key { get; } = key;

    /// <summary>The codec actually used: PNG when JPEG was asked for but failed.</summary>
    public string Codec { get; private set; } = key.Codec;

    public byte[]? Data { get; private set; }
    public long Ticks { get; private set; }
    public Exception? JpegError { get; private set; }

    /// <summary>Encodes the region of <paramref name="picture"/> (BGRX, <paramref name="stride"/> bytes a row).</summary>
    public void Run(byte[] picture, int stride, JpegEncoderPool jpegs)
    {
        var r = Key.Rect;
        var src = new ReadOnlySpan<byte>(picture, r.Y * stride + r.X * 4, (r.H - 1) * stride + r.W * 4);
        long start = Stopwatch.GetTimestamp();
        if (Key.Codec == Jpeg)
        {
            var jpeg = jpegs.Rent();
            try
            {
                if (jpeg is not null) Data = jpeg.Encode(src, stride, r.W, r.H, Key.Quality);
                else JpegError = new InvalidOperationException("no JPEG encoder could be created");
            }
            catch (InvalidOperationException e) { JpegError = e; }
            finally { if (jpeg is not null) jpegs.Return(jpeg); }
        }
        if (Data is null)
        {
            Codec = Png;
            Data = PngEncoder.Encode(src, stride, r.W, r.H);
        }
        Ticks = Stopwatch.GetTimestamp() - start;
    }
}
