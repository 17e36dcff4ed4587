using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Tests.Displif;

public class EdidTests
{
    public static TheoryData<int, int> Sizes => new()
    {
        { 1920, 1080 },
        { 1024, 768 },
        { 1280, 720 },
        { 4095, 2047 },
        { 3840, 2160 },
        { 800, 600 },
        { 64, 48 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void IsA128ByteBlockWithHeaderAndValidChecksum(int w, int h)
    {
        byte[] e = Edid.Create(w, h, "vdispl-0");
        Assert.Equal(128, e.Length);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, e[..8]);
        Assert.True(Edid.IsChecksumValid(e));
        Assert.Equal(0, e.Sum(b => b) % 256);
        Assert.Equal(0, e[126]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PreferredModeRoundTrips(int w, int h)
    {
        var mode = Edid.ParsePreferredMode(Edid.Create(w, h, "x"));
        Assert.Equal((w, h, 60), mode);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void DetailedTimingIsReducedBlanking(int w, int h)
    {
        byte[] e = Edid.Create(w, h, "x");
        var d = e.AsSpan(54, 18);
        int clock10k = d[0] | d[1] << 8;
        int hBlank = d[3] | (d[4] & 0xF) << 8;
        int vBlank = d[6] | (d[7] & 0xF) << 8;
        int hso = d[8] | (d[11] >> 6) << 8, hsw = d[9] | ((d[11] >> 4) & 3) << 8;
        int vso = d[10] >> 4 | ((d[11] >> 2) & 3) << 4, vsw = (d[10] & 0xF) | (d[11] & 3) << 4;
        Assert.Equal((160, 48, 32), (hBlank, hso, hsw));
        Assert.Equal(3, vso);
        Assert.InRange(vsw, 4, 10);
        Assert.True(vBlank >= vso + vsw + 6);
        long htotal = w + hBlank, vtotal = h + vBlank;
        // Pixel clock: htotal*vtotal*60 rounded up to 10 kHz.
        Assert.Equal((htotal * vtotal * 60 + 9_999) / 10_000, clock10k);
        // Vertical blanking lasts at least 460 us.
        double lineUs = htotal / (clock10k * 0.01);
        Assert.True(vBlank * lineUs >= 460 - lineUs, $"vblank {vBlank} lines of {lineUs} us");
        Assert.Equal(0x1A, d[17]); // digital separate sync, +hsync -vsync, progressive
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4095, 1)]
    [InlineData(1, 4095)]
    public void DegenerateSizesStillWork(int w, int h)
    {
        byte[] e = Edid.Create(w, h, "x");
        Assert.True(Edid.IsChecksumValid(e));
        var mode = Edid.ParsePreferredMode(e);
        Assert.NotNull(mode);
        Assert.Equal((w, h), (mode.Value.Width, mode.Value.Height));
        // With tiny totals, rounding the clock up to 10 kHz moves the refresh a little.
        Assert.InRange(mode.Value.RefreshHz, 57, 63);
        Assert.True(e[21] == 0 == (e[22] == 0), "screen size bytes are both zero or both set");
    }

    [Fact]
    public void HeaderFieldsAreEdid14()
    {
        byte[] e = Edid.Create(1920, 1080, "abc");
        int mfg = e[8] << 8 | e[9];
        string id = new([(char)('A' - 1 + (mfg >> 10 & 31)), (char)('A' - 1 + (mfg >> 5 & 31)), (char)('A' - 1 + (mfg & 31))]);
        Assert.Equal("XEN", id);
        Assert.Equal(0, mfg >> 15);
        Assert.Equal((1, 4), (e[18], e[19]));
        Assert.True((e[20] & 0x80) != 0, "digital input");
        Assert.Equal(120, e[23]); // gamma 2.2
        Assert.True((e[24] & 0x02) != 0, "preferred timing mode");
        Assert.Equal(new byte[3], e[35..38]);
        for (int i = 38; i < 54; i++)
            Assert.Equal(1, e[i]);
        // Physical size: both or neither.
        Assert.True(e[21] > 0 && e[22] > 0);
        Assert.True(e[21] > e[22]);
    }

    [Fact]
    public void ChromaticityIsSrgb()
    {
        byte[] e = Edid.Create(1920, 1080, "abc");
        int Rx = e[27] << 2 | e[25] >> 6, Ry = e[28] << 2 | (e[25] >> 4 & 3);
        int Wx = e[33] << 2 | (e[26] >> 2 & 3), Wy = e[34] << 2 | (e[26] & 3);
        Assert.Equal(0.640, Rx / 1024.0, 0.001);
        Assert.Equal(0.330, Ry / 1024.0, 0.001);
        Assert.Equal(0.3127, Wx / 1024.0, 0.001);
        Assert.Equal(0.3290, Wy / 1024.0, 0.001);
    }

    [Fact]
    public void NameDescriptorIsPresentAndPadded()
    {
        byte[] e = Edid.Create(1280, 720, "abc");
        Assert.Equal("XenDisplay", Edid.ReadDescriptorText(e, Edid.TagDisplayName));
        var d = e.AsSpan(72, 18);
        Assert.Equal(new byte[] { 0, 0, 0, 0xFC, 0 }, d[..5].ToArray());
        Assert.Equal("XenDisplay\n  "u8.ToArray(), d[5..].ToArray());
    }

    [Fact]
    public void ThirdDescriptorIsRangeLimitsCoveringTheMode()
    {
        byte[] e = Edid.Create(1920, 1080, "abc");
        var d = e.AsSpan(90, 18);
        Assert.Equal(Edid.TagRangeLimits, d[3]);
        Assert.InRange(60, d[5], d[6]);
        Assert.InRange(66, d[7], d[8]); // 1920x1080 CVT-RB: ~66.6 kHz line rate
        Assert.True(d[9] * 10 >= 139);  // max clock >= ~138.6 MHz
    }

    [Theory]
    [InlineData("vdispl-0", "vdispl-0")]
    [InlineData("0123456789abcdefXYZ", "0123456789abc")]
    [InlineData("", "")]
    [InlineData("dom5/conn-ü", "dom5/conn-?")]
    public void SerialStringIsUniqueIdTruncated(string uniqueId, string expected)
    {
        byte[] e = Edid.Create(1024, 768, uniqueId);
        Assert.Equal(expected, Edid.ReadDescriptorText(e, Edid.TagSerialString));
        Assert.Equal(0xFF, e[108 + 3]);
    }

    [Fact]
    public void SerialNumberIsAStableHashOfUniqueId()
    {
        byte[] a = Edid.Create(1024, 768, "conn-a");
        byte[] a2 = Edid.Create(1920, 1080, "conn-a");
        byte[] b = Edid.Create(1024, 768, "conn-b");
        uint Serial(byte[] e) => BitConverter.ToUInt32(e, 12);
        Assert.Equal(Edid.SerialNumberFor("conn-a"), Serial(a));
        Assert.Equal(Serial(a), Serial(a2));
        Assert.NotEqual(Serial(a), Serial(b));
        Assert.Equal(0x811C9DC5u, Edid.SerialNumberFor("")); // FNV-1a offset basis: stable across runs
        Assert.Equal(Edid.Create(800, 600, "q"), Edid.Create(800, 600, "q"));
    }

    [Fact]
    public void CorruptedChecksumParsesAsNull()
    {
        byte[] e = Edid.Create(1920, 1080, "x");
        e[127] ^= 1;
        Assert.False(Edid.IsChecksumValid(e));
        Assert.Null(Edid.ParsePreferredMode(e));
        e[127] ^= 1;
        e[60] ^= 0x10;
        Assert.Null(Edid.ParsePreferredMode(e));
    }

    [Fact]
    public void BadHeaderOrShortBufferParsesAsNull()
    {
        byte[] e = Edid.Create(1920, 1080, "x");
        e[1] = 0xFE;
        e[127]++; // keep the checksum valid
        Assert.True(Edid.IsChecksumValid(e));
        Assert.Null(Edid.ParsePreferredMode(e));
        Assert.Null(Edid.ParsePreferredMode(Edid.Create(1920, 1080, "x").AsSpan(0, 127)));
        Assert.False(Edid.IsChecksumValid(new byte[10]));
    }

    [Fact]
    public void ParsesFromAFullSizeDisplifBuffer()
    {
        // The guest's EDID buffer is XENDISPL_EDID_MAX_SIZE bytes; the EDID occupies the first block.
        var buffer = new byte[Edid.MaxSize];
        Assert.Equal(32768, buffer.Length);
        Edid.Create(1280, 720, "x").CopyTo(buffer, 0);
        Assert.Equal((1280, 720, 60), Edid.ParsePreferredMode(buffer));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, 0)]
    [InlineData(4096, 100)]
    [InlineData(100, 4096)]
    public void RejectsSizesThatDoNotFit(int w, int h) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Edid.Create(w, h, "x"));

    [Fact]
    public void HugeModesLowerTheRefreshToFitThePixelClock()
    {
        byte[] e = Edid.Create(4095, 4095, "x");
        var mode = Edid.ParsePreferredMode(e);
        Assert.NotNull(mode);
        Assert.Equal((4095, 4095), (mode.Value.Width, mode.Value.Height));
        Assert.InRange(mode.Value.RefreshHz, 25, 59);
        Assert.True((e[54] | e[55] << 8) <= 65535);
    }
}
