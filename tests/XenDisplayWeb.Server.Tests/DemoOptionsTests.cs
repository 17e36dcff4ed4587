using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Tests;

public class DemoOptionsTests
{
    [Fact]
    public void The_server_does_not_start_with_a_domain_id_space_Xen_cannot_have()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Demo:MaxDomId", "32752"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Demo:MaxDomId must be 1..32751, not 32752", e.Message);
    }

    [Fact]
    public async Task With_a_small_domain_id_space_the_console_reuses_a_destroyed_guests_id()
    {
        // The demo guests are domains 1 and 2: the console has 3 alone.
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Demo:MaxDomId", "3"));
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.OperatorToken);
        var guest = new { name = "g", connectors = new[] { new { width = 64, height = 48 } } };

        int first = (await (await api.PostAsJsonAsync("/api/domains", guest)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32();
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/domains", guest)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{first}")).StatusCode);
        var again = await api.PostAsJsonAsync("/api/domains", guest);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(3, first);
        Assert.Equal(first, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32());
    }
}
