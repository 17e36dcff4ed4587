using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XenDisplayWeb.Server.Tests.Pages;

namespace XenDisplayWeb.Server.Tests;

/// <summary>Bounded polling of GET /api/domains, for what the guests do on their own time (reconnects).</summary>
public static class ApiPolling
{
    public static async Task<JsonArray> DomainsAsync(this HttpClient client) =>
        (await client.GetFromJsonAsync<JsonArray>("/api/domains"))!;

    public static JsonObject Domain(this JsonArray domains, int domId) =>
        domains.Single(d => (int)d!["domId"]! == domId)!.AsObject();

    /// <summary>A domain's connector by index (call it with <c>using static</c>: <c>Connector(domain, 1)</c>).</summary>
    public static JsonObject Connector(JsonObject domain, int index) => domain["connectors"]!.AsArray()[index]!.AsObject();

    /// <summary>Polls until <paramref name="condition"/> holds for the domains; fails with the last seen JSON after the deadline.</summary>
    public static Task<JsonArray> WaitForDomainsAsync(this HttpClient client, Func<JsonArray, bool> condition, string what, int timeoutMs = 20000) =>
        Poll.UntilAsync(client.DomainsAsync, condition, TimeSpan.FromMilliseconds(timeoutMs), what);

    /// <summary>Every connector of the domain has a connected link, both ends are Connected, and the connector count is as given.</summary>
    public static bool ConnectedWith(this JsonObject domain, int connectors) =>
        (string?)domain["state"] == "Connected" && (string?)domain["backendState"] == "Connected"
        && domain["connectors"]!.AsArray().Count == connectors;
}
