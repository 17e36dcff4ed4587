namespace XenDisplayWeb.Server.Tests.Streaming.Video;

/// <summary>
/// A moving picture in BGRX: a smooth colour gradient sliding sideways over the whole picture (every pixel
/// outside the windows changes every frame) and two white windows of dark glyph-like text scrolling up
/// 2 pixels a frame. Frame <c>n</c> is always the same.
/// </summary>
internal sealed class SyntheticVideo(int width, int height)
{
    public int Width => width;
    public int Height => height;
    public int Stride => width * 4;

    public byte[] Frame(int n)
    {
        var bgrx = new byte[Stride * height];
        (int X, int Y, int W, int H)[] windows =
        [
            (width / 16, height / 8, width * 3 / 8, height / 2),
            (width / 2, height / 3, width * 7 / 16, height / 2),
        ];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int s = (x + y / 2 + 4 * n) % 512;
                byte b = (byte)(48 + (s < 256 ? s : 511 - s) * 5 / 8);
                byte g = (byte)(80 + y * 96 / height);
                byte r = (byte)(64 + x * 128 / width);
                foreach (var w in windows)
                {
                    if (x < w.X || x >= w.X + w.W || y < w.Y || y >= w.Y + w.H) continue;
                    b = g = r = Text(x - w.X, y - w.Y + 2 * n) ? (byte)24 : (byte)240;
                }
                int i = y * Stride + x * 4;
                bgrx[i] = b; bgrx[i + 1] = g; bgrx[i + 2] = r; bgrx[i + 3] = 0xFF;
            }
        }
        return bgrx;
    }

    /// <summary>Lines 14 pixels apart of 7x9 glyph cells (a fixed bit pattern each), words of 3 to 7 of them.</summary>
    private static bool Text(int x, int y)
    {
        int line = y / 14, inLine = y % 14, cell = x / 8, inCell = x % 8;
        if (inLine < 3 || inLine >= 12 || inCell == 7) return false;
        uint word = (uint)line * 2246822519u ^ (uint)(cell / 6) * 3266489917u;
        if (cell % 6 >= 3 + (int)(word >> 29 & 3)) return false; // the space after a word
        uint glyph = ((uint)cell * 2654435761u ^ (uint)line * 40503u) >> 3;
        return (glyph >> ((inLine - 3) * 3 + inCell / 3) & 1) != 0;
    }
}
