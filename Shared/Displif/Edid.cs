using System.Text;

namespace XenDisplayWeb.Shared.Displif;

/// <summary>
/// Builds and parses the EDID the backend returns for displif's GET_EDID request:
/// one 128-byte EDID 1.4 base block with a single preferred detailed timing.
/// </summary>
public static class Edid
{
    /// <summary>Size of one EDID block (XENDISPL_EDID_BLOCK_SIZE).</summary>
    public const int BlockSize = 128;

    /// <summary>Largest EDID a displif frontend buffer holds: 256 blocks (XENDISPL_EDID_MAX_SIZE).</summary>
    public const int MaxSize = BlockSize * 256;

    /// <summary>Largest width or height the 12-bit detailed timing fields hold.</summary>
    public const int MaxDimension = 4095;

    /// <summary>Refresh rate of the generated timing (lowered only if the pixel clock would not fit).</summary>
    public const int PreferredRefreshHz = 60;

    /// <summary>The 3-letter PNP manufacturer id.</summary>
    public const string ManufacturerId = "XEN";

    /// <summary>The product code (bytes 10-11, little-endian).</summary>
    public const ushort ProductCode = 0xD15B;

    /// <summary>The monitor name descriptor text.</summary>
    public const string DisplayName = "XenDisplay";

    /// <summary>Descriptor tag of the display product name (0xFC).</summary>
    public const byte TagDisplayName = 0xFC;

    /// <summary>Descriptor tag of the display serial number string (0xFF).</summary>
    public const byte TagSerialString = 0xFF;

    /// <summary>Descriptor tag of the display range limits (0xFD).</summary>
    public const byte TagRangeLimits = 0xFD;

    private static ReadOnlySpan<byte> Header => [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];

    private const int DescriptorOffset = 54;
    private const int DescriptorSize = 18;
    private const int DescriptorTextLength = 13;

    // CVT reduced blanking (v1) constants.
    private const int HBlank = 160, HSyncOffset = 48, HSyncWidth = 32;
    private const int VSyncOffset = 3, MinVBackPorch = 6, MinVBlankMicroseconds = 460;
    private const int MaxPixelClock10kHz = 0xFFFF;

    /// <summary>
    /// Creates the EDID for a connector of <paramref name="width"/> x <paramref name="height"/>.
    /// The timing is CVT reduced-blanking-like at 60 Hz with the pixel clock rounded up to 10 kHz; if that clock would
    /// exceed 655.35 MHz the highest integer refresh rate that fits is used instead.
    /// </summary>
    /// <param name="uniqueId">The connector's unique id: hashed into the serial number and, truncated to 13 characters, the serial string.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension outside 1..4095.</exception>
    public static byte[] Create(int width, int height, string uniqueId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        ArgumentNullException.ThrowIfNull(uniqueId);

        Timing t = ComputeTiming(width, height);
        var e = new byte[BlockSize];
        Header.CopyTo(e);

        ushort mfg = (ushort)(((ManufacturerId[0] - 'A' + 1) << 10) | ((ManufacturerId[1] - 'A' + 1) << 5) | (ManufacturerId[2] - 'A' + 1));
        e[8] = (byte)(mfg >> 8);
        e[9] = (byte)mfg;
        e[10] = ProductCode & 0xFF;
        e[11] = (byte)(ProductCode >> 8);
        uint serial = SerialNumberFor(uniqueId);
        e[12] = (byte)serial;
        e[13] = (byte)(serial >> 8);
        e[14] = (byte)(serial >> 16);
        e[15] = (byte)(serial >> 24);
        e[16] = 1;                 // week of manufacture
        e[17] = 2025 - 1990;       // year of manufacture
        e[18] = 1;                 // EDID version 1.4
        e[19] = 4;
        e[20] = 0x80 | (0b010 << 4);   // digital input, 8 bits per primary, interface undefined

        // Physical size at 96 dpi; both bytes 0 if either would be 0 (one 0 would mean an aspect ratio).
        int hmm = (int)((width * 254L + 480) / 960), vmm = (int)((height * 254L + 480) / 960);
        int hcm = Math.Min(255, (hmm + 5) / 10), vcm = Math.Min(255, (vmm + 5) / 10);
        if (hcm == 0 || vcm == 0)
            hcm = vcm = 0;
        e[21] = (byte)hcm;
        e[22] = (byte)vcm;
        e[23] = 220 - 100;         // gamma 2.2
        e[24] = 0x06;              // RGB 4:4:4, sRGB default colour space, preferred timing is native

        WriteChromaticity(e.AsSpan(25, 10));
        // 35-37 established timings: none. 38-53 standard timings: unused.
        for (int i = 38; i < 54; i++)
            e[i] = 0x01;

        WriteDetailedTiming(e.AsSpan(DescriptorOffset, DescriptorSize), width, height, t, hmm, vmm);
        WriteTextDescriptor(e.AsSpan(DescriptorOffset + DescriptorSize, DescriptorSize), TagDisplayName, DisplayName);
        WriteRangeLimits(e.AsSpan(DescriptorOffset + 2 * DescriptorSize, DescriptorSize), width, t);
        WriteTextDescriptor(e.AsSpan(DescriptorOffset + 3 * DescriptorSize, DescriptorSize), TagSerialString, uniqueId);
        e[126] = 0;                // no extension blocks

        int sum = 0;
        for (int i = 0; i < BlockSize - 1; i++)
            sum += e[i];
        e[127] = (byte)(256 - (sum & 0xFF));
        return e;
    }

