using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Workloads.Fonts;

namespace XenDisplayWeb.Shared.Tests.Workloads.Fonts;

public class PsfFontTests
{
    private const string Terminus16 = "/usr/share/consolefonts/Uni2-Terminus16.psf.gz"; // PSF1
    private const string Terminus20x10 = "/usr/share/consolefonts/Uni2-Terminus20x10.psf.gz"; // PSF2

    // Glyphs 0x41 and 0x62 of Uni2-Terminus16 as the file holds them (psfgettable maps U+0041 and U+0062 there).
    private static readonly byte[] TerminusA = Convert.FromHexString("00003c424242427e4242424200000000");
    private static readonly byte[] TerminusB = Convert.FromHexString("00004040407c42424242427c00000000");

    private static PsfFont Installed(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing: apt-get install -y {PsfFontLocator.DebianPackage}");
        return PsfFont.Load(path);
    }

    [Fact]
    public void The_glyph_of_A_in_Terminus_is_what_the_file_holds()
    {
        var font = Installed(Terminus16);
        Assert.Equal((1, 8, 16, 512, true), (font.Version, font.Width, font.Height, font.GlyphCount, font.HasUnicodeTable));
        Assert.True(font.TryGetGlyph('A', out int a));
        Assert.Equal(0x41, a);
        Assert.Equal(TerminusA, font.GlyphBits(a).ToArray());
        Assert.True(font.TryGetGlyph(0x0410, out int cyrillicA)); // the table maps more than one character to a glyph
        Assert.Equal(a, cyrillicA);
        Assert.Equal(TerminusB, font.GlyphBits(font.GlyphFor(new Rune('b'))).ToArray());
        Assert.True(font.TryGetGlyph(0xfffd, out int replacement));
        Assert.Equal(replacement, font.ReplacementGlyph);
    }

