using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// The size a picture is sent at for a watch with a box (<see cref="WatchOptions.MaxWidth"/> x
/// <see cref="WatchOptions.MaxHeight"/>, 0 for no bound on that side): the picture shrunk to fit within the
/// box, keeping its aspect ratio, never enlarged. With s = min(maxW / w, maxH / h) and s &lt; 1, the side that
/// limits s takes the box's size exactly and the other is floor(side * s), at least 1; worked in integers,
/// so 1920x1080 in 320x180 is 320x180 and 1024x768 in 320x180 is 240x180.
/// </summary>
public static class ScaledSize
{
    public static (int Width, int Height) Fit(int width, int height, int maxWidth, int maxHeight)
    {
        if (width <= 0 || height <= 0) return (width, height);
        bool boundW = maxWidth > 0 && maxWidth < width, boundH = maxHeight > 0 && maxHeight < height;
        if (!boundW && !boundH) return (width, height);
        // Which side limits: maxW / w <= maxH / h, compared as maxW * h <= maxH * w (an unbounded side never does).
        bool byWidth = boundW && (!boundH || (long)maxWidth * height <= (long)maxHeight * width);
        return byWidth
            ? (maxWidth, (int)Math.Max(1, (long)height * maxWidth / width))
            : ((int)Math.Max(1, (long)width * maxHeight / height), maxHeight);
    }

    public static (int Width, int Height) Fit((int Width, int Height) picture, WatchOptions options) =>
        Fit(picture.Width, picture.Height, options.MaxWidth, options.MaxHeight);
}