    /// <summary>True if <paramref name="edid"/> holds at least one block and its first 128 bytes sum to 0 mod 256.</summary>
    public static bool IsChecksumValid(ReadOnlySpan<byte> edid)
    {
        if (edid.Length < BlockSize)
            return false;
        int sum = 0;
        foreach (byte b in edid[..BlockSize])
            sum += b;
        return (sum & 0xFF) == 0;
    }

    /// <summary>
    /// Decodes the preferred mode (the first detailed timing descriptor) after checking the header and checksum.
    /// </summary>
    /// <returns>The mode, with the refresh rate rounded to whole Hz, or null if the block is invalid or has no detailed timing first.</returns>
    public static (int Width, int Height, int RefreshHz)? ParsePreferredMode(ReadOnlySpan<byte> edid)
    {
        if (edid.Length < BlockSize || !edid[..Header.Length].SequenceEqual(Header) || !IsChecksumValid(edid))
            return null;
        ReadOnlySpan<byte> d = edid.Slice(DescriptorOffset, DescriptorSize);
        int clock = d[0] | (d[1] << 8);
        if (clock == 0)
            return null;
        int hActive = d[2] | ((d[4] & 0xF0) << 4);
        int hBlank = d[3] | ((d[4] & 0x0F) << 8);
        int vActive = d[5] | ((d[7] & 0xF0) << 4);
        int vBlank = d[6] | ((d[7] & 0x0F) << 8);
        long total = (long)(hActive + hBlank) * (vActive + vBlank);
        if (hActive == 0 || vActive == 0 || total == 0)
            return null;
        int refresh = (int)((clock * 10_000L + total / 2) / total);
        return (hActive, vActive, refresh);
    }

    /// <summary>
    /// The text of the first display descriptor with <paramref name="tag"/> (e.g. <see cref="TagDisplayName"/>,
    /// <see cref="TagSerialString"/>), without the 0x0A terminator and padding, or null if there is none.
    /// </summary>
    public static string? ReadDescriptorText(ReadOnlySpan<byte> edid, byte tag)
    {
        if (edid.Length < BlockSize)
            return null;
        for (int i = 0; i < 4; i++)
        {
            ReadOnlySpan<byte> d = edid.Slice(DescriptorOffset + i * DescriptorSize, DescriptorSize);
            if (d[0] != 0 || d[1] != 0 || d[2] != 0 || d[3] != tag)
                continue;
            ReadOnlySpan<byte> text = d.Slice(5, DescriptorTextLength);
            int end = text.IndexOf((byte)0x0A);
            return Encoding.ASCII.GetString(end >= 0 ? text[..end] : text);
        }
        return null;
    }