    [Fact]
    public void A_PSF2_Terminus_font_parses_with_its_table_and_its_glyph_bytes()
    {
        var font = Installed(Terminus20x10);
        Assert.Equal((2, 10, 20, 2), (font.Version, font.Width, font.Height, font.BytesPerRow));
        Assert.True(font.MappedCodePoints > font.GlyphCount / 2);
        Assert.True(font.TryGetGlyph('A', out int a));
        Assert.True(font.TryGetGlyph(0x0391, out int alpha)); // Greek capital alpha
        Assert.Equal(a, alpha);
        // The glyph is where the header says: headersize + a * charsize of the inflated file.
        using var z = new GZipStream(File.OpenRead(Terminus20x10), CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var file = raw.ToArray();
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8)), charSize = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(20));
        Assert.Equal(file.AsSpan(headerSize + a * charSize, charSize).ToArray(), font.GlyphBits(a).ToArray());
        Assert.Contains(font.GlyphBits(a).ToArray(), b => b != 0);
    }

    [Fact]
    public void Drawing_Ab_sets_exactly_the_glyphs_pixels()
    {
        var font = Installed(Terminus16);
        const int width = 40, height = 24, stride = width * 4 + 8, x0 = 3, y0 = 5;
        var buf = new byte[stride * height];
        Array.Fill(buf, (byte)0xa5);
        int end = font.DrawText(new FrameTarget(buf, width, height, stride), x0, y0, "Ab", 0x123456);
        Assert.Equal(x0 + 16, end);

        byte[][] glyphs = [TerminusA, TerminusB];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int cell = (x - x0) / 8, gx = (x - x0) % 8, gy = y - y0;
                bool set = x >= x0 && cell < 2 && gy is >= 0 and < 16 && (glyphs[cell][gy] & (0x80 >> gx)) != 0;
                Assert.True(Frames.Pixel(buf, stride, x, y) == (set ? 0xff123456u : 0xa5a5a5a5u), $"pixel ({x}, {y})");
            }
            Assert.True(buf.AsSpan(y * stride + width * 4, 8).IndexOfAnyExcept((byte)0xa5) < 0, $"the padding of row {y}");
        }
    }

    [Fact]
    public void Drawing_is_clipped_to_the_frame_and_a_background_fills_the_cells()
    {
        var font = Installed(Terminus16);
        const int width = 12, height = 10;
        var buf = new byte[width * 4 * height];
        Array.Fill(buf, (byte)0xa5);
        var target = new FrameTarget(buf, width, height, width * 4);
        font.DrawText(target, -4, -3, "Ab", 0xffffff, backgroundRgb: 0x000000);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int gx = x + 4, gy = y + 3;
                bool set = (new[] { TerminusA, TerminusB }[gx / 8][gy] & (0x80 >> (gx % 8))) != 0;
                Assert.Equal(set ? 0xffffffffu : 0xff000000u, Frames.Pixel(buf, width * 4, x, y));
            }
        }
        Assert.Equal(1000 + 16, font.DrawText(target, 1000, 1000, "xy", 0xffffff)); // wholly outside: nothing drawn, no error
    }

    [Fact]
    public void Characters_the_font_lacks_draw_the_replacement_glyph()
    {
        var font = Installed(Terminus16);
        Assert.False(font.TryGetGlyph(0xe000, out _));
        Assert.Equal(font.ReplacementGlyph, font.GlyphFor(new Rune(0xe000)));
        byte[] Draw(string s)
        {
            var buf = new byte[8 * 4 * 16];
            font.DrawText(new FrameTarget(buf, 8, 16, 32), 0, 0, s, 0xffffff);
            return buf;
        }
        var replacement = Draw("\ufffd");
        Assert.Contains(replacement, b => b != 0);
        Assert.Equal(replacement, Draw("\ue000"));
        Assert.Equal(replacement, Draw("\ud800")); // an unpaired surrogate
    }

    public static TheoryData<string, bool> SyntheticFonts() => new()
    {
        { "psf1-512.psf", false }, { "psf1-512.psf.gz", true }, { "psf2-12x22.psf", false }, { "psf2-12x22.psf.gz", true },
    };

    private static int[] Codes(int g) => g switch
    {
        0 => [0xfffd],
        < 96 => [0x20 + g],
        < 200 => [0x400 + g, g % 2 == 0 ? 0x2500 + g : 0x2600 + g],
        _ => [],
    };

    private static byte[] Synthetic(string name)
    {
        byte[] data = name.StartsWith("psf1", StringComparison.Ordinal) ? PsfFiles.Psf1(512, 14, Codes) : PsfFiles.Psf2(300, 12, 22, g => g == 250 ? [0x1f600] : Codes(g), extraHeader: 4);
        return name.EndsWith(".gz", StringComparison.Ordinal) ? PsfFiles.Gzip(data) : data;
    }

    [Theory]
    [MemberData(nameof(SyntheticFonts))]
    public void Small_PSF1_and_PSF2_files_parse_glyphs_and_table(string name, bool gzipped)
    {
        string path = PsfFiles.Save(Synthetic(name), name);
        Assert.Equal(gzipped, File.ReadAllBytes(path)[0] == 0x1f);
        var font = PsfFont.Load(path);
        Assert.Equal(path, font.Source);
        bool psf1 = name.StartsWith("psf1", StringComparison.Ordinal);
        Assert.Equal(psf1 ? (1, 8, 14, 512) : (2, 12, 22, 300), (font.Version, font.Width, font.Height, font.GlyphCount));
        for (int g = 0; g < font.GlyphCount; g++)
        {
            Assert.Equal(PsfFiles.GlyphRows(g, font.Height, font.BytesPerRow, font.Width), font.GlyphBits(g).ToArray());
            foreach (int cp in psf1 || g != 250 ? Codes(g) : [0x1f600])
            {
                Assert.True(font.TryGetGlyph(cp, out int got), $"U+{cp:X4}");
                Assert.Equal(g, got);
            }
        }
        Assert.False(font.TryGetGlyph(0x0301, out _)); // only in sequences
        Assert.Equal(0, font.ReplacementGlyph); // U+FFFD
        Assert.Equal(psf1 ? 96 + 2 * 104 : 96 + 2 * 104 + 1, font.MappedCodePoints);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_font_without_a_table_maps_printable_ASCII_and_replaces_with_a_question_mark(int version)
    {
        var font = PsfFont.Parse(version == 1 ? PsfFiles.Psf1(256, 8, null) : PsfFiles.Psf2(128, 7, 9, null), "no-table");
        Assert.False(font.HasUnicodeTable);
        Assert.Equal(95, font.MappedCodePoints);
        Assert.Equal('A', font.GlyphFor(new Rune('A')));
        Assert.Equal('?', font.ReplacementGlyph);
        Assert.Equal('?', font.GlyphFor(new Rune('é')));
    }

    [Fact]
    public void Every_truncation_of_a_font_with_a_table_is_refused()
    {
        foreach (var data in new[] { PsfFiles.Psf1(256, 6, Codes), PsfFiles.Psf2(40, 9, 5, Codes) })
        {
            _ = PsfFont.Parse(data, "whole");
            for (int length = 0; length < data.Length; length++)
            {
                var e = Assert.Throws<PsfFormatException>(() => PsfFont.Parse(data.AsSpan(0, length), "cut"));
                Assert.StartsWith("PSF font cut ", e.Message);
            }
        }
    }

    [Fact]
    public void A_truncated_gzip_file_is_refused_with_its_path()
    {
        var gz = File.ReadAllBytes(Installed(Terminus16).Source);
        string path = PsfFiles.Save(gz[..(gz.Length / 2)], "half.psf.gz");
        var e = Assert.Throws<PsfFormatException>(() => PsfFont.Load(path));
        Assert.Contains(path, e.Message);
    }

    public static TheoryData<string, string, string> HostileFiles()
    {
        var data = new TheoryData<string, string, string>();
        byte[] Psf2(int field, uint value)
        {
            var f = PsfFiles.Psf2(16, 8, 8, null);
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4 * field), value);
            return f;
        }
        void Add(string what, byte[] file, string message) => data.Add(what, Convert.ToHexString(file), message);
        Add("empty", [], "is not a PSF font");
        Add("bad magic", Encoding.ASCII.GetBytes("GIF89a"), "is not a PSF font (magic 47494638");
        Add("psf2 version 1", Psf2(1, 1), "version 1");
        Add("psf2 unknown flags", Psf2(3, 2), "unknown PSF2 flags 0x2");
        Add("psf2 header too small", Psf2(2, 16), "header size of 16");
        Add("psf2 header past the end", Psf2(2, 0x7fffffff), "header size of 2147483647");
        Add("psf2 no glyphs", Psf2(4, 0), "has 0 glyphs");
        Add("psf2 4G glyphs", Psf2(4, uint.MaxValue), "has 4294967295 glyphs");
        Add("psf2 65536 glyphs", Psf2(4, 65536), "65536 glyphs of 8 bytes after 32 need 524320 bytes, the file has 160");
        Add("psf2 charsize", Psf2(5, 9), "9-byte glyphs; 8x8 needs 8");
        Add("psf2 height 0", Psf2(6, 0), "0 rows high");
        Add("psf2 width 0", Psf2(7, 0), "0 pixels wide");
        Add("psf2 width 4G", Psf2(7, uint.MaxValue), "4294967295 pixels wide");
        var utf8 = PsfFiles.Psf2(2, 8, 8, _ => [0x41]);
        utf8[^2] = 0xc3; // U+0301's second byte: now "c3 ff", a lead byte without its continuation
        Add("psf2 invalid utf-8", utf8, "invalid UTF-8");
        var psf1 = PsfFiles.Psf1(256, 8, null);
        psf1[2] = 0x08;
        Add("psf1 unknown mode", psf1, "unknown PSF1 mode bits 0x08");
        psf1[2] = 0;
        psf1[3] = 0;
        Add("psf1 height 0", psf1, "0 rows high");
        var surrogate = PsfFiles.Psf1(256, 4, g => g == 3 ? [0xd800] : []);
        Add("psf1 surrogate", surrogate, "maps glyph 3 to U+D800");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_headers_and_tables_are_refused_with_a_clear_message(string what, string hex, string message)
    {
        var e = Assert.Throws<PsfFormatException>(() => PsfFont.Parse(Convert.FromHexString(hex), what));
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"PSF font {what} ", e.Message);
    }

    [Fact]
    public void A_gzip_bomb_and_a_corrupt_gzip_stream_are_refused()
    {
        string bomb = PsfFiles.Save(PsfFiles.Gzip(new byte[PsfFont.MaxFileBytes + 1]), "bomb.psf.gz");
        Assert.Contains($"more than the {PsfFont.MaxFileBytes} bytes", Assert.Throws<PsfFormatException>(() => PsfFont.Load(bomb)).Message);
        var gz = PsfFiles.Gzip(PsfFiles.Psf1(256, 8, null));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5a;
        string corrupt = PsfFiles.Save(gz, "corrupt.psf.gz");
        Assert.Contains(corrupt, Assert.Throws<PsfFormatException>(() => PsfFont.Load(corrupt)).Message);
    }
}

