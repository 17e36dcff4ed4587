using System.Diagnostics;

namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>
/// A conformance program (a C file next to these tests) compiled once against the real headers into a
/// directory under the test output folder. It answers <c>layout</c> (name=value lines), <c>write DIR</c> and <c>read DIR</c>.
/// Without a C compiler or the headers every test that needs it fails.
/// </summary>
public abstract class ConformanceProgram : IDisposable
{
    public const string InstallHint = "install the C compiler and Xen headers: apt-get install -y gcc libxen-dev";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string? _exe;
    private readonly string? _error;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _layout;

    /// <param name="name">The program: <c>name.c</c> is compiled to <c>name</c>.</param>
    /// <param name="headers">Headers it includes that must be installed.</param>
    protected ConformanceProgram(string name, params string[] headers)
    {
        // Under the test output folder, as every test's files are; removed again by Dispose.
        Root = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "conformance-runs", $"{name.Replace('_', '-')}-{Guid.NewGuid():N}")).FullName;
        _layout = new(LoadLayout);

        string? cc = FindOnPath("cc");
        string? missing = headers.FirstOrDefault(h => !File.Exists(h));
        if (cc is null || missing is not null)
        {
            _error = $"{InstallHint}\n(cc: {cc ?? "not on PATH"}; {missing ?? "headers"}: {(missing is null ? "present" : "missing")})";
            return;
        }
        string sourceName = name + ".c";
        string source = Path.Combine(AppContext.BaseDirectory, "Conformance", sourceName);
        if (!File.Exists(source)) source = Path.Combine(AppContext.BaseDirectory, sourceName);
        string exe = Path.Combine(Root, name);
        var build = Execute(cc, ["-O1", "-Wall", "-Werror", "-o", exe, source]);
        if (build.ExitCode != 0)
        {
            _error = $"cc -O1 -Wall -Werror {source} failed ({build.ExitCode}):\n{build.Stdout}{build.Stderr}";
            return;
        }
        _exe = exe;
    }

    /// <summary>The directory holding the program and the files of every run.</summary>
    public string Root { get; }

    /// <summary>The name=value lines of <c>layout</c>.</summary>
    public IReadOnlyDictionary<string, string> Layout => _layout.Value;

    public ProcessResult Run(params string[] args)
    {
        if (_error is not null) Assert.Fail(_error);
        return Execute(_exe!, args);
    }

    /// <summary>A fresh directory under <see cref="Root"/>.</summary>
    public string NewDirectory(string prefix) => Directory.CreateDirectory(Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}")).FullName;

    /// <summary>Runs <c>write</c> into a fresh directory and returns it.</summary>
    protected string WriteFiles()
    {
        string dir = NewDirectory("c-wrote");
        var r = Run("write", dir);
        Assert.True(r.ExitCode == 0, $"write failed:\n{r}");
        return dir;
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
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
