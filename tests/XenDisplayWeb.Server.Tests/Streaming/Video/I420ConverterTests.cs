using XenDisplayWeb.Server.Streaming.Video;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

public sealed class I420ConverterTests
{
    // 128 pixels the vector path converts, then 2 the scalar tail does.
    private const int Width = 130, Height = 4;

    private static (byte[] Y, byte[] U, byte[] V) Convert(byte[] bgrx, int width, int height)
    {
        var y = new byte[width * height];
        var u = new byte[width / 2 * (height / 2)];
        var v = new byte[width / 2 * (height / 2)];
        I420Converter.Convert(bgrx, width * 4, width, height, y, u, v);
        return (y, u, v);
    }

    private static byte[] Picture(int width, int height, Func<int, int, (int R, int G, int B)> colour)
    {
        var bgrx = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                int i = (y * width + x) * 4;
                (bgrx[i], bgrx[i + 1], bgrx[i + 2], bgrx[i + 3]) = ((byte)b, (byte)g, (byte)r, 0xFF);
            }
        return bgrx;
    }

    [Theory]
    [InlineData(0, 0, 0, 16, 128, 128)]        // black
    [InlineData(255, 255, 255, 235, 128, 128)] // white
    [InlineData(128, 128, 128, 126, 128, 128)] // grey
    [InlineData(255, 0, 0, 81, 90, 240)]       // red
    [InlineData(0, 255, 0, 145, 54, 34)]       // green
    [InlineData(0, 0, 255, 41, 240, 110)]      // blue
    [InlineData(255, 255, 0, 210, 16, 146)]    // yellow
    public void KnownColoursGiveBt601LimitedRangeValues(int r, int g, int b, int y, int u, int v)
    {
        var planes = Convert(Picture(Width, Height, (_, _) => (r, g, b)), Width, Height);

        Assert.All(planes.Y, value => Assert.Equal(y, value));
        Assert.All(planes.U, value => Assert.Equal(u, value));
        Assert.All(planes.V, value => Assert.Equal(v, value));
    }

    [Fact]
    public void ABlocksChromaIsTheAverageOfItsFourPixels()
    {
        // red and green above, blue and blue below: the mean colour is (63.75, 63.75, 127.5).
        (int, int, int)[] block = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 0, 255)];
        var planes = Convert(Picture(Width, Height, (x, y) => block[(y & 1) * 2 + (x & 1)]), Width, Height);

        // Cb = 128 + (-37.797 * 63.75 - 74.203 * 63.75 + 112 * 127.5) / 255 = 156; Cr = 123.45.
        Assert.All(planes.U, value => Assert.Equal(156, value));
        Assert.All(planes.V, value => Assert.Equal(123, value));
        Assert.Equal([81, 145], planes.Y[..2]);
        Assert.Equal([41, 41], planes.Y[Width..(Width + 2)]);
    }

    [Fact]
    public void EveryColumnGivesWhatItsBlockAloneGives()
    {
        var random = new Random(601);
        const int width = 192 + 6, height = 6;
        var bgrx = new byte[width * height * 4];
        random.NextBytes(bgrx);
        var whole = Convert(bgrx, width, height);

        for (int by = 0; by < height; by += 2)
            for (int bx = 0; bx < width; bx += 2)
            {
                var alone = new byte[16];
                bgrx.AsSpan((by * width + bx) * 4, 8).CopyTo(alone);
                bgrx.AsSpan(((by + 1) * width + bx) * 4, 8).CopyTo(alone.AsSpan(8));
                var block = Convert(alone, 2, 2);
                Assert.Equal(block.Y[..2], whole.Y.AsSpan(by * width + bx, 2).ToArray());
                Assert.Equal(block.Y[2..], whole.Y.AsSpan((by + 1) * width + bx, 2).ToArray());
                Assert.Equal(block.U[0], whole.U[by / 2 * (width / 2) + bx / 2]);
                Assert.Equal(block.V[0], whole.V[by / 2 * (width / 2) + bx / 2]);
            }
    }

    [Fact]
    public void AStrideWiderThanTheRowIsHonoured()
    {
        const int width = 64, height = 2, stride = width * 4 + 32;
        var bgrx = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            bgrx.AsSpan(y * stride, width * 4).Fill(255);                 // white picture
            bgrx.AsSpan(y * stride + width * 4, stride - width * 4).Clear(); // black padding
        }
        var yPlane = new byte[width * height];
        var u = new byte[width / 2];
        var v = new byte[width / 2];

        I420Converter.Convert(bgrx, stride, width, height, yPlane, u, v);

        Assert.All(yPlane, value => Assert.Equal(235, value));
    }
}
