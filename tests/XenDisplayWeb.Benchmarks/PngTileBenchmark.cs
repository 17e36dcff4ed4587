using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SixLabors.ImageSharp.Formats.Png;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Workloads;
using HandWrittenPng = XenDisplayWeb.Server.Streaming.PngEncoder;
using PngEncoder = SixLabors.ImageSharp.Formats.Png.PngEncoder;
using IoCompressionLevel = System.IO.Compression.CompressionLevel;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// The live tiles' PNG encoders on one real 1080p desktop frame cut into the stream's tiles, each operation
/// encoding every tile as the stream's encode jobs do (from the picture, at its stride): the hand-written encoder
/// (Sub filter, .NET's zlib) against ImageSharp's at the same zlib level, with the same Sub filter and with its
/// adaptive one.
/// </summary>
public class PngTileBenchmark
{
    private const int Width = 1920, Height = 1080, Stride = Width * 4;
    private static readonly int TileSize = new StreamingOptions().TileSize;

    private byte[] _frame = [];
    private PixelRect[] _tiles = [];
    private PngEncoder _imageSharpSub = null!, _imageSharpAdaptive = null!;

    /// <summary>The zlib level: 1 is what live tiles use (.NET's Fastest), 6 the PNG default (.NET's Optimal).</summary>
    [Params(1, 6)]
    public int Level { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_frame, _tiles) = DesktopTiles();
        _imageSharpSub = PngWriter.Encoder((PngCompressionLevel)Level, PngFilterMethod.Sub);
        _imageSharpAdaptive = PngWriter.Encoder((PngCompressionLevel)Level, PngFilterMethod.Adaptive);
    }

    [Benchmark(Baseline = true)]
    public long HandWritten() => EncodeAll(_frame, _tiles, (src, r) => HandWrittenPng.Encode(src, Stride, r.W, r.H, DotNetLevel(Level)));

    [Benchmark]
    public long ImageSharpSub() => EncodeAll(_frame, _tiles, (src, r) => PngWriter.Encode(src, Stride, r.W, r.H, _imageSharpSub));

    [Benchmark]
    public long ImageSharpAdaptive() => EncodeAll(_frame, _tiles, (src, r) => PngWriter.Encode(src, Stride, r.W, r.H, _imageSharpAdaptive));

    /// <summary>Not a tile: the whole frame in one PNG, as <c>snapshot.png</c> writes it (what its level costs).</summary>
    [Benchmark]
    public long SnapshotImageSharpAdaptive() => PngWriter.Encode(_frame, Stride, Width, Height, _imageSharpAdaptive).Length;

    /// <summary>Runs the benchmark in this process (a short job: the machine is shared), after printing each encoder's bytes.</summary>
    public static void Run()
    {
        var (frame, tiles) = DesktopTiles();
        Console.WriteLine($"# png tiles: desktop frame {Width}x{Height} cut into {tiles.Length} tiles of {TileSize}x{TileSize}");
        foreach (int level in new[] { 1, 6 })
        {
            long hand = EncodeAll(frame, tiles, (src, r) => HandWrittenPng.Encode(src, Stride, r.W, r.H, DotNetLevel(level)));
            var sub = PngWriter.Encoder((PngCompressionLevel)level, PngFilterMethod.Sub);
            var adaptive = PngWriter.Encoder((PngCompressionLevel)level, PngFilterMethod.Adaptive);
            long imageSharpSub = EncodeAll(frame, tiles, (src, r) => PngWriter.Encode(src, Stride, r.W, r.H, sub));
            long imageSharpAdaptive = EncodeAll(frame, tiles, (src, r) => PngWriter.Encode(src, Stride, r.W, r.H, adaptive));
            long snapshot = PngWriter.Encode(frame, Stride, Width, Height, adaptive).Length;
            Console.WriteLine($"png tiles level={level} bytes_per_frame hand_written={hand} imagesharp_sub={imageSharpSub} imagesharp_adaptive={imageSharpAdaptive} snapshot_imagesharp_adaptive={snapshot}");
        }
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        BenchmarkRunner.Run<PngTileBenchmark>(config);
    }

    private delegate byte[] TileEncoder(ReadOnlySpan<byte> src, PixelRect r);

    /// <summary>Encodes every tile; returns the bytes written (so nothing is optimised away, and sizes can be compared).</summary>
    private static long EncodeAll(byte[] frame, PixelRect[] tiles, TileEncoder encode)
    {
        long bytes = 0;
        foreach (var r in tiles)
            bytes += encode(new ReadOnlySpan<byte>(frame, r.Y * Stride + r.X * 4, (r.H - 1) * Stride + r.W * 4), r).Length;
        return bytes;
    }

    private static IoCompressionLevel DotNetLevel(int level) => level switch
    {
        1 => IoCompressionLevel.Fastest,
        6 => IoCompressionLevel.Optimal,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "1 or 6"),
    };

    /// <summary>The desktop workload's frame 120 (two seconds in at 60 Hz) and the tile grid the stream lays over it.</summary>
    private static (byte[] Frame, PixelRect[] Tiles) DesktopTiles()
    {
        var frame = new byte[Stride * Height];
        WorkloadRenderers.Create(WorkloadRenderers.Desktop, Width, Height).Render(new FrameTarget(frame, Width, Height, Stride), 120, 2000);
        var grid = new TileGrid(Width, Height, TileSize);
        var tiles = new List<PixelRect>();
        for (int row = 0; row < grid.Rows; row++)
            for (int column = 0; column < grid.Columns; column++)
                tiles.Add(grid.Pixels(column, row, 1, 1));
        return (frame, tiles.ToArray());
    }
}
