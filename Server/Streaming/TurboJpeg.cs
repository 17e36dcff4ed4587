using System.Runtime.InteropServices;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>libjpeg-turbo's TurboJPEG API (<c>libturbojpeg.so.0</c>), the few calls a compressor needs.</summary>
internal static class TurboJpeg
{
    public const string Library = "libturbojpeg.so.0";
    public const int PixelFormatBgrx = 3; // TJPF_BGRX
    public const int Subsampling420 = 2;  // TJSAMP_420
    public const int FlagFastDct = 2048;  // TJFLAG_FASTDCT
    public const int FlagNoRealloc = 1024; // TJFLAG_NOREALLOC: compress into the caller's buffer

    private static readonly Lazy<string?> s_loadError = new(() =>
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(TurboJpeg).Assembly, null, out var handle)) return $"{Library} could not be loaded";
            return NativeLibrary.TryGetExport(handle, "tjCompress2", out _) ? null : $"{Library} has no tjCompress2";
        }
        catch (Exception e) { return $"{Library}: {e.Message}"; }
    });

    /// <summary>Null when the library is usable; otherwise why not.</summary>
    public static string? LoadError => s_loadError.Value;

    [DllImport(Library, EntryPoint = "tjInitCompress")]
    public static extern IntPtr InitCompress();

    [DllImport(Library, EntryPoint = "tjCompress2")]
    public static extern int Compress2(IntPtr handle, ref byte srcBuf, int width, int pitch, int height, int pixelFormat,
        ref IntPtr jpegBuf, ref nuint jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [DllImport(Library, EntryPoint = "tjBufSize")]
    public static extern nuint BufSize(int width, int height, int jpegSubsamp);

    [DllImport(Library, EntryPoint = "tjAlloc")]
    public static extern IntPtr Alloc(int bytes);

    [DllImport(Library, EntryPoint = "tjFree")]
    public static extern void Free(IntPtr buffer);

    [DllImport(Library, EntryPoint = "tjDestroy")]
    public static extern int Destroy(IntPtr handle);

    [DllImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static extern IntPtr GetErrorStr2(IntPtr handle);
}

/// <summary>
/// A JPEG compressor over libjpeg-turbo taking BGRX directly, compressing into a buffer it keeps (sized for
/// the largest image so far) rather than one allocated and freed per image. Not thread-safe: one per worker.
/// </summary>
public sealed class JpegEncoder : IDisposable
{
    private IntPtr _handle;
    private IntPtr _buffer;
    private nuint _bufferSize;

    private JpegEncoder(IntPtr handle) => _handle = handle;

    /// <summary>Null (with the reason) when libturbojpeg is not there.</summary>
    public static JpegEncoder? TryCreate(out string? error)
    {
        error = TurboJpeg.LoadError;
        if (error is not null) return null;
        var handle = TurboJpeg.InitCompress();
        if (handle == IntPtr.Zero) { error = "tjInitCompress failed"; return null; }
        return new JpegEncoder(handle);
    }

    /// <summary>Encodes the BGRX image starting at <paramref name="bgrx"/>[0] at quality 1..100, 4:2:0.</summary>
    public byte[] Encode(ReadOnlySpan<byte> bgrx, int stride, int width, int height, int quality)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (stride < width * 4 || bgrx.Length < (long)(height - 1) * stride + width * 4L)
            throw new ArgumentException($"{bgrx.Length} bytes at stride {stride} do not hold {width}x{height} BGRX pixels", nameof(bgrx));
        nuint worst = TurboJpeg.BufSize(width, height, TurboJpeg.Subsampling420);
        if (worst == unchecked((nuint)(-1)) || worst > int.MaxValue) throw new InvalidOperationException($"tjBufSize: {width}x{height} is too large");
        if (worst > _bufferSize)
        {
            if (_buffer != IntPtr.Zero) TurboJpeg.Free(_buffer);
            _bufferSize = 0;
            _buffer = TurboJpeg.Alloc((int)worst);
            if (_buffer == IntPtr.Zero) throw new InvalidOperationException($"tjAlloc of {worst} bytes failed");
            _bufferSize = worst;
        }
        IntPtr jpeg = _buffer;
        nuint size = _bufferSize;
        int rc = TurboJpeg.Compress2(_handle, ref MemoryMarshal.GetReference(bgrx), width, stride, height, TurboJpeg.PixelFormatBgrx,
            ref jpeg, ref size, TurboJpeg.Subsampling420, Math.Clamp(quality, 1, 100), TurboJpeg.FlagFastDct | TurboJpeg.FlagNoRealloc);
        if (rc != 0)
            throw new InvalidOperationException($"tjCompress2: {Marshal.PtrToStringUTF8(TurboJpeg.GetErrorStr2(_handle))}");
        var result = new byte[checked((int)size)];
        Marshal.Copy(jpeg, result, 0, result.Length);
        return result;
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero) TurboJpeg.Destroy(h);
        var b = Interlocked.Exchange(ref _buffer, IntPtr.Zero);
        if (b != IntPtr.Zero) TurboJpeg.Free(b);
        _bufferSize = 0;
    }
}
