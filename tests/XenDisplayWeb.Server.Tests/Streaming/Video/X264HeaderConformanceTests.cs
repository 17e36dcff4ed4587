using System.Diagnostics;
using System.Globalization;
using XenDisplayWeb.Server.Streaming.Video;

namespace XenDisplayWeb.Server.Tests.Streaming.Video;

/// <summary>
/// The x264_param_t, x264_picture_t and x264_nal_t offsets X264Native uses against x264.h (libx264-dev), as a
/// small C program compiled with cc prints them.
/// </summary>
public sealed class X264HeaderConformanceTests
{
    private const string InstallHint = "install the C compiler and x264's header: apt-get install -y gcc libx264-dev";
    private const string Header = "/usr/include/x264.h";

    private const string Program = """
        #include <stddef.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <x264.h>
        #define FIELD(t, f) printf("%s.%s=%zu\n", #t, #f, offsetof(t, f))
        int main(void)
        {
            printf("X264_BUILD=%d\n", X264_BUILD);
            printf("x264_param_t.sizeof=%zu\n", sizeof(x264_param_t));
            FIELD(x264_param_t, i_width);
            FIELD(x264_param_t, i_height);
            printf("x264_picture_t.sizeof=%zu\n", sizeof(x264_picture_t));
            FIELD(x264_picture_t, i_type);
            FIELD(x264_picture_t, b_keyframe);
            FIELD(x264_picture_t, i_pts);
            FIELD(x264_picture_t, img.i_csp);
            FIELD(x264_picture_t, img.i_plane);
            FIELD(x264_picture_t, img.i_stride);
            FIELD(x264_picture_t, img.plane);
            printf("x264_nal_t.sizeof=%zu\n", sizeof(x264_nal_t));
            FIELD(x264_nal_t, i_type);
            FIELD(x264_nal_t, i_payload);
            FIELD(x264_nal_t, p_payload);
            printf("X264_CSP_I420=%d\n", X264_CSP_I420);
            printf("X264_TYPE_AUTO=%d\n", X264_TYPE_AUTO);
            printf("X264_TYPE_IDR=%d\n", X264_TYPE_IDR);
            printf("NAL_SPS=%d\n", NAL_SPS);
            printf("sizeof.int=%zu\n", sizeof(int));
            printf("sizeof.ptr=%zu\n", sizeof(void *));
            return 0;
        }
        """;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Printed = new(CompileAndRun);

    public static TheoryData<string, string> Expected()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, value) in Table()) data.Add(name, value.ToString(CultureInfo.InvariantCulture));
        return data;
    }

    private static (string, int)[] Table() =>
    [
        ("X264_BUILD", X264Native.Build),
        ("x264_param_t.i_width", X264Native.ParamWidthOffset),
        ("x264_param_t.i_height", X264Native.ParamHeightOffset),
        ("x264_picture_t.i_type", X264Native.PictureTypeOffset),
        ("x264_picture_t.b_keyframe", X264Native.PictureKeyframeOffset),
        ("x264_picture_t.i_pts", X264Native.PicturePtsOffset),
        ("x264_picture_t.img.i_csp", X264Native.ImageCspOffset),
        ("x264_picture_t.img.i_plane", X264Native.ImagePlaneCountOffset),
        ("x264_picture_t.img.i_stride", X264Native.ImageStrideOffset),
        ("x264_picture_t.img.plane", X264Native.ImagePlaneOffset),
        ("x264_nal_t.sizeof", X264Native.NalSize),
        ("x264_nal_t.i_type", X264Native.NalTypeOffset),
        ("x264_nal_t.i_payload", X264Native.NalPayloadSizeOffset),
        ("x264_nal_t.p_payload", X264Native.NalPayloadOffset),
        ("X264_CSP_I420", X264Native.CspI420),
        ("X264_TYPE_AUTO", X264Native.TypeAuto),
        ("X264_TYPE_IDR", X264Native.TypeIdr),
        ("NAL_SPS", X264Native.NalTypeSps),
        ("sizeof.int", sizeof(int)),
        ("sizeof.ptr", IntPtr.Size),
    ];

    [Theory]
    [MemberData(nameof(Expected))]
    public void HeaderAgreesWithCSharp(string name, string csharp)
    {
        Assert.True(Printed.Value.TryGetValue(name, out var header), $"the C program does not print {name}");
        Assert.True(header == csharp, $"{name}: x264.h says {header}, X264Native says {csharp}");
    }

    [Theory]
    [InlineData("x264_param_t.sizeof", X264Native.ParamBufferSize)]
    [InlineData("x264_picture_t.sizeof", X264Native.PictureBufferSize)]
    public void TheBuffersHoldTheStructs(string name, int buffer)
    {
        Assert.True(Printed.Value.TryGetValue(name, out var header), $"the C program does not print {name}");
        Assert.True(int.Parse(header, CultureInfo.InvariantCulture) <= buffer, $"{name} is {header} bytes; X264Native gives it {buffer}");
    }

    [Fact]
    public void EveryValueTheProgramPrintsIsCompared()
    {
        var compared = Table().Select(e => e.Item1).Concat(["x264_param_t.sizeof", "x264_picture_t.sizeof"]).ToHashSet(StringComparer.Ordinal);
        var missing = Printed.Value.Keys.Where(k => !compared.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no C# expectation for: " + string.Join(", ", missing));
    }

    private static IReadOnlyDictionary<string, string> CompileAndRun()
    {
        Assert.True(File.Exists(Header), $"{InstallHint} ({Header} is missing)");
        string dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "x264-conformance")).FullName;
        string source = Path.Combine(dir, "x264_layout.c"), exe = Path.Combine(dir, "x264_layout");
        File.WriteAllText(source, Program);
        var build = Run("cc", ["-O1", "-Wall", "-Werror", "-o", exe, source]);
        Assert.True(build.ExitCode == 0, $"cc -O1 -Wall -Werror {source} failed ({build.ExitCode}): {build.Output}");
        var run = Run(exe, []);
        Assert.True(run.ExitCode == 0, $"{exe} exited with {run.ExitCode}: {run.Output}");
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
    }

    private static (int ExitCode, string Output) Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process p;
        try { p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"{InstallHint} ({file}: {e.Message})", e); }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60))) { p.Kill(); return (-1, "timed out"); }
            return (p.ExitCode, stdout + stderr.Result);
        }
    }
}
