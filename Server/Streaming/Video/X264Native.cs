using System.Runtime.InteropServices;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// libx264's API (build 164), bound by name at run time. The parameters are set through
/// <c>x264_param_parse</c>, so <c>x264_param_t</c> mostly needs only a buffer large enough.
/// The picture size (which it has no name for) and the few fields of <c>x264_picture_t</c> and <c>x264_nal_t</c> read or written are at the offsets below,
/// checked against <c>x264.h</c> by a conformance test.
/// </summary>
internal sealed class X264Native
{
    public const int Build = 164;

    /// <summary>Bytes given to an <c>x264_param_t</c> (1024 in build 164).</summary>
    public const int ParamBufferSize = 4096;

    /// <summary>Bytes given to an <c>x264_picture_t</c> (240 in build 164).</summary>
    public const int PictureBufferSize = 1024;

    public const int ParamWidthOffset = 28;      // int i_width
    public const int ParamHeightOffset = 32;     // int i_height

    public const int PictureTypeOffset = 0;      // int i_type
    public const int PictureKeyframeOffset = 12; // int b_keyframe
    public const int PicturePtsOffset = 16;      // int64_t i_pts
    public const int ImageCspOffset = 40;        // img.i_csp
    public const int ImagePlaneCountOffset = 44; // img.i_plane
    public const int ImageStrideOffset = 48;     // img.i_stride[4]
    public const int ImagePlaneOffset = 64;      // img.plane[4]

    public const int NalSize = 40;
    public const int NalTypeOffset = 4;          // int i_type
    public const int NalPayloadSizeOffset = 20;  // int i_payload
    public const int NalPayloadOffset = 24;      // uint8_t *p_payload

    public const int CspI420 = 0x0002;           // X264_CSP_I420
    public const int TypeAuto = 0x0000;          // X264_TYPE_AUTO
    public const int TypeIdr = 0x0001;           // X264_TYPE_IDR
    public const int NalTypeSps = 7;             // NAL_SPS

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int ParamDefaultPresetFn(IntPtr param, [MarshalAs(UnmanagedType.LPUTF8Str)] string preset, [MarshalAs(UnmanagedType.LPUTF8Str)] string? tune);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int ParamParseFn(IntPtr param, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int ParamApplyProfileFn(IntPtr param, [MarshalAs(UnmanagedType.LPUTF8Str)] string profile);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate IntPtr EncoderOpenFn(IntPtr param);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void PictureInitFn(IntPtr picture);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int EncoderHeadersFn(X264EncoderHandle encoder, out IntPtr nals, out int count);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int EncoderEncodeFn(X264EncoderHandle encoder, out IntPtr nals, out int count, IntPtr pictureIn, IntPtr pictureOut);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void EncoderCloseFn(IntPtr encoder);

    public required ParamDefaultPresetFn ParamDefaultPreset { get; init; }
    public required ParamParseFn ParamParse { get; init; }
    public required ParamApplyProfileFn ParamApplyProfile { get; init; }
    public required EncoderOpenFn EncoderOpen { get; init; }
    public required PictureInitFn PictureInit { get; init; }
    public required EncoderHeadersFn EncoderHeaders { get; init; }
    public required EncoderEncodeFn EncoderEncode { get; init; }
    public required EncoderCloseFn EncoderClose { get; init; }

    /// <summary>Loads <paramref name="library"/> and binds every call; null with the reason when it cannot.</summary>
    public static X264Native? TryLoad(string library, out string? error)
    {
        IntPtr handle;
        try
        {
            if (!NativeLibrary.TryLoad(library, typeof(X264Native).Assembly, null, out handle))
            {
                error = $"{library} could not be loaded";
                return null;
            }
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException)
        {
            error = $"{library}: {e.Message}";
            return null;
        }

        var missing = new List<string>();
        T Bind<T>(string name) where T : Delegate
        {
            if (NativeLibrary.TryGetExport(handle, name, out var address)) return Marshal.GetDelegateForFunctionPointer<T>(address);
            missing.Add(name);
            return null!;
        }

        var native = new X264Native
        {
            ParamDefaultPreset = Bind<ParamDefaultPresetFn>("x264_param_default_preset"),
            ParamParse = Bind<ParamParseFn>("x264_param_parse"),
            ParamApplyProfile = Bind<ParamApplyProfileFn>("x264_param_apply_profile"),
            // x264_encoder_open is a macro naming the build, so a library of another build lacks it.
            EncoderOpen = Bind<EncoderOpenFn>($"x264_encoder_open_{Build}"),
            PictureInit = Bind<PictureInitFn>("x264_picture_init"),
            EncoderHeaders = Bind<EncoderHeadersFn>("x264_encoder_headers"),
            EncoderEncode = Bind<EncoderEncodeFn>("x264_encoder_encode"),
            EncoderClose = Bind<EncoderCloseFn>("x264_encoder_close"),
        };
        if (missing.Count > 0)
        {
            NativeLibrary.Free(handle);
            error = $"{library} has no {string.Join(", ", missing)}";
            return null;
        }
        error = null;
        return native;
    }
}
