using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace XenDisplayWeb.EndToEnd.Hosting;

/// <summary>
/// The dashboard on a real Kestrel socket (a free port on 127.0.0.1) with the demo guests and the given
/// tokens; more settings on top. Shared by the end-to-end tests, the browser benchmark and the load test.
/// </summary>
public class KestrelDashboard : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    private readonly int _port;

    /// <param name="port">0 for a free port; a port of its own to start a server again where a page knew it.</param>
    public KestrelDashboard(string operatorToken, string viewerToken, IReadOnlyDictionary<string, string>? settings = null, int port = 0)
    {
        OperatorToken = operatorToken;
        ViewerToken = viewerToken;
        _settings = settings ?? new Dictionary<string, string>();
        _port = port;
        UseKestrel(port);
    }

    /// <summary>A port free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string OperatorToken { get; }
    public string ViewerToken { get; }

    /// <summary>Where the server listens once started, e.g. http://127.0.0.1:40123.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Starts the server and learns its address.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return BaseUri = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    /// <summary>The absolute URL of a path on the server.</summary>
    public string Url(string path) => new Uri(BaseUri, path).ToString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", $"http://127.0.0.1:{_port}");
        builder.UseSetting("Security:OperatorToken", OperatorToken);
        builder.UseSetting("Security:ViewerToken", ViewerToken);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>The checkout's root (where XenDisplayWeb.sln is), found from the running program's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenDisplayWeb.sln"))) return dir.FullName;
        throw new InvalidOperationException("XenDisplayWeb.sln not found above " + AppContext.BaseDirectory);
    }
}
