using System.Diagnostics;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

/// <summary>Decodes an H.264 Annex B file with the ffmpeg command, frame by frame as BGRX.</summary>
internal static class Ffmpeg
{
    public const string InstallHint = "install ffmpeg: apt-get install -y ffmpeg";

    /// <summary>Calls <paramref name="frame"/> with each decoded picture's bytes (width * height * 4); returns how many there were.</summary>
    public static int Decode(string file, int width, int height, Action<int, byte[]> frame)
    {
        var psi = new ProcessStartInfo("ffmpeg", ["-v", "error", "-nostdin", "-f", "h264", "-i", file, "-f", "rawvideo", "-pix_fmt", "bgr0", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process p;
        try { p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"{InstallHint} ({e.Message})", e); }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.BaseStream;
            var buffer = new byte[width * height * 4];
            int count = 0;
            while (true)
            {
                int got = output.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                if (got == 0) break;
                Assert.True(got == buffer.Length, $"ffmpeg's picture {count} has {got} bytes, not {buffer.Length} ({width}x{height})");
                frame(count++, buffer);
            }
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"ffmpeg exited with {p.ExitCode}: {stderr.Result}");
            return count;
        }
    }
}
