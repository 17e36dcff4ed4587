using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Server.Streaming.Video;
using Xunit.Abstractions;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

public sealed class X264DecodeQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void FfmpegDecodesEveryFrameAtTheSizeWithPsnrOfAtLeast35dB()
    {
        const int frames = 60;
        var factory = new X264EncoderFactory(NullLogger<X264EncoderFactory>.Instance);
        Assert.True(factory.Available, factory.UnavailableReason);
        var video = new SyntheticVideo(1280, 720);
        string dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "video-tests")).FullName;
        string file = Path.Combine(dir, "synthetic-1280x720-8mbit.h264");

        using (var encoder = factory.Create(video.Width, video.Height, 60, 8000))
        using (var stream = File.Create(file))
            for (int n = 0; n < frames; n++) stream.Write(encoder.Encode(video.Frame(n), video.Stride, forceKey: false).Data);

        double squaredError = 0;
        long samples = 0;
        var perFrame = new List<string>();
        int decoded = Ffmpeg.Decode(file, video.Width, video.Height, (n, picture) =>
        {
            var source = video.Frame(n);
            double frameError = 0;
            for (int i = 0; i < source.Length; i++)
            {
                if ((i & 3) == 3) continue; // X
                int d = source[i] - picture[i];
                frameError += d * d;
            }
            squaredError += frameError;
            samples += source.Length / 4 * 3;
            perFrame.Add($"{Psnr(frameError / (source.Length / 4 * 3)):F1}");
        });

        Assert.Equal(frames, decoded);
        double psnr = Psnr(squaredError / samples);
        output.WriteLine($"{file}: {new FileInfo(file).Length} bytes, PSNR {psnr:F2} dB over {decoded} frames; each frame's: {string.Join(" ", perFrame)}");
        Assert.True(psnr >= 35, $"PSNR {psnr:F2} dB");
    }

    private static double Psnr(double meanSquaredError) => 10 * Math.Log10(255.0 * 255.0 / meanSquaredError);
}
