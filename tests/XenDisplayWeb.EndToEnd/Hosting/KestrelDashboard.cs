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

    public KestrelDashboard(string operatorToken, string viewerToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        OperatorToken = operatorToken;
        ViewerToken = viewerToken;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
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
        builder.UseSetting("urls", "http://127.0.0.1:0");
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
