using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace XenDisplayWeb.Shared.Workloads.Fonts;

/// <summary>A PSF file that is not one, or is cut short, or asks for more than it holds.</summary>
public sealed class PsfFormatException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// A Linux console font (PSF1 or PSF2, gzip'd or not) with its Unicode table: fixed-size glyphs of
/// <see cref="Width"/> x <see cref="Height"/> bits, rows of whole bytes, the leftmost pixel in the top bit.
/// Everything in the file is checked before use: sizes, counts, the table, truncation.
/// </summary>
public sealed class PsfFont
{
    /// <summary>Largest (decompressed) file accepted: Terminus 32x16 with 512 glyphs is 33 KiB.</summary>
    public const int MaxFileBytes = 4 << 20;
    public const int MaxGlyphs = 65536;
    public const int MaxWidth = 64;
    public const int MaxHeight = 128;

    private const ushort Psf1Magic = 0x0436; // bytes 36 04
    private const byte Psf1Mode512 = 0x01, Psf1ModeHasTab = 0x02, Psf1ModeHasSeq = 0x04;
    private const ushort Psf1Separator = 0xffff, Psf1StartSeq = 0xfffe;
    private const int Psf1HeaderSize = 4;

    private const uint Psf2Magic = 0x864ab572; // bytes 72 b5 4a 86
    private const uint Psf2HasUnicodeTable = 0x01;
    private const byte Psf2Separator = 0xff, Psf2StartSeq = 0xfe;
    private const int Psf2HeaderSize = 32;

    private readonly byte[] _glyphs;
    private readonly Dictionary<int, int> _map;

    private PsfFont(string source, int version, int width, int height, int count, byte[] glyphs, Dictionary<int, int> map, bool hasTable)
    {
        Source = source;
        Version = version;
        Width = width;
        Height = height;
        GlyphCount = count;
        BytesPerRow = (width + 7) / 8;
        _glyphs = glyphs;
        _map = map;
        HasUnicodeTable = hasTable;
        ReplacementGlyph = map.TryGetValue(0xfffd, out int g) || map.TryGetValue('?', out g) ? g : 0;
    }

    /// <summary>Where the font came from (a path, or what the caller named it).</summary>
    public string Source { get; }
    /// <summary>1 for PSF1, 2 for PSF2.</summary>
    public int Version { get; }
    public int Width { get; }
    public int Height { get; }
    public int GlyphCount { get; }
    public int BytesPerRow { get; }
    public bool HasUnicodeTable { get; }

    /// <summary>The glyph drawn for characters the font lacks: U+FFFD's, else '?''s, else glyph 0.</summary>
    public int ReplacementGlyph { get; }

    /// <summary>Code points the font maps to a glyph.</summary>
    public int MappedCodePoints => _map.Count;

    /// <summary>Reads and checks a font file; gzip'd files (by their magic) are inflated first.</summary>
    public static PsfFont Load(string path)
    {
        byte[] raw;
        try
        {
            raw = ReadLimited(File.OpenRead(path), path);
        }
        catch (InvalidDataException e)
        {
            throw new PsfFormatException($"{path}: not a valid gzip stream ({e.Message})", e);
        }
        return Parse(raw, path);
    }

