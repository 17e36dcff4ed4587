using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Tests;

public class BackendSettingsTests
{
    [Fact]
    public void The_server_does_not_start_with_a_bad_limit_and_names_the_key()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:MaxDbufs", "0"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Backend:MaxDbufs must be at least 1, not 0", e.Message);
    }

    [Fact]
    public async Task The_limits_in_the_settings_are_the_ones_the_backend_applies()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:MaxDbufs", "7"));
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.OperatorToken);
        var backend = await api.GetFromJsonAsync<JsonElement>("/api/domains/1/backend");
        Assert.Equal(7, backend.GetProperty("limits").GetProperty("maxDbufs").GetInt32());
    }
}