    /// <summary>The 32-bit serial number for a unique id: FNV-1a over its UTF-8 bytes (stable across runs and machines).</summary>
    public static uint SerialNumberFor(string uniqueId)
    {
        ArgumentNullException.ThrowIfNull(uniqueId);
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(uniqueId))
        {
            h ^= b;
            h *= 16777619;
        }
        return h;
    }

    internal readonly record struct Timing(int RefreshHz, int VBlank, int VSyncWidth, int PixelClock10kHz)
    {
        public long PixelClockHz => PixelClock10kHz * 10_000L;
    }

    /// <summary>CVT-RB-like blanking for the highest refresh rate &lt;= 60 Hz whose clock fits 16 bits of 10 kHz.</summary>
    internal static Timing ComputeTiming(int width, int height)
    {
        int vsync = VSyncWidthFor(width, height);
        for (int refresh = PreferredRefreshHz; refresh >= 1; refresh--)
        {
            // Lines in the minimum vertical blanking time: floor(460us / estimated line period) + 1,
            // where line period = (frame period - 460us) / height.
            long vbi = 460L * height * refresh / (1_000_000L - MinVBlankMicroseconds * (long)refresh) + 1;
            int vblank = (int)Math.Max(vbi, VSyncOffset + vsync + MinVBackPorch);
            long clockHz = (long)(width + HBlank) * (height + vblank) * refresh;
            long clock10k = (clockHz + 9_999) / 10_000;
            if (clock10k <= MaxPixelClock10kHz)
                return new Timing(refresh, vblank, vsync, (int)clock10k);
        }
        throw new ArgumentOutOfRangeException(nameof(height), "No refresh rate fits the pixel clock field.");
    }

    /// <summary>CVT's vsync width encodes the aspect ratio: 4:3 → 4, 16:9 → 5, 16:10 → 6, 5:4 and 15:9 → 7, other → 10.</summary>
    private static int VSyncWidthFor(int w, int h)
    {
        static bool Is(int w, int h, int a, int b) => Math.Abs((long)w * b - (long)h * a) * 100 <= (long)h * a;
        if (Is(w, h, 4, 3)) return 4;
        if (Is(w, h, 16, 9)) return 5;
        if (Is(w, h, 16, 10)) return 6;
        if (Is(w, h, 5, 4) || Is(w, h, 15, 9)) return 7;
        return 10;
    }

    private static void WriteChromaticity(Span<byte> c)
    {
        // sRGB primaries and D65 white point, 10-bit binary fractions.
        int rx = Frac(0.640), ry = Frac(0.330), gx = Frac(0.300), gy = Frac(0.600);
        int bx = Frac(0.150), by = Frac(0.060), wx = Frac(0.3127), wy = Frac(0.3290);
        c[0] = (byte)(((rx & 3) << 6) | ((ry & 3) << 4) | ((gx & 3) << 2) | (gy & 3));
        c[1] = (byte)(((bx & 3) << 6) | ((by & 3) << 4) | ((wx & 3) << 2) | (wy & 3));
        c[2] = (byte)(rx >> 2);
        c[3] = (byte)(ry >> 2);
        c[4] = (byte)(gx >> 2);
        c[5] = (byte)(gy >> 2);
        c[6] = (byte)(bx >> 2);
        c[7] = (byte)(by >> 2);
        c[8] = (byte)(wx >> 2);
        c[9] = (byte)(wy >> 2);

        static int Frac(double v) => (int)Math.Round(v * 1024);
    }

    private static void WriteDetailedTiming(Span<byte> d, int width, int height, Timing t, int hmm, int vmm)
    {
        d[0] = (byte)t.PixelClock10kHz;
        d[1] = (byte)(t.PixelClock10kHz >> 8);
        d[2] = (byte)width;
        d[3] = HBlank & 0xFF;
        d[4] = (byte)(((width >> 8) << 4) | (HBlank >> 8));
        d[5] = (byte)height;
        d[6] = (byte)t.VBlank;
        d[7] = (byte)(((height >> 8) << 4) | (t.VBlank >> 8));
        d[8] = HSyncOffset & 0xFF;
        d[9] = HSyncWidth & 0xFF;
        d[10] = (byte)(((VSyncOffset & 0xF) << 4) | (t.VSyncWidth & 0xF));
        d[11] = (byte)(((HSyncOffset >> 8) << 6) | ((HSyncWidth >> 8) << 4) | ((VSyncOffset >> 4) << 2) | (t.VSyncWidth >> 4));
        d[12] = (byte)hmm;
        d[13] = (byte)vmm;
        d[14] = (byte)(((hmm >> 8) << 4) | (vmm >> 8));
        d[15] = 0;                 // no borders
        d[16] = 0;
        d[17] = 0x1A;              // non-interlaced, digital separate sync, vsync -, hsync + (CVT-RB)
    }

    private static void WriteTextDescriptor(Span<byte> d, byte tag, string text)
    {
        d.Clear();
        d[3] = tag;
        Span<byte> t = d.Slice(5, DescriptorTextLength);
        t.Fill(0x20);
        int n = Math.Min(text.Length, DescriptorTextLength);
        for (int i = 0; i < n; i++)
        {
            char ch = text[i];
            t[i] = ch is >= ' ' and <= '~' ? (byte)ch : (byte)'?';
        }
        if (n < DescriptorTextLength)
            t[n] = 0x0A;
    }

    private static void WriteRangeLimits(Span<byte> d, int width, Timing t)
    {
        d.Clear();
        d[3] = TagRangeLimits;
        long htotal = width + HBlank;
        long hfreqHz = t.PixelClockHz / htotal;
        d[5] = (byte)Math.Min(t.RefreshHz, 50);                                     // min vertical Hz
        d[6] = PreferredRefreshHz;                                                  // max vertical Hz
        d[7] = (byte)Math.Clamp(hfreqHz / 1000, 1, 255);                            // min horizontal kHz
        d[8] = (byte)Math.Clamp((hfreqHz + 999) / 1000, 1, 255);                    // max horizontal kHz
        d[9] = (byte)Math.Clamp((t.PixelClockHz + 9_999_999) / 10_000_000, 1, 255); // max pixel clock, 10 MHz
        d[10] = 0x01;              // range limits only, no timing formula
        d[11] = 0x0A;
        d.Slice(12).Fill(0x20);
    }
}