public class PsfFontLocatorTests
{
    [Fact]
    public void The_default_order_finds_Debians_Terminus_font()
    {
        var locator = new PsfFontLocator();
        Assert.Equal(PsfFontLocator.DefaultPaths, locator.SearchPaths);
        Assert.Equal("/usr/share/consolefonts/Uni2-Terminus16.psf.gz", locator.Locate());
        Assert.Equal(8, locator.Load().Width);
    }

    [Fact]
    public void A_set_path_is_the_only_one_looked_at()
    {
        string path = PsfFiles.Save(PsfFiles.Psf2(64, 6, 12, null), "small.psf");
        var locator = new PsfFontLocator(path);
        Assert.Equal([path], locator.SearchPaths);
        Assert.Equal(6, locator.Load().Width);

        string missing = Path.Combine(Path.GetDirectoryName(path)!, "missing.psf.gz");
        var e = Assert.Throws<PsfFontNotFoundException>(() => new PsfFontLocator(missing).Locate());
        Assert.Contains(missing, e.Message);
        Assert.DoesNotContain(PsfFontLocator.DefaultPaths[0], e.Message); // the defaults stand aside
    }

    [Fact]
    public void When_nothing_is_found_the_message_names_every_path_and_the_package()
    {
        string dir = Path.GetDirectoryName(PsfFiles.Save([], "empty"))!;
        string[] paths = [Path.Combine(dir, "a.psf.gz"), Path.Combine(dir, "b.psf")];
        var e = Assert.Throws<PsfFontNotFoundException>(() => new PsfFontLocator(paths).Load());
        Assert.Contains($"tried {paths[0]}, {paths[1]}.", e.Message);
        Assert.Contains("apt-get install -y console-setup-linux", e.Message);
        Assert.Throws<ArgumentException>(() => new PsfFontLocator(Array.Empty<string>()));
    }

    [Fact]
    public void A_broken_font_found_first_is_an_error_not_skipped()
    {
        string broken = PsfFiles.Save(Encoding.ASCII.GetBytes("not a font"), "broken.psf");
        string good = PsfFiles.Save(PsfFiles.Psf1(256, 8, null), "good.psf");
        Assert.Throws<PsfFormatException>(() => new PsfFontLocator([broken, good]).Load());
    }
}
