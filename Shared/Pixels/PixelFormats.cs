using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace XenDisplayWeb.Shared.Pixels;

/// <summary>Facts about the supported <see cref="PixelFormat"/>s: FOURCC handling, sizes, parsing.</summary>
public static class PixelFormats
{
    private static readonly ReadOnlyCollection<PixelFormat> s_all = Array.AsReadOnly(
    [
        PixelFormat.Rgb565,
        PixelFormat.Rgb888,
        PixelFormat.Xrgb8888,
        PixelFormat.Argb8888,
        PixelFormat.Xrgb4444,
        PixelFormat.Argb4444,
        PixelFormat.Xrgb1555,
        PixelFormat.Argb1555,
        PixelFormat.Yuyv,
    ]);

    /// <summary>Every supported format, in the order listed by <see cref="PixelFormat"/>.</summary>
    public static IReadOnlyList<PixelFormat> All => s_all;

    /// <summary>True when <paramref name="fourcc"/> is the DRM code of a supported format.</summary>
    public static bool IsSupported(uint fourcc) => (PixelFormat)fourcc switch
    {
        PixelFormat.Rgb565 or PixelFormat.Rgb888 or PixelFormat.Xrgb8888 or PixelFormat.Argb8888 or
        PixelFormat.Xrgb4444 or PixelFormat.Argb4444 or PixelFormat.Xrgb1555 or PixelFormat.Argb1555 or
        PixelFormat.Yuyv => true,
        _ => false,
    };

    /// <summary>Bits per pixel (16, 24 or 32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The format is not supported.</exception>
    public static int BitsPerPixel(PixelFormat format) => format switch
    {
        PixelFormat.Rgb565 or PixelFormat.Xrgb4444 or PixelFormat.Argb4444 or
        PixelFormat.Xrgb1555 or PixelFormat.Argb1555 or PixelFormat.Yuyv => 16,
        PixelFormat.Rgb888 => 24,
        PixelFormat.Xrgb8888 or PixelFormat.Argb8888 => 32,
        _ => throw Unsupported(format),
    };

    /// <summary>Bytes per pixel (2, 3 or 4); for <see cref="PixelFormat.Yuyv"/> the average, 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The format is not supported.</exception>
    public static int BytesPerPixel(PixelFormat format) => BitsPerPixel(format) / 8;

    /// <summary>True for the formats that carry an alpha channel (the A… formats).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The format is not supported.</exception>
    public static bool HasAlpha(PixelFormat format) => format switch
    {
        PixelFormat.Argb8888 or PixelFormat.Argb4444 or PixelFormat.Argb1555 => true,
        PixelFormat.Rgb565 or PixelFormat.Rgb888 or PixelFormat.Xrgb8888 or PixelFormat.Xrgb4444 or
        PixelFormat.Xrgb1555 or PixelFormat.Yuyv => false,
        _ => throw Unsupported(format),
    };

    /// <summary>
    /// The smallest row pitch in bytes for <paramref name="width"/> pixels: <c>ceil(width * bpp / 8)</c>,
    /// as Linux computes it (no alignment).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative width, unsupported format, or overflow.</exception>
    public static int MinPitch(PixelFormat format, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        long bits = (long)width * BitsPerPixel(format);
        long bytes = (bits + 7) / 8;
        if (bytes > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Row pitch does not fit in an int.");
        }

        return (int)bytes;
    }

    /// <summary>
    /// The four characters of a FOURCC code, first character from the least significant byte,
    /// e.g. <c>"XR24"</c>. Bytes outside printable ASCII are shown as '?'.
    /// </summary>
    public static string FourCcString(uint fourcc) => string.Create(4, fourcc, static (chars, code) =>
    {
        for (int i = 0; i < 4; i++)
        {
            byte b = (byte)(code >> (8 * i));
            chars[i] = b is >= 0x20 and <= 0x7E ? (char)b : '?';
        }
    });

    /// <summary>
    /// Parses a format name (<c>"XRGB8888"</c>, <c>"Rgb565"</c>) or FOURCC string (<c>"XR24"</c>),
    /// case-insensitively, ignoring surrounding white space.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text names no supported format.</exception>
    public static PixelFormat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out PixelFormat format)
            ? format
            : throw new FormatException($"Unknown pixel format '{text}'.");
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PixelFormat format)
    {
        if (text is not null)
        {
            ReadOnlySpan<char> t = text.AsSpan().Trim();
            foreach (PixelFormat f in s_all)
            {
                if (t.Equals(f.ToString(), StringComparison.OrdinalIgnoreCase) ||
                    t.Equals(FourCcString((uint)f), StringComparison.OrdinalIgnoreCase))
                {
                    format = f;
                    return true;
                }
            }
        }

        format = default;
        return false;
    }

    internal static ArgumentOutOfRangeException Unsupported(PixelFormat format) =>
        new(nameof(format), format, $"Unsupported pixel format {FourCcString((uint)format)} (0x{(uint)format:X8}).");
}
