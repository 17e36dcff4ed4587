using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>Pictures as a guest would hand them over, a sender that records, and a PNG decoder that checks everything.</summary>
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

    /// <summary>Decodes a PNG as <see cref="PngEncoder"/> writes it (8-bit RGB), checking signature, chunk CRCs and IHDR; returns RGB bytes.</summary>
    public static (int Width, int Height, byte[] Rgb) DecodePng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int at = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        bool ended = false;
        while (at < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + len));
            Assert.Equal(ReferenceCrc(png.AsSpan(at + 4, 4 + len)), crc);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..13].ToArray());
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") ended = true;
            at += 12 + len;
        }
        Assert.True(ended, "no IEND");
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var filtered = raw.ToArray();
        int rowBytes = width * 3;
        Assert.Equal((rowBytes + 1) * height, filtered.Length);
        var rgb = new byte[rowBytes * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (rowBytes + 1)];
            for (int i = 0; i < rowBytes; i++)
            {
                int a = i >= 3 ? rgb[y * rowBytes + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * rowBytes + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * rowBytes + i - 3] : 0;
                int x = filtered[y * (rowBytes + 1) + 1 + i];
                rgb[y * rowBytes + i] = (byte)(filter switch
                {
                    0 => x, 1 => x + a, 2 => x + b, 3 => x + (a + b) / 2, 4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }
        return (width, height, rgb);
    }

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

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>A bit-by-bit CRC-32, independent of the table one under test.</summary>
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte v in data)
        {
            crc ^= v;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
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
