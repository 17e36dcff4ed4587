using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// H.264 over libx264: constrained baseline, no B-frames, no lookahead (tune zerolatency), constant quality
/// (CRF) capped at the bitrate by a VBV of a few frames (see <see cref="X264Tuning"/>), SPS and PPS before
/// every key frame, Annex B. The first picture and every forced one are IDRs; there are no periodic key frames.
/// Not thread-safe: one caller at a time.
/// <see cref="EncodedVideoFrame.Ticks"/> is the <see cref="Stopwatch"/> time the picture took (conversion and encoding).
/// </summary>
public sealed class X264Encoder : IVideoEncoder
{
    private readonly X264Native _x264;
    private readonly X264EncoderHandle _encoder;
    // x264_picture_t in and out, pinned so x264 can be given their addresses.
    private readonly byte[] _pictureIn = GC.AllocateArray<byte>(X264Native.PictureBufferSize, pinned: true);
    private readonly byte[] _pictureOut = GC.AllocateArray<byte>(X264Native.PictureBufferSize, pinned: true);
    private readonly IntPtr _pictureInAddress, _pictureOutAddress;
    private readonly byte[] _y, _u, _v;
    private long _pts;

    public int Width { get; }
    public int Height { get; }
    public string Codec { get; }

    internal X264Encoder(X264Native x264, int width, int height, int framesPerSecond, int bitrateKbps, X264Tuning tuning)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0)
            throw new ArgumentException($"{width}x{height}: H.264 4:2:0 needs a positive, even width and height", nameof(width));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bitrateKbps);
        _x264 = x264;
        Width = width;
        Height = height;
        _y = GC.AllocateUninitializedArray<byte>(width * height, pinned: true);
        _u = GC.AllocateUninitializedArray<byte>(width / 2 * (height / 2), pinned: true);
        _v = GC.AllocateUninitializedArray<byte>(width / 2 * (height / 2), pinned: true);

        IntPtr param = Marshal.AllocHGlobal(X264Native.ParamBufferSize);
        try
        {
            Configure(param, width, height, framesPerSecond, bitrateKbps, tuning);
            IntPtr encoder = x264.EncoderOpen(param);
            if (encoder == IntPtr.Zero) throw new InvalidOperationException($"x264_encoder_open refused {width}x{height} at {framesPerSecond} fps, {bitrateKbps} kbit/s");
            _encoder = new X264EncoderHandle(encoder, x264.EncoderClose);
        }
        finally
        {
            Marshal.FreeHGlobal(param);
        }

        try
        {
            Codec = ReadCodec();
        }
        catch
        {
            _encoder.Dispose();
            throw;
        }
        _pictureInAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_pictureIn, 0);
        _pictureOutAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_pictureOut, 0);
        x264.PictureInit(_pictureInAddress);
        x264.PictureInit(_pictureOutAddress);
        Marshal.WriteInt32(_pictureInAddress, X264Native.ImageCspOffset, X264Native.CspI420);
        Marshal.WriteInt32(_pictureInAddress, X264Native.ImagePlaneCountOffset, 3);
        byte[][] planes = [_y, _u, _v];
        for (int i = 0; i < planes.Length; i++)
        {
            Marshal.WriteInt32(_pictureInAddress, X264Native.ImageStrideOffset + i * sizeof(int), i == 0 ? width : width / 2);
            Marshal.WriteIntPtr(_pictureInAddress, X264Native.ImagePlaneOffset + i * IntPtr.Size, Marshal.UnsafeAddrOfPinnedArrayElement(planes[i], 0));
        }
    }

    private void Configure(IntPtr param, int width, int height, int fps, int kbps, X264Tuning tuning)
    {
        if (_x264.ParamDefaultPreset(param, tuning.Preset, "zerolatency") != 0)
            throw new ArgumentException($"x264 has no preset \"{tuning.Preset}\"", nameof(tuning));
        // x264_param_parse has no name for the picture size.
        Marshal.WriteInt32(param, X264Native.ParamWidthOffset, width);
        Marshal.WriteInt32(param, X264Native.ParamHeightOffset, height);
        double vbvKbit = Math.Max(1, kbps * tuning.VbvFrames / fps);
        (string Name, string Value)[] settings =
        [
            ("fps", Invariant(fps)),
            ("threads", Invariant(tuning.Threads)),
            ("sliced-threads", "1"),
            ("bframes", "0"),
            ("rc-lookahead", "0"),
            // Key frames only on request: none by interval or on scene changes.
            ("keyint", "infinite"),
            ("scenecut", "0"),
            ("crf", tuning.Crf.ToString(CultureInfo.InvariantCulture)),
            ("vbv-maxrate", Invariant(kbps)),
            ("vbv-bufsize", Invariant((int)Math.Ceiling(vbvKbit))),
            ("repeat-headers", "1"),
            ("annexb", "1"),
            // BT.601 limited range, what I420Converter writes.
            ("fullrange", "off"),
            ("colorprim", "smpte170m"),
            ("transfer", "smpte170m"),
            ("colormatrix", "smpte170m"),
            ("log", "0"), // X264_LOG_ERROR
        ];
        foreach (var (name, value) in settings)
        {
            int rc = _x264.ParamParse(param, name, value);
            if (rc != 0) throw new InvalidOperationException($"x264_param_parse {name}={value} failed ({rc})");
        }
        if (_x264.ParamApplyProfile(param, "baseline") != 0)
            throw new InvalidOperationException("x264_param_apply_profile baseline failed");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private string ReadCodec()
    {
        if (_x264.EncoderHeaders(_encoder, out IntPtr nals, out int count) < 0) throw new InvalidOperationException("x264_encoder_headers failed");
        for (int i = 0; i < count; i++)
        {
            IntPtr nal = nals + i * X264Native.NalSize;
            if (Marshal.ReadInt32(nal, X264Native.NalTypeOffset) != X264Native.NalTypeSps) continue;
            var bytes = new byte[Marshal.ReadInt32(nal, X264Native.NalPayloadSizeOffset)];
            Marshal.Copy(Marshal.ReadIntPtr(nal, X264Native.NalPayloadOffset), bytes, 0, bytes.Length);
            return AvcCodecString.FromAnnexBSps(bytes);
        }
        throw new InvalidOperationException("x264_encoder_headers wrote no SPS");
    }

    public EncodedVideoFrame Encode(ReadOnlySpan<byte> bgrx, int stride, bool forceKey)
    {
        ObjectDisposedException.ThrowIf(_encoder.IsClosed, this);
        long start = Stopwatch.GetTimestamp();
        I420Converter.Convert(bgrx, stride, Width, Height, _y, _u, _v);
        Marshal.WriteInt32(_pictureInAddress, X264Native.PictureTypeOffset, forceKey ? X264Native.TypeIdr : X264Native.TypeAuto);
        Marshal.WriteInt64(_pictureInAddress, X264Native.PicturePtsOffset, _pts++);
        int size = _x264.EncoderEncode(_encoder, out IntPtr nals, out int count, _pictureInAddress, _pictureOutAddress);
        if (size < 0) throw new InvalidOperationException($"x264_encoder_encode failed ({size})");
        // zerolatency holds nothing back, so every picture comes straight out.
        if (size == 0 || count == 0) throw new InvalidOperationException("x264_encoder_encode held a picture back");
        // x264 writes one access unit's NAL units one after another in memory.
        var data = new byte[size];
        Marshal.Copy(Marshal.ReadIntPtr(nals, X264Native.NalPayloadOffset), data, 0, size);
        bool key = Marshal.ReadInt32(_pictureOutAddress, X264Native.PictureKeyframeOffset) != 0;
        return new EncodedVideoFrame(data, key, Stopwatch.GetTimestamp() - start);
    }

    public void Dispose() => _encoder.Dispose();
}
