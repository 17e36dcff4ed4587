using System.Diagnostics;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>The <c>ffmpeg</c> command: found on PATH, run with its standard input fed and its standard output read at once.</summary>
public static class Ffmpeg
{
    /// <summary>The ffmpeg executable on PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "ffmpeg"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs ffmpeg to the end. <paramref name="feed"/> writes its standard input (closed after), <paramref name="read"/>
    /// reads its standard output; both run alongside, so neither pipe fills and stalls the other.
    /// </summary>
    /// <exception cref="InvalidOperationException">ffmpeg exited with an error (its message is in the exception's).</exception>
    public static async Task RunAsync(string executable, IEnumerable<string> arguments, Func<Stream, Task>? feed, Func<Stream, Task>? read)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-loglevel", "error" }.Concat(arguments)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var writing = Task.Run(async () =>
            {
                await using var input = process.StandardInput.BaseStream;
                if (feed is not null) await feed(input);
            });
            var reading = Task.Run(async () =>
            {
                var output = process.StandardOutput.BaseStream;
                if (read is not null) await read(output);
                await output.CopyToAsync(Stream.Null);
            });
            await Task.WhenAll(writing, reading);
            await process.WaitForExitAsync();
        }
        catch (Exception e)
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"ffmpeg failed: {(await errors).Trim()} ({e.Message})", e);
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {(await errors).Trim()}");
    }
}
