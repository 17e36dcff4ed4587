using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Server.Streaming.Video;
using Xunit.Abstractions;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

public sealed class X264EncoderTests(ITestOutputHelper output)
{
    private static readonly X264EncoderFactory Factory = new(NullLogger<X264EncoderFactory>.Instance);

    private static IVideoEncoder Create(int width, int height, int fps = 60, int kbps = 4000)
    {
        Assert.True(Factory.Available, Factory.UnavailableReason);
        return Factory.Create(width, height, fps, kbps);
    }

    [Fact]
    public void FirstFrameIsAKeyFrameWithSpsAndPpsAndLaterFramesAreNot()
    {
        var video = new SyntheticVideo(320, 240);
        using var encoder = Create(video.Width, video.Height);

        var first = encoder.Encode(video.Frame(0), video.Stride, forceKey: false);
        Assert.True(first.Key);
        var types = AnnexB.Types(first.Data).Where(t => t != AnnexB.Sei).ToList();
        Assert.Equal([AnnexB.Sps, AnnexB.Pps, AnnexB.IdrSlice], types.Take(3));
        Assert.All(types.Skip(2), t => Assert.Equal(AnnexB.IdrSlice, t));

        for (int n = 1; n < 10; n++)
        {
            var later = encoder.Encode(video.Frame(n), video.Stride, forceKey: false);
            Assert.False(later.Key, $"frame {n} is a key frame");
            var laterTypes = AnnexB.Types(later.Data);
            Assert.DoesNotContain(AnnexB.Sps, laterTypes);
            Assert.DoesNotContain(AnnexB.IdrSlice, laterTypes);
            Assert.Contains(AnnexB.NonIdrSlice, laterTypes);
        }
    }

    [Fact]
    public void ForceKeyMakesAnIdrWithSpsAndPpsBeforeIt()
    {
        var video = new SyntheticVideo(320, 240);
        using var encoder = Create(video.Width, video.Height);
        for (int n = 0; n < 5; n++) encoder.Encode(video.Frame(n), video.Stride, forceKey: false);

        var forced = encoder.Encode(video.Frame(5), video.Stride, forceKey: true);

        Assert.True(forced.Key);
        var types = AnnexB.Types(forced.Data).Where(t => t != AnnexB.Sei).ToList();
        Assert.Equal([AnnexB.Sps, AnnexB.Pps, AnnexB.IdrSlice], types.Take(3));
        Assert.False(encoder.Encode(video.Frame(6), video.Stride, forceKey: false).Key);
    }

    [Fact]
    public void CodecStringIsConstrainedBaselineAndMatchesTheSps()
    {
        var video = new SyntheticVideo(1280, 720);
        using var encoder = Create(video.Width, video.Height);

        Assert.StartsWith("avc1.42", encoder.Codec);
        var sps = AnnexB.Units(encoder.Encode(video.Frame(0), video.Stride, forceKey: false).Data).First(u => AnnexB.Type(u) == AnnexB.Sps);
        Assert.Equal($"avc1.{sps[1]:X2}{sps[2]:X2}{sps[3]:X2}", encoder.Codec);
        Assert.True((sps[2] & 0x40) != 0, $"constraint_set1_flag (constrained baseline) is not set in {encoder.Codec}");
    }

    [Theory]
    [InlineData(321, 240)]
    [InlineData(320, 241)]
    public void OddSizesAreRefused(int width, int height)
    {
        Assert.True(Factory.Available, Factory.UnavailableReason);
        Assert.Throws<ArgumentException>(() => Factory.Create(width, height, 60, 4000));
    }

    [Fact]
    public void APictureTooShortForItsStrideIsRefused()
    {
        using var encoder = Create(64, 64);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[64 * 4 * 63], 64 * 4, forceKey: false));
    }

    [Fact]
    public void ADisposedEncoderRefusesPictures()
    {
        var video = new SyntheticVideo(64, 64);
        var encoder = Create(video.Width, video.Height);
        Assert.True(encoder.Encode(video.Frame(0), video.Stride, forceKey: false).Data.Length > 0);

        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(video.Frame(1), video.Stride, forceKey: false));
    }

    [Fact]
    public void RateControlHoldsTheBitrateUnderFullScreenMotion()
    {
        const int fps = 60, kbps = 2000, frames = 120;
        var video = new SyntheticVideo(1280, 720);
        using var encoder = Create(video.Width, video.Height, fps, kbps);

        long total = 0;
        for (int n = 0; n < frames; n++) total += encoder.Encode(video.Frame(n), video.Stride, forceKey: false).Data.Length;

        double target = kbps * 1000.0 / 8 * frames / fps;
        output.WriteLine($"{frames} frames at {kbps} kbit/s, {fps} fps: {total} bytes, {total / target:P1} of {target:F0} (first key frame included)");
        Assert.InRange(total, (long)(target * 0.75), (long)(target * 1.25));
    }
}
