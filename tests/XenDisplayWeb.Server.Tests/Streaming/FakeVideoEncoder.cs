using System.Buffers.Binary;
using XenDisplayWeb.Server.Streaming.Video;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>
/// A video encoder that writes what it was given instead of H.264: a key flag, its sequence number and the
/// picture's first pixel, so a test sees which picture each chunk carries and how many encodes were done.
/// </summary>
internal sealed class FakeVideoEncoder(int width, int height, FakeVideoEncoderFactory factory) : IVideoEncoder
{
    private int _sequence;

    public int Width => width;
    public int Height => height;
    public string Codec => "avc1.42E01F";
    public bool Disposed { get; private set; }

    public EncodedVideoFrame Encode(ReadOnlySpan<byte> bgrx, int stride, bool forceKey)
    {
        Assert.False(Disposed);
        Assert.Equal(width * 4, stride);
        Assert.Equal(width * height * 4, bgrx.Length);
        if (factory.FailNext) throw new InvalidOperationException("the encoder broke");
        bool key = forceKey || _sequence == 0;
        var data = new byte[9];
        data[0] = key ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(1), _sequence++);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(5), BinaryPrimitives.ReadUInt32LittleEndian(bgrx));
        lock (factory) factory.Encodes++;
        return new EncodedVideoFrame(data, key, 0);
    }

    public void Dispose() => Disposed = true;

    public static uint FirstPixel(byte[] chunk) => BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(5));
}

internal sealed class FakeVideoEncoderFactory(bool available = true) : IVideoEncoderFactory
{
    public List<FakeVideoEncoder> Created { get; } = [];
    public int Encodes;
    public bool FailNext;

    public bool Available => available;
    public string? UnavailableReason => available ? null : "no library in this test";
    public string Family => "avc1";

    public IVideoEncoder Create(int width, int height, int framesPerSecond, int bitrateKbps)
    {
        Assert.True(available);
        Assert.True(bitrateKbps > 0 && framesPerSecond > 0);
        var e = new FakeVideoEncoder(width, height, this);
        Created.Add(e);
        return e;
    }
}