    /// <summary>Checks and decodes a PSF1 or PSF2 file already in memory (not compressed).</summary>
    public static PsfFont Parse(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length > MaxFileBytes) throw Bad(source, $"is {data.Length} bytes, more than the {MaxFileBytes} a console font may be");
        if (data.Length >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(data) == Psf1Magic) return ParsePsf1(data, source);
        if (data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == Psf2Magic) return ParsePsf2(data, source);
        throw Bad(source, $"is not a PSF font (magic {Convert.ToHexString(data[..Math.Min(4, data.Length)])}, want 3604 or 72B54A86)");
    }

    /// <summary>The glyph for <paramref name="codePoint"/>, or false when the font has none.</summary>
    public bool TryGetGlyph(int codePoint, out int glyph) => _map.TryGetValue(codePoint, out glyph);

    /// <summary>The glyph for <paramref name="c"/>, or <see cref="ReplacementGlyph"/>.</summary>
    public int GlyphFor(Rune c) => _map.TryGetValue(c.Value, out int g) ? g : ReplacementGlyph;

    /// <summary>The glyph's rows: <see cref="Height"/> rows of <see cref="BytesPerRow"/> bytes.</summary>
    public ReadOnlySpan<byte> GlyphBits(int glyph)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(glyph);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(glyph, GlyphCount);
        int size = BytesPerRow * Height;
        return _glyphs.AsSpan(glyph * size, size);
    }

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) of the glyph is set.</summary>
    public bool IsSet(int glyph, int x, int y) =>
        (uint)x < (uint)Width && (uint)y < (uint)Height && (GlyphBits(glyph)[y * BytesPerRow + x / 8] & (0x80 >> (x % 8))) != 0;

    /// <summary>
    /// Draws <paramref name="text"/> with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), one
    /// cell of <see cref="Width"/> per character, clipped to the frame: the set bits in <paramref name="rgb"/>
    /// (0xRRGGBB), the rest of each cell in <paramref name="backgroundRgb"/> or left as it is. Characters the font
    /// lacks, control characters included, draw <see cref="ReplacementGlyph"/>. Returns the x after the last cell.
    /// </summary>
    public int DrawText(in FrameTarget target, int x, int y, ReadOnlySpan<char> text, uint rgb, uint? backgroundRgb = null) =>
        DrawText(new Canvas(target, new Rect(0, 0, target.Width, target.Height)), x, y, text, rgb, backgroundRgb);

    /// <summary>As <see cref="DrawText(in FrameTarget, int, int, ReadOnlySpan{char}, uint, uint?)"/>, within the canvas's clip.</summary>
    internal int DrawText(in Canvas canvas, int x, int y, ReadOnlySpan<char> text, uint rgb, uint? backgroundRgb = null)
    {
        uint px = Xrgb.Pack(rgb);
        foreach (Rune c in text.EnumerateRunes())
        {
            if (backgroundRgb is { } bg) canvas.Fill(x, y, Width, Height, bg);
            DrawGlyph(canvas, x, y, GlyphFor(c), px);
            x += Width;
        }
        return x;
    }

    private void DrawGlyph(in Canvas canvas, int x, int y, int glyph, uint px)
    {
        var bits = GlyphBits(glyph);
        for (int row = 0; row < Height; row++)
        {
            int x0 = x;
            Span<uint> span = canvas.RowSpan(y + row, ref x0, x + Width);
            var rowBits = bits.Slice(row * BytesPerRow, BytesPerRow);
            for (int i = 0; i < span.Length; i++)
            {
                int col = x0 - x + i;
                if ((rowBits[col / 8] & (0x80 >> (col % 8))) != 0) span[i] = px;
            }
        }
    }

    private static PsfFont ParsePsf1(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length < Psf1HeaderSize) throw Bad(source, $"is cut short in its PSF1 header ({data.Length} of {Psf1HeaderSize} bytes)");
        byte mode = data[2];
        int height = data[3];
        if ((mode & ~(Psf1Mode512 | Psf1ModeHasTab | Psf1ModeHasSeq)) != 0) throw Bad(source, $"has unknown PSF1 mode bits 0x{mode:x2}");
        if (height is 0 or > MaxHeight) throw Bad(source, $"has glyphs {height} rows high (1..{MaxHeight})");
        int count = (mode & Psf1Mode512) != 0 ? 512 : 256;
        var glyphs = GlyphData(data, Psf1HeaderSize, count, height, source);
        bool hasTable = (mode & (Psf1ModeHasTab | Psf1ModeHasSeq)) != 0;
        var map = hasTable ? Psf1Table(data[(Psf1HeaderSize + glyphs.Length)..], count, source) : AsciiIdentity(count);
        return new PsfFont(source, 1, 8, height, count, glyphs, map, hasTable);
    }

    private static PsfFont ParsePsf2(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length < Psf2HeaderSize) throw Bad(source, $"is cut short in its PSF2 header ({data.Length} of {Psf2HeaderSize} bytes)");
        uint version = U32(data, 4), headerSize = U32(data, 8), flags = U32(data, 12);
        uint length = U32(data, 16), charSize = U32(data, 20), height = U32(data, 24), width = U32(data, 28);
        if (version != 0) throw Bad(source, $"is PSF2 version {version}; only 0 is defined");
        if ((flags & ~Psf2HasUnicodeTable) != 0) throw Bad(source, $"has unknown PSF2 flags 0x{flags:x}");
        if (headerSize < Psf2HeaderSize || headerSize > data.Length) throw Bad(source, $"has a header size of {headerSize} (32..{data.Length}, the file)");
        if (length is 0 or > MaxGlyphs) throw Bad(source, $"has {length} glyphs (1..{MaxGlyphs})");
        if (width is 0 or > MaxWidth) throw Bad(source, $"has glyphs {width} pixels wide (1..{MaxWidth})");
        if (height is 0 or > MaxHeight) throw Bad(source, $"has glyphs {height} rows high (1..{MaxHeight})");
        if (charSize != height * ((width + 7) / 8)) throw Bad(source, $"has {charSize}-byte glyphs; {width}x{height} needs {height * ((width + 7) / 8)}");
        var glyphs = GlyphData(data, (int)headerSize, (int)length, (int)charSize, source);
        bool hasTable = (flags & Psf2HasUnicodeTable) != 0;
        var map = hasTable ? Psf2Table(data[((int)headerSize + glyphs.Length)..], (int)length, source) : AsciiIdentity((int)length);
        return new PsfFont(source, 2, (int)width, (int)height, (int)length, glyphs, map, hasTable);
    }

    private static byte[] GlyphData(ReadOnlySpan<byte> data, int offset, int count, int glyphBytes, string source)
    {
        long need = offset + (long)count * glyphBytes;
        if (need > data.Length) throw Bad(source, $"is cut short: {count} glyphs of {glyphBytes} bytes after {offset} need {need} bytes, the file has {data.Length}");
        return data.Slice(offset, count * glyphBytes).ToArray();
    }

    /// <summary>PSF1's table: per glyph, u16 code points, then sequences each opened by 0xfffe, then 0xffff.</summary>
    private static Dictionary<int, int> Psf1Table(ReadOnlySpan<byte> table, int count, string source)
    {
        var map = new Dictionary<int, int>();
        int pos = 0;
        for (int glyph = 0; glyph < count; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (pos + 2 > table.Length) throw Bad(source, $"is cut short in its Unicode table at glyph {glyph} of {count}");
                ushort v = BinaryPrimitives.ReadUInt16LittleEndian(table[pos..]);
                pos += 2;
                if (v == Psf1Separator) break;
                if (v == Psf1StartSeq) { inSequence = true; continue; }
                if (!Rune.IsValid(v)) throw Bad(source, $"maps glyph {glyph} to U+{v:X4}, not a Unicode scalar value");
                if (!inSequence) map.TryAdd(v, glyph); // sequences (a letter and its combining marks) are not single characters
            }
        }
        return map;
    }

    /// <summary>PSF2's table: per glyph, UTF-8 characters, then sequences each opened by 0xfe, then 0xff.</summary>
    private static Dictionary<int, int> Psf2Table(ReadOnlySpan<byte> table, int count, string source)
    {
        var map = new Dictionary<int, int>();
        int pos = 0;
        for (int glyph = 0; glyph < count; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (pos >= table.Length) throw Bad(source, $"is cut short in its Unicode table at glyph {glyph} of {count}");
                byte b = table[pos];
                if (b == Psf2Separator) { pos++; break; }
                if (b == Psf2StartSeq) { pos++; inSequence = true; continue; }
                if (Rune.DecodeFromUtf8(table[pos..], out Rune r, out int used) != System.Buffers.OperationStatus.Done)
                    throw Bad(source, $"has invalid UTF-8 in its Unicode table at glyph {glyph} (byte {pos} of the table)");
                pos += used;
                if (!inSequence) map.TryAdd(r.Value, glyph);
            }
        }
        return map;
    }

    /// <summary>A font without a table is in its code page's order; printable ASCII is the same in all of them.</summary>
    private static Dictionary<int, int> AsciiIdentity(int count)
    {
        var map = new Dictionary<int, int>();
        for (int c = 0x20; c <= 0x7e && c < count; c++) map[c] = c;
        return map;
    }

    private static byte[] ReadLimited(Stream file, string source)
    {
        using (file)
        {
            Span<byte> magic = stackalloc byte[2];
            int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            using Stream input = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = input.Read(chunk)) > 0)
            {
                if (buffer.Length + n > MaxFileBytes) throw Bad(source, $"holds more than the {MaxFileBytes} bytes a console font may be");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
    }

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    private static PsfFormatException Bad(string source, string what) => new($"PSF font {source} {what}");
}
