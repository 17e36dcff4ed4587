using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>Pictures as a guest would hand them over, a sender that records, and a PNG decoder that checks what the server writes.</summary>
internal static class StreamTestKit
{
    /// <summary>A BGRX picture filled with one colour.</summary>
    public static byte[] Picture(int width, int height, uint bgrx = 0xFF202020)
    {
        var px = new byte[width * height * 4];
        for (int i = 0; i < px.Length; i += 4) BinaryPrimitives.WriteUInt32LittleEndian(px.AsSpan(i), bgrx);
        return px;
    }

    public static void Fill(byte[] px, int width, int x, int y, int w, int h, uint bgrx)
    {
        for (int yy = y; yy < y + h; yy++)
            for (int xx = x; xx < x + w; xx++)
                BinaryPrimitives.WriteUInt32LittleEndian(px.AsSpan((yy * width + xx) * 4), bgrx);
    }

    /// <summary>
    /// Lays <paramref name="bgrx"/> out in 4 KiB pages at <paramref name="dataOffset"/> with <paramref name="stride"/>
    /// (rows straddle pages) and returns the view the backend would hand to a sink.
    /// </summary>
    public static ScanoutView View(byte[] bgrx, int width, int height, long seq, int dataOffset = 0, int? stride = null)
    {
        int s = stride ?? width * 4;
        long total = dataOffset + (long)s * height;
        var pages = new ReadOnlyMemory<byte>[(total + 4095) / 4096];
        var flat = new byte[pages.Length * 4096];
        for (int y = 0; y < height; y++) bgrx.AsSpan(y * width * 4, width * 4).CopyTo(flat.AsSpan(dataOffset + y * s));
        for (int p = 0; p < pages.Length; p++) pages[p] = flat.AsMemory(p * 4096, 4096).ToArray();
        return new ScanoutView(pages, dataOffset, s, width, height, PixelFormat.Xrgb8888, 0x1234, 0, 0, seq);
    }

    public static StreamingOptions Options(Action<StreamingOptions>? change = null)
    {
        var o = new StreamingOptions();
        change?.Invoke(o);
        return o;
    }

    public static ConnectorStream Stream(RecordingSender sender, FakeTimeProvider time, StreamingOptions? options = null, bool jpeg = true,
        int width = 256, int height = 128)
    {
        var s = new ConnectorStream(1, 0, options ?? Options(), sender, time, NullLogger.Instance,
            jpeg ? JpegEncoder.TryCreate(out _) : null, runEncoder: false);
        s.Attach(width, height);
        return s;
    }

    public static FrameStreamRegistry Registry(RecordingSender sender, TimeProvider time) =>
        new(Microsoft.Extensions.Options.Options.Create(new StreamingOptions()), sender, time, NullLoggerFactory.Instance, runEncoders: false);

    /// <summary>
    /// Decodes a PNG as the server writes it (8-bit RGB, not interlaced, ending in IEND) with ImageSharp, which
    /// checks the signature and the chunks' CRCs; returns RGB bytes.
    /// </summary>
    public static (int Width, int Height, byte[] Rgb) DecodePng(byte[] png)
    {
        Assert.Equal(Iend, png[^Iend.Length..]);
        using var image = Image.Load<Rgb24>(png, new PngDecoder());
        var format = image.Metadata.GetPngMetadata();
        Assert.Equal((PngColorType.Rgb, PngBitDepth.Bit8, PngInterlaceMode.None), (format.ColorType, format.BitDepth, format.InterlaceMethod));
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return (image.Width, image.Height, rgb);
    }

    /// <summary>The IEND chunk every PNG ends with: no data, and its CRC.</summary>
    private static readonly byte[] Iend = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>The RGB bytes of a region of a BGRX picture.</summary>
    public static byte[] Rgb(byte[] bgrx, int width, int x, int y, int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (int yy = 0; yy < h; yy++)
            for (int xx = 0; xx < w; xx++)
            {
                int s = ((y + yy) * width + x + xx) * 4, d = (yy * w + xx) * 3;
                rgb[d] = bgrx[s + 2]; rgb[d + 1] = bgrx[s + 1]; rgb[d + 2] = bgrx[s];
            }
        return rgb;
    }
}

/// <summary>Records what a stream sends, per connection; <paramref name="canSend"/> says which connections take frames (all by default).</summary>
internal sealed class RecordingSender(Func<string, bool>? canSend = null) : IFrameSender
{
    public bool CanSend(string connectionId) => canSend?.Invoke(connectionId) ?? true;

    public List<(string Connection, FrameMessage Frame)> Frames { get; } = [];
    public List<(string Connection, BlankMessage Blank)> Blanks { get; } = [];

    public void SendFrame(string connectionId, FrameMessage frame) { lock (Frames) Frames.Add((connectionId, frame)); }
    public void SendBlank(string connectionId, BlankMessage blank) { lock (Blanks) Blanks.Add((connectionId, blank)); }

    public List<FrameMessage> To(string connection) { lock (Frames) return Frames.Where(f => f.Connection == connection).Select(f => f.Frame).ToList(); }
}
