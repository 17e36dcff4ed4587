using System.Runtime.InteropServices;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// An open <c>x264_t</c>: closed once, when disposed or finalized, and never while a call that was given it
/// is still running (the marshaller holds a reference for the call's length).
/// </summary>
internal sealed class X264EncoderHandle : SafeHandle
{
    private readonly X264Native.EncoderCloseFn? _close;

    public X264EncoderHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public X264EncoderHandle(IntPtr encoder, X264Native.EncoderCloseFn close) : base(IntPtr.Zero, ownsHandle: true)
    {
        _close = close;
        SetHandle(encoder);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        _close?.Invoke(handle);
        return true;
    }
}
