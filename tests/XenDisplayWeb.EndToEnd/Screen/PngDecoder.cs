using System.Buffers.Binary;
using System.IO.Compression;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>
/// Decodes 8-bit RGB/RGBA non-interlaced PNGs (what our server and Chromium write) to RGBA, so a test can
/// compare pictures by their pixels rather than their bytes.
/// </summary>
public static class PngDecoder
{
    public static (byte[] Rgba, int Width, int Height) Decode(byte[] png)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, colorType = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                colorType = data[9];
                if (data[8] != 8 || data[12] != 0 || colorType is not (2 or 6))
                    throw new InvalidDataException($"unsupported PNG: depth {data[8]}, colour type {colorType}, interlace {data[12]}");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        int channels = colorType == 6 ? 4 : 3, rowBytes = width * channels;
        var raw = new byte[(rowBytes + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.ReadExactly(raw);
        var rgba = new byte[width * height * 4];
        var prev = new byte[rowBytes];
        var cur = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (rowBytes + 1)];
            raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes).CopyTo(cur);
            for (int i = 0; i < rowBytes; i++)
            {
                int a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
                cur[i] += filter switch
                {
                    0 => 0,
                    1 => (byte)a,
                    2 => (byte)b,
                    3 => (byte)((a + b) / 2),
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                };
            }
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 4;
                rgba[o] = cur[x * channels];
                rgba[o + 1] = cur[x * channels + 1];
                rgba[o + 2] = cur[x * channels + 2];
                rgba[o + 3] = channels == 4 ? cur[x * channels + 3] : (byte)255;
            }
            (prev, cur) = (cur, prev);
        }
        return (rgba, width, height);
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
