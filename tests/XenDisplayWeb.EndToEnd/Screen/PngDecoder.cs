using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>
/// A PNG's pixels as RGBA (what our server and Chromium write), decoded by ImageSharp, so a test can compare
/// pictures by their pixels rather than their bytes.
/// </summary>
public static class PngDecoder
{
    public static (byte[] Rgba, int Width, int Height) Decode(byte[] png)
    {
        using var image = Image.Load<Rgba32>(png, new SixLabors.ImageSharp.Formats.Png.PngDecoder());
        var rgba = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(rgba);
        return (rgba, image.Width, image.Height);
    }
}
