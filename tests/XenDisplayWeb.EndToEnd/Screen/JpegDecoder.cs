using System.Runtime.InteropServices;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>Decodes the screencast's JPEG frames to RGBA with libjpeg-turbo (Debian libturbojpeg0).</summary>
public sealed partial class JpegDecoder : IDisposable
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgba = 7; // TJPF_RGBA
    private nint _handle = tjInitDecompress();

    public (byte[] Rgba, int Width, int Height) Decode(byte[] jpeg)
    {
        if (tjDecompressHeader3(_handle, jpeg, (nuint)jpeg.Length, out int width, out int height, out _, out _) != 0)
            throw new InvalidDataException("not a JPEG the library can read: " + Marshal.PtrToStringUTF8(tjGetErrorStr2(_handle)));
        var rgba = new byte[width * height * 4];
        if (tjDecompress2(_handle, jpeg, (nuint)jpeg.Length, rgba, width, width * 4, height, PixelFormatRgba, 0) != 0)
            throw new InvalidDataException("JPEG decode failed: " + Marshal.PtrToStringUTF8(tjGetErrorStr2(_handle)));
        return (rgba, width, height);
    }

    public void Dispose()
    {
        if (_handle != 0) tjDestroy(_handle);
        _handle = 0;
    }

    [LibraryImport(Library)] private static partial nint tjInitDecompress();
    [LibraryImport(Library)] private static partial int tjDestroy(nint handle);
    [LibraryImport(Library)] private static partial nint tjGetErrorStr2(nint handle);
    [LibraryImport(Library)]
    private static partial int tjDecompressHeader3(nint handle, byte[] jpeg, nuint size, out int width, out int height, out int subsamp, out int colorspace);
    [LibraryImport(Library)]
    private static partial int tjDecompress2(nint handle, byte[] jpeg, nuint size, byte[] dst, int width, int pitch, int height, int pixelFormat, int flags);
}
