using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Workloads;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>The downloads' PNGs, written by ImageSharp from BGRX pixels.</summary>
public class PngWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(512, 512)]
    public void A_png_decodes_back_to_the_exact_pixels_whatever_the_x_bytes(int width, int height)
    {
        int stride = width * 4 + 12;
        var bgrx = new byte[stride * height];
        new Random(width * height).NextBytes(bgrx);
        var (w, h, rgb) = DecodePng(PngWriter.Encode(bgrx, stride, width, height, PngWriter.Downloads));
        Assert.Equal((width, height), (w, h));
        var packed = new byte[width * 4 * height];
        for (int y = 0; y < height; y++) bgrx.AsSpan(y * stride, width * 4).CopyTo(packed.AsSpan(y * width * 4));
        Assert.Equal(Rgb(packed, width, 0, 0, width, height), rgb);
    }

    [Theory]
    [InlineData(0, 1, 4)]
    [InlineData(1, 0, 4)]
    [InlineData(2, 2, 7)] // stride shorter than a row
    [InlineData(2, 3, 8)] // 3 rows at stride 8 need 24 bytes; 16 given
    public void Pixels_that_do_not_hold_the_size_are_refused(int width, int height, int stride) =>
        Assert.ThrowsAny<ArgumentException>(() => PngWriter.Encode(new byte[16], stride, width, height, PngWriter.Downloads));

    [Fact]
    public void A_download_of_the_desktop_is_smaller_than_the_live_tile_encoding_of_it()
    {
        const int width = 1280, height = 720, stride = width * 4;
        var frame = new byte[stride * height];
        WorkloadRenderers.Create(WorkloadRenderers.Desktop, width, height).Render(new FrameTarget(frame, width, height, stride), 120, 2000);
        var download = PngWriter.Encode(frame, stride, width, height, PngWriter.Downloads);
        var tile = PngEncoder.Encode(frame, stride, width, height);
        Assert.True(download.Length < tile.Length, $"download {download.Length} bytes, live tile encoding {tile.Length}");
        Assert.Equal(DecodePng(tile).Rgb, DecodePng(download).Rgb);
    }
}
