namespace XenDisplayWeb.Shared.Pixels;

/// <summary>
/// The pixel formats the Linux xen-front DRM driver offers over displif, identified by their
/// DRM FOURCC code (<c>a | b &lt;&lt; 8 | c &lt;&lt; 16 | d &lt;&lt; 24</c>, little-endian on the wire).
/// </summary>
/// <remarks>
/// DRM formats describe little-endian packed words: <see cref="Xrgb8888"/> is stored in memory
/// as the bytes B, G, R, X; <see cref="Rgb888"/> as B, G, R; the 16-bit formats are little-endian
/// <c>u16</c> words with the first named channel in the most significant bits.
/// </remarks>
public enum PixelFormat : uint
{
    /// <summary>'RG16': u16 R(15..11) G(10..5) B(4..0); 16 bpp.</summary>
    Rgb565 = 0x36314752,

    /// <summary>'RG24': bytes B, G, R; 24 bpp.</summary>
    Rgb888 = 0x34324752,

    /// <summary>'XR24': bytes B, G, R, X (u32 X:R:G:B); 32 bpp, alpha ignored.</summary>
    Xrgb8888 = 0x34325258,

    /// <summary>'AR24': bytes B, G, R, A (u32 A:R:G:B); 32 bpp.</summary>
    Argb8888 = 0x34325241,

    /// <summary>'XR12': u16 X(15..12) R(11..8) G(7..4) B(3..0); 16 bpp, alpha ignored.</summary>
    Xrgb4444 = 0x32315258,

    /// <summary>'AR12': u16 A(15..12) R(11..8) G(7..4) B(3..0); 16 bpp.</summary>
    Argb4444 = 0x32315241,

    /// <summary>'XR15': u16 X(15) R(14..10) G(9..5) B(4..0); 16 bpp, alpha ignored.</summary>
    Xrgb1555 = 0x35315258,

    /// <summary>'AR15': u16 A(15) R(14..10) G(9..5) B(4..0); 16 bpp.</summary>
    Argb1555 = 0x35315241,

    /// <summary>'YUYV': packed 4:2:2, bytes Y0 U Y1 V per pair of pixels; 16 bpp.</summary>
    Yuyv = 0x56595559,
}
