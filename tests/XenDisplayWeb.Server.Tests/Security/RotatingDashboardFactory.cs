using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace XenDisplayWeb.Server.Tests.Security;

/// <summary>The dashboard with its tokens in a configuration source the test changes and reloads, as an edited appsettings.json is.</summary>
public sealed class RotatingDashboardFactory : DashboardFactory
{
    private readonly SettableSource _source = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        _source.Provider.Set("Security:OperatorToken", OperatorToken);
        _source.Provider.Set("Security:ViewerToken", ViewerToken);
        builder.ConfigureAppConfiguration((_, config) => config.Add(_source));
    }

    /// <summary>Changes a setting and reloads configuration; what a subscriber throws comes back (the options monitor refuses an invalid change so).</summary>
    public void Reload(string key, string? value)
    {
        _source.Provider.Set(key, value);
        _source.Provider.Reload();
    }

    private sealed class SettableSource : IConfigurationSource
    {
        public SettableProvider Provider { get; } = new();
        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    private sealed class SettableProvider : ConfigurationProvider
    {
        public void Reload() => OnReload();
    }
}
