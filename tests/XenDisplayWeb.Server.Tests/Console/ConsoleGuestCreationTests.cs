using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Tests.Console;

/// <summary>POST /api/domains checks every field as the connector controls do, and a refused guest leaves nothing behind.</summary>
public class ConsoleGuestCreationTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private SimulatedSystem System => factory.Services.GetRequiredService<SimulatedHostService>().System!;

    private static object Connector(int width = 64, int height = 48, string? uniqueId = null, string? workload = null, double? framesPerSecond = null) =>
        new { width, height, uniqueId, workload, framesPerSecond };

    public static TheoryData<string, object> BadBodies => new()
    {
        { "name", new { name = new string('n', GuestSpecLimits.MaxNameBytes + 1), connectors = new[] { Connector() } } },
        { "name", new { name = new string('\u00e9', GuestSpecLimits.MaxNameBytes / 2 + 1), connectors = new[] { Connector() } } }, // 2 bytes each in UTF-8
        { "name", new { name = "a\u0000b", connectors = new[] { Connector() } } },
        { "name", new { name = "   ", connectors = new[] { Connector() } } },
        { "connectors", new { name = "g", connectors = Array.Empty<object>() } },
        { "connectors[0].framesPerSecond", new { name = "g", connectors = new[] { Connector(framesPerSecond: -1) } } },
        { "connectors[1].framesPerSecond", new { name = "g", connectors = new[] { Connector(uniqueId: "a"), Connector(uniqueId: "b", framesPerSecond: 1001) } } },
        { "connectors[0].uniqueId", new { name = "g", connectors = new[] { Connector(uniqueId: "a\u0000b") } } },
        { "connectors[0].uniqueId", new { name = "g", connectors = new[] { Connector(uniqueId: "a/b") } } },
        { "connectors[0].uniqueId", new { name = "g", connectors = new[] { Connector(uniqueId: new string('u', 300)) } } },
        { "connectors[0].uniqueId", new { name = "g", connectors = new[] { Connector(uniqueId: "") } } },
        { "connectors[1].uniqueId", new { name = "g", connectors = new[] { Connector(uniqueId: "same"), Connector(uniqueId: "same") } } },
        { "connectors[0].width", new { name = "g", connectors = new[] { Connector(width: 0) } } },
        { "connectors[0].height", new { name = "g", connectors = new[] { Connector(height: 100_000) } } },
        { "connectors[0].workload", new { name = "g", connectors = new[] { Connector(workload: "nope") } } },
        { "workloads[0]", new { name = "g", connectors = new[] { Connector() }, workloads = new[] { "nope" } } },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_field_is_a_400_naming_it_and_no_domain_or_device_is_left(string field, object body)
    {
        var domainsBefore = System.Host.Domains.Select(d => d.DomId).ToList();
        var devicesBefore = System.Backend.Devices.Select(d => d.FrontDomId).ToList();

        var rsp = await factory.Operator().PostAsJsonAsync("/api/domains", body);

        Assert.Equal(HttpStatusCode.BadRequest, rsp.StatusCode);
        Assert.Equal("application/problem+json", rsp.Content.Headers.ContentType?.MediaType);
        var problem = await rsp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {problem}");
        Assert.Empty(System.Host.Domains.Select(d => d.DomId).Except(domainsBefore));
        Assert.Empty(System.Backend.Devices.Select(d => d.FrontDomId).Except(devicesBefore));
    }

    [Fact]
    public async Task The_largest_name_and_fields_at_their_limits_are_accepted()
    {
        var api = factory.Operator();
        var rsp = await api.PostAsJsonAsync("/api/domains", new
        {
            name = new string('n', GuestSpecLimits.MaxNameBytes),
            connectors = new[] { Connector(uniqueId: new string('u', GuestSpecLimits.MaxUniqueIdLength), framesPerSecond: GuestSpecLimits.MaxFramesPerSecond) },
        });
        Assert.Equal(HttpStatusCode.Created, rsp.StatusCode);
        int domId = (await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32();
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
    }
}
