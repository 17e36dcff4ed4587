using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class PixelFormatsTests
{
    private static uint FourCc(string s) => s[0] | ((uint)s[1] << 8) | ((uint)s[2] << 16) | ((uint)s[3] << 24);

    [Theory]
    [InlineData(PixelFormat.Rgb565, "RG16")]
    [InlineData(PixelFormat.Rgb888, "RG24")]
    [InlineData(PixelFormat.Xrgb8888, "XR24")]
    [InlineData(PixelFormat.Argb8888, "AR24")]
    [InlineData(PixelFormat.Xrgb4444, "XR12")]
    [InlineData(PixelFormat.Argb4444, "AR12")]
    [InlineData(PixelFormat.Xrgb1555, "XR15")]
    [InlineData(PixelFormat.Argb1555, "AR15")]
    [InlineData(PixelFormat.Yuyv, "YUYV")]
    public void FourCcMatchesDrmCode(PixelFormat format, string code)
    {
        Assert.Equal(FourCc(code), (uint)format);
        Assert.Equal(code, PixelFormats.FourCcString((uint)format));
        Assert.True(PixelFormats.IsSupported((uint)format));
    }

    [Fact]
    public void FourCcLiteralsMatchDrmFourccHeader()
    {
        // Values of DRM_FORMAT_* from include/uapi/drm/drm_fourcc.h.
        Assert.Equal(0x34325258u, (uint)PixelFormat.Xrgb8888);
        Assert.Equal(0x34325241u, (uint)PixelFormat.Argb8888);
        Assert.Equal(0x36314752u, (uint)PixelFormat.Rgb565);
        Assert.Equal(0x34324752u, (uint)PixelFormat.Rgb888);
        Assert.Equal(0x56595559u, (uint)PixelFormat.Yuyv);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x34325842u)] // 'BX24' (BGRX8888): a real DRM format, but not one xen-front offers
    [InlineData(0x3231564Eu)] // 'NV12'
    [InlineData(0x34324258u)] // 'XB24' (XBGR8888)
    public void UnknownFourCcIsNotSupported(uint fourcc) => Assert.False(PixelFormats.IsSupported(fourcc));

    [Fact]
    public void AllListsNineDistinctSupportedFormats()
    {
        Assert.Equal(9, PixelFormats.All.Count);
        Assert.Equal(9, PixelFormats.All.Distinct().Count());
        Assert.All(PixelFormats.All, f => Assert.True(PixelFormats.IsSupported((uint)f)));
        Assert.Equal(Enum.GetValues<PixelFormat>().OrderBy(f => f), PixelFormats.All.OrderBy(f => f));
    }

    [Theory]
    [InlineData(PixelFormat.Rgb565, 16, 2, false)]
    [InlineData(PixelFormat.Rgb888, 24, 3, false)]
    [InlineData(PixelFormat.Xrgb8888, 32, 4, false)]
    [InlineData(PixelFormat.Argb8888, 32, 4, true)]
    [InlineData(PixelFormat.Xrgb4444, 16, 2, false)]
    [InlineData(PixelFormat.Argb4444, 16, 2, true)]
    [InlineData(PixelFormat.Xrgb1555, 16, 2, false)]
    [InlineData(PixelFormat.Argb1555, 16, 2, true)]
    [InlineData(PixelFormat.Yuyv, 16, 2, false)]
    public void Sizes(PixelFormat format, int bits, int bytes, bool alpha)
    {
        Assert.Equal(bits, PixelFormats.BitsPerPixel(format));
        Assert.Equal(bytes, PixelFormats.BytesPerPixel(format));
        Assert.Equal(alpha, PixelFormats.HasAlpha(format));
    }

    [Fact]
    public void SizesOfUnknownFormatThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelFormats.BitsPerPixel((PixelFormat)0x3231564E));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelFormats.BytesPerPixel(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelFormats.MinPitch(default, 1));
    }

    [Theory]
    [InlineData(PixelFormat.Xrgb8888, 0, 0)]
    [InlineData(PixelFormat.Xrgb8888, 1, 4)]
    [InlineData(PixelFormat.Xrgb8888, 1920, 7680)]
    [InlineData(PixelFormat.Argb8888, 1366, 5464)]
    [InlineData(PixelFormat.Rgb888, 1, 3)]
    [InlineData(PixelFormat.Rgb888, 3, 9)]
    [InlineData(PixelFormat.Rgb888, 1366, 4098)]
    [InlineData(PixelFormat.Rgb565, 1, 2)]
    [InlineData(PixelFormat.Rgb565, 1023, 2046)]
    [InlineData(PixelFormat.Xrgb1555, 7, 14)]
    [InlineData(PixelFormat.Argb4444, 800, 1600)]
    [InlineData(PixelFormat.Yuyv, 640, 1280)]
    [InlineData(PixelFormat.Yuyv, 3, 6)]
    public void MinPitchIsUnalignedLinuxPitch(PixelFormat format, int width, int pitch) =>
        Assert.Equal(pitch, PixelFormats.MinPitch(format, width));

    [Fact]
    public void MinPitchRejectsNegativeAndOverflowingWidths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelFormats.MinPitch(PixelFormat.Xrgb8888, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelFormats.MinPitch(PixelFormat.Xrgb8888, int.MaxValue));
    }

    [Fact]
    public void FourCcStringReplacesNonPrintableBytes()
    {
        Assert.Equal("????", PixelFormats.FourCcString(0));
        Assert.Equal("AB?D", PixelFormats.FourCcString(FourCc("AB\u0001D")));
        Assert.Equal("X??4", PixelFormats.FourCcString(0x34FF7F58));
        Assert.Equal("NV12", PixelFormats.FourCcString(0x3231564E));
        Assert.Equal("  ~ ", PixelFormats.FourCcString(FourCc("  ~ ")));
    }

    [Theory]
    [InlineData("XRGB8888", PixelFormat.Xrgb8888)]
    [InlineData("xrgb8888", PixelFormat.Xrgb8888)]
    [InlineData("Xrgb8888", PixelFormat.Xrgb8888)]
    [InlineData("XR24", PixelFormat.Xrgb8888)]
    [InlineData("xr24", PixelFormat.Xrgb8888)]
    [InlineData(" AR24 ", PixelFormat.Argb8888)]
    [InlineData("ARGB8888", PixelFormat.Argb8888)]
    [InlineData("RGB565", PixelFormat.Rgb565)]
    [InlineData("RG16", PixelFormat.Rgb565)]
    [InlineData("RGB888", PixelFormat.Rgb888)]
    [InlineData("RG24", PixelFormat.Rgb888)]
    [InlineData("XRGB4444", PixelFormat.Xrgb4444)]
    [InlineData("XR12", PixelFormat.Xrgb4444)]
    [InlineData("argb4444", PixelFormat.Argb4444)]
    [InlineData("AR12", PixelFormat.Argb4444)]
    [InlineData("XRGB1555", PixelFormat.Xrgb1555)]
    [InlineData("XR15", PixelFormat.Xrgb1555)]
    [InlineData("ARGB1555", PixelFormat.Argb1555)]
    [InlineData("AR15", PixelFormat.Argb1555)]
    [InlineData("YUYV", PixelFormat.Yuyv)]
    [InlineData("yuyv", PixelFormat.Yuyv)]
    public void ParseAcceptsNamesAndFourCcs(string text, PixelFormat expected)
    {
        Assert.Equal(expected, PixelFormats.Parse(text));
        Assert.True(PixelFormats.TryParse(text, out PixelFormat parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("XR2")]
    [InlineData("XR244")]
    [InlineData("NV12")]
    [InlineData("BGRA8888")]
    [InlineData("2")] // an enum's numeric form must not parse
    [InlineData("875713112")] // the numeric value of XRGB8888
    public void ParseRejectsUnknownText(string text)
    {
        Assert.Throws<FormatException>(() => PixelFormats.Parse(text));
        Assert.False(PixelFormats.TryParse(text, out _));
    }

    [Fact]
    public void ParseNullThrows()
    {
        Assert.Throws<ArgumentNullException>(() => PixelFormats.Parse(null!));
        Assert.False(PixelFormats.TryParse(null, out _));
    }

    [Fact]
    public void EveryFormatParsesFromItsOwnNameAndFourCc()
    {
        foreach (PixelFormat f in PixelFormats.All)
        {
            Assert.Equal(f, PixelFormats.Parse(f.ToString().ToUpperInvariant()));
            Assert.Equal(f, PixelFormats.Parse(PixelFormats.FourCcString((uint)f)));
        }
    }
}
