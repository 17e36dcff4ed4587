using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using XenDisplayWeb.EndToEnd.Hosting;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// The server as a person runs it: its own process (the built <c>XenDisplayWeb.Server.dll</c>, as
/// <c>dotnet run --project Server</c> starts it) with the demo guests, on a free port of 127.0.0.1, so its CPU
/// and memory are its own. An operator's HTTP client comes with it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string Token = "operator-token-for-benchmarks-0123456789";

    private readonly Process _process;

    private ServerProcess(Process process, Uri baseUri, string dll)
    {
        _process = process;
        BaseUri = baseUri;
        Dll = dll;
        Http = new HttpClient { BaseAddress = baseUri };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri BaseUri { get; }
    public string Dll { get; }
    public int Pid => _process.Id;
    public HttpClient Http { get; }

    public static async Task<ServerProcess> StartAsync()
    {
        string dll = Path.Combine(KestrelDashboard.RepositoryRoot(), "Server", "bin", BuildConfiguration, "net10.0", "XenDisplayWeb.Server.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the server first: dotnet build -c " + BuildConfiguration + " Server", dll);
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { probe.Start(); port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; }
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Urls"] = baseUri.ToString();
        start.Environment["Security__OperatorToken"] = Token;
        start.Environment["Security__ViewerToken"] = "viewer-token-for-benchmarks-0123456789";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, baseUri, dll);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try { if ((await server.Http.GetAsync("/healthz")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline || process.HasExited) throw new InvalidOperationException("the server did not start");
                await Task.Delay(250);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string PageUrl(string path) => new Uri(BaseUri, path + (path.Contains('?') ? "&" : "?") + "token=" + Token).ToString();

    /// <summary>A connector as <c>GET /api/domains</c> shows it.</summary>
    public async Task<JsonElement> ConnectorAsync(int domId, int index)
    {
        var domains = await Http.GetFromJsonAsync<JsonElement>("/api/domains");
        foreach (var d in domains.EnumerateArray())
            if (d.GetProperty("domId").GetInt32() == domId)
                return d.GetProperty("connectors")[index];
        throw new InvalidOperationException($"no domain {domId}");
    }

    /// <summary>
    /// Sets a connector's resolution through the API (the toolstack way: the device reconnects) and waits until
    /// the guest draws at the new size.
    /// </summary>
    public async Task SetResolutionAsync(int domId, int index, int width, int height)
    {
        var reply = await Http.PutAsJsonAsync($"/api/domains/{domId}/connectors/{index}/resolution", new { width, height });
        if (!reply.IsSuccessStatusCode) throw new InvalidOperationException($"resolution: {(int)reply.StatusCode} {await reply.Content.ReadAsStringAsync()}");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long? shown = null;
        while (true)
        {
            var c = await ConnectorAsync(domId, index);
            if (c.GetProperty("width").GetInt32() == width && c.GetProperty("height").GetInt32() == height && c.GetProperty("state").GetString() == "Connected")
            {
                long frames = c.GetProperty("framesShown").GetInt64();
                if (shown is { } before && frames > before) return;
                shown = frames;
            }
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"connector {domId}/{index} did not come back at {width}x{height}: {c}");
            await Task.Delay(250);
        }
    }

    /// <summary>Working set in bytes, now.</summary>
    public long WorkingSet()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
