using System.Diagnostics;

namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>
/// displif_conformance.c compiled once against the real Xen headers (/usr/include/xen/io/displif.h)
/// into a temporary directory. Without a C compiler or the headers every test that needs it fails.
/// </summary>
public sealed class DisplifC : IDisposable
{
    public const string InstallHint = "install the C compiler and Xen headers: apt-get install -y gcc libxen-dev";
    public const string Header = "/usr/include/xen/io/displif.h";
    private const string SourceName = "displif_conformance.c";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string? _exe;
    private readonly string? _error;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _layout;
    private readonly Lazy<CWrittenFiles> _cWritten;

    public DisplifC()
    {
        Root = Directory.CreateTempSubdirectory("displif-conformance-").FullName;
        _layout = new(LoadLayout);
        _cWritten = new(LoadCWritten);

        string? cc = FindOnPath("cc");
        if (cc is null || !File.Exists(Header))
        {
            _error = $"{InstallHint}\n(cc: {cc ?? "not on PATH"}; {Header}: {(File.Exists(Header) ? "present" : "missing")})";
            return;
        }
        string source = Path.Combine(AppContext.BaseDirectory, "Conformance", SourceName);
        if (!File.Exists(source)) source = Path.Combine(AppContext.BaseDirectory, SourceName);
        string exe = Path.Combine(Root, "displif_conformance");
        var build = Execute(cc, ["-O1", "-Wall", "-Werror", "-o", exe, source]);
        if (build.ExitCode != 0)
        {
            _error = $"cc -O1 -Wall -Werror {source} failed ({build.ExitCode}):\n{build.Stdout}{build.Stderr}";
            return;
        }
        _exe = exe;
    }

    /// <summary>The temporary directory holding the program and the files of every run.</summary>
    public string Root { get; }

    /// <summary>The name=value lines of <c>layout</c>.</summary>
    public IReadOnlyDictionary<string, string> Layout => _layout.Value;

    /// <summary>The files of one <c>write</c> run.</summary>
    public CWrittenFiles CWritten => _cWritten.Value;

    public ProcessResult Run(params string[] args)
    {
        if (_error is not null) Assert.Fail(_error);
        return Execute(_exe!, args);
    }

    /// <summary>A fresh directory under <see cref="Root"/>.</summary>
    public string NewDirectory(string prefix) => Directory.CreateDirectory(Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private IReadOnlyDictionary<string, string> LoadLayout()
    {
        var r = Run("layout");
        Assert.True(r.ExitCode == 0, $"layout failed:\n{r}");
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = line.IndexOf('=');
            Assert.True(eq > 0, $"not a name=value line: '{line}'");
            Assert.True(d.TryAdd(line[..eq], line[(eq + 1)..]), $"printed twice: {line[..eq]}");
        }
        return d;
    }

    private CWrittenFiles LoadCWritten()
    {
        string dir = NewDirectory("c-wrote");
        var r = Run("write", dir);
        Assert.True(r.ExitCode == 0, $"write failed:\n{r}");
        return new CWrittenFiles(dir);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(d, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static ProcessResult Execute(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill();
            Assert.Fail($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in {Timeout.TotalSeconds} s");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

/// <summary>ring.bin, events.bin, pgdir.bin and manifest.txt as the C program wrote them.</summary>
public sealed class CWrittenFiles(string dir)
{
    public string Directory { get; } = dir;
    public byte[] Ring { get; } = File.ReadAllBytes(Path.Combine(dir, "ring.bin"));
    public byte[] Events { get; } = File.ReadAllBytes(Path.Combine(dir, "events.bin"));
    public byte[] PageDirectory { get; } = File.ReadAllBytes(Path.Combine(dir, "pgdir.bin"));
    public IReadOnlyList<ManifestRecord> Manifest { get; } = ManifestRecord.Load(Path.Combine(dir, "manifest.txt"));
}

[CollectionDefinition(Name)]
public sealed class DisplifCCollection : ICollectionFixture<DisplifC>
{
    public const string Name = "displif C conformance";
}
