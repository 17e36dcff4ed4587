using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using D = XenDisplayWeb.Shared.Displif.Displif;

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

    private static DemoOptions OneConnector(int width, int height, string uniqueId = "c0") => new()
    {
        Guests = [new DemoGuest { DomId = 1, Name = "g", Connectors = [new DemoConnector { Width = width, Height = height, UniqueId = uniqueId }] }],
    };

    private static async Task<string> ApiRuleAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]![0]!;
    }

    [Theory]
    [InlineData(0, 480, "Width", "width")]
    [InlineData(4096, 480, "Width", "width")]
    [InlineData(640, 2048, "Height", "height")]
    public async Task The_api_and_the_demo_settings_give_a_mode_out_of_range_the_same_rule(int width, int height, string setting, string field)
    {
        using var factory = new DashboardFactory();
        var op = factory.Operator();
        string api = await ApiRuleAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/0/resolution", new { width, height }), field);

        var demo = new DemoOptionsValidator().Validate(null, OneConnector(width, height));

        Assert.Equal(D.ModeProblem(width, height)!.Value.Rule, api);
        Assert.Equal([$"Demo:Guests:0:Connectors:0:{setting} {api}"], demo.Failures);
    }

    [Fact]
    public async Task The_api_and_the_timeout_settings_give_a_timeout_out_of_range_the_same_rule()
    {
        using var factory = new DashboardFactory();
        var op = factory.Operator();
        string api = await ApiRuleAsync(await op.PutAsJsonAsync("/api/timeouts", new { requestMs = 600_001 }), "requestMs");

        var settings = new DemoOptionsValidator().Validate(null, new TimeoutOptions { RequestMs = 600_001, FrameDoneMs = 0 });

        Assert.Equal("must be 1..600000, not 600001", api);
        Assert.Equal(["Timeouts:RequestMs " + api, "Timeouts:FrameDoneMs must be 1..600000, not 0"], settings.Failures);
    }

    [Fact]
    public void A_demo_connector_whose_unique_id_could_not_name_it_in_a_url_is_refused_at_start_up()
    {
        var result = new DemoOptionsValidator().Validate(null, OneConnector(640, 480, uniqueId: "left monitor"));

        Assert.Equal(["Demo:Guests:0:Connectors:0:UniqueId must be 1..64 characters of letters, digits, '-', '_' or '.'"], result.Failures);
    }

    [Fact]
    public void A_demo_connector_at_the_largest_mode_passes()
    {
        var result = new DemoOptionsValidator().Validate(null, OneConnector(D.MaxWidth, D.MaxHeight));
        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }
}
