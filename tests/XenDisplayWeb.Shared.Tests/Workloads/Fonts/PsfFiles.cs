using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace XenDisplayWeb.Shared.Tests.Workloads.Fonts;

/// <summary>Small PSF1 and PSF2 files made byte by byte from the format's description, for the tests.</summary>
internal static class PsfFiles
{
    /// <summary>Glyph g's rows: a pattern no two glyphs share (row r is g*7 + r*13 + 1, masked to the width).</summary>
    public static byte[] GlyphRows(int glyph, int height, int bytesPerRow, int width)
    {
        var rows = new byte[height * bytesPerRow];
        for (int r = 0; r < height; r++)
        {
            uint v = (uint)(glyph * 7 + r * 13 + 1) * 0x9e3779b1u;
            for (int b = 0; b < bytesPerRow; b++) rows[r * bytesPerRow + b] = (byte)(v >> (8 * b));
            int spare = bytesPerRow * 8 - width; // bits right of the glyph are padding, zero in real fonts
            rows[r * bytesPerRow + bytesPerRow - 1] &= (byte)(0xff << spare);
        }
        return rows;
    }

    /// <summary>
    /// A PSF1 font of <paramref name="count"/> (256 or 512) glyphs <paramref name="height"/> rows high; with a table,
    /// glyph g maps to code points <paramref name="codes"/>(g) and then a sequence (g's first code point + U+0301).
    /// </summary>
    public static byte[] Psf1(int count, int height, Func<int, int[]>? codes)
    {
        var s = new MemoryStream();
        byte mode = (byte)((count == 512 ? 1 : 0) | (codes is null ? 0 : 2 | 4));
        s.Write([0x36, 0x04, mode, (byte)height]);
        for (int g = 0; g < count; g++) s.Write(GlyphRows(g, height, 1, 8));
        if (codes is null) return s.ToArray();
        var u16 = new byte[2];
        void U16(int v) { BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)v); s.Write(u16); }
        for (int g = 0; g < count; g++)
        {
            var cps = codes(g);
            foreach (int cp in cps) U16(cp);
            if (cps.Length > 0) { U16(0xfffe); U16(cps[0]); U16(0x0301); }
            U16(0xffff);
        }
        return s.ToArray();
    }

    /// <summary>A PSF2 font; with a table as <see cref="Psf1"/>, in UTF-8. <paramref name="extraHeader"/> bytes pad the header.</summary>
    public static byte[] Psf2(int count, int width, int height, Func<int, int[]>? codes, int extraHeader = 0)
    {
        int bpr = (width + 7) / 8;
        var s = new MemoryStream();
        var header = new byte[32 + extraHeader];
        uint[] fields = [0x864ab572, 0, (uint)header.Length, codes is null ? 0u : 1u, (uint)count, (uint)(height * bpr), (uint)height, (uint)width];
        for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 * i), fields[i]);
        s.Write(header);
        for (int g = 0; g < count; g++) s.Write(GlyphRows(g, height, bpr, width));
        if (codes is null) return s.ToArray();
        for (int g = 0; g < count; g++)
        {
            var cps = codes(g);
            foreach (int cp in cps) s.Write(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
            if (cps.Length > 0) { s.WriteByte(0xfe); s.Write(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cps[0]) + "\u0301")); }
            s.WriteByte(0xff);
        }
        return s.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var s = new MemoryStream();
        using (var z = new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return s.ToArray();
    }

    /// <summary>Writes <paramref name="data"/> to a new file in this test run's own folder under the output directory.</summary>
    public static string Save(byte[] data, string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "psf-fonts", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, data);
        return path;
    }
}
