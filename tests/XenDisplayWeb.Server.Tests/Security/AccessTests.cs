using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Tests.Security;

public class AccessTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    /// <summary>Every control, with a body it would accept.</summary>
    public static TheoryData<string, string, string?> Controls => new()
    {
        { "POST", "/api/domains/1/connectors", """{"width":320,"height":240}""" },
        { "DELETE", "/api/domains/1/connectors/1", null },
        { "PUT", "/api/domains/1/connectors/0/resolution", """{"width":800,"height":600}""" },
        { "PUT", "/api/domains/1/connectors/0/link", """{"up":true}""" },
        { "PUT", "/api/domains/1/connectors/0/workload", """{"workload":"motion"}""" },
        { "GET", "/api/timeouts", null },
        { "PUT", "/api/timeouts", """{"requestMs":3000,"frameDoneMs":3100}""" },
        { "GET", "/api/faults", null },
        { "PUT", "/api/faults", """{"responseDelayMs":0}""" },
        { "POST", "/api/faults/fail", """{"operation":"PG_FLIP","count":1,"status":-5}""" },
        { "POST", "/api/backend/kill", null },
        { "POST", "/api/backend/restart", null },
    };

    private static HttpRequestMessage Request(string method, string url, string? json) => new(new HttpMethod(method), url)
    {
        Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        return problem;
    }

    [Fact]
    public async Task The_api_without_a_token_is_401_problem_details_that_say_how_to_get_in()
    {
        var response = await factory.Anonymous().GetAsync("/api/domains");
        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Dashboard for viewers", (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_page_without_a_token_is_401_html_that_says_how_to_get_in_without_any_token()
    {
        var response = await factory.Anonymous().GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("?token=", body);
        Assert.DoesNotContain(DashboardFactory.ViewerToken, body);
        Assert.DoesNotContain(DashboardFactory.OperatorToken, body);
    }

    [Fact]
    public async Task A_wrong_token_is_401_as_bearer_and_as_query()
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token-at-all-0123456789");
        await AssertProblemAsync(await client.GetAsync("/api/domains"), HttpStatusCode.Unauthorized);
        var page = await factory.Anonymous().GetAsync("/?token=not-the-token-at-all-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.False(page.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Viewer_and_operator_tokens_read_the_api()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.Viewer().GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Operator().GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Viewer().GetAsync("/")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Controls))]
    public async Task A_viewer_on_a_control_is_403_problem_details(string method, string url, string? json)
    {
        var response = await factory.Viewer().SendAsync(Request(method, url, json));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Controls))]
    public async Task Anonymous_on_a_control_is_401_problem_details(string method, string url, string? json)
    {
        await AssertProblemAsync(await factory.Anonymous().SendAsync(Request(method, url, json)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_page_opened_with_the_token_sets_a_strict_http_only_cookie_and_redirects_without_it()
    {
        var response = await factory.Anonymous().GetAsync($"/?view=1&token={DashboardFactory.ViewerToken}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?view=1", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DashboardRoles.CookieName + "="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DashboardFactory.ViewerToken, cookie);

        var withCookie = factory.Anonymous();
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await withCookie.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withCookie.GetAsync("/api/domains")).StatusCode);
        await AssertProblemAsync(await withCookie.PostAsync("/api/backend/kill", null), HttpStatusCode.Forbidden);
    }

    private async Task<HttpClient> OperatorCookieClientAsync()
    {
        var login = await factory.Anonymous().GetAsync($"/?token={DashboardFactory.OperatorToken}");
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardRoles.CookieName + "="));
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return client;
    }

    [Fact]
    public async Task A_forged_form_post_to_a_control_is_refused_even_with_the_operators_cookie()
    {
        var client = await OperatorCookieClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/faults")).StatusCode); // the cookie is an operator's

        var form = await client.PostAsync("/api/faults/fail", new FormUrlEncodedContent([new("operation", "PG_FLIP"), new("count", "1"), new("status", "-5")]));
        await AssertProblemAsync(form, HttpStatusCode.UnsupportedMediaType);
        var kill = await client.PostAsync("/api/backend/kill", new FormUrlEncodedContent([]));
        await AssertProblemAsync(kill, HttpStatusCode.UnsupportedMediaType);
        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/backend/kill");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        await AssertProblemAsync(await client.SendAsync(crossSite), HttpStatusCode.Forbidden);
        var otherOrigin = Request("PUT", "/api/faults", """{"paused":true}""");
        otherOrigin.Headers.Add("Origin", "http://evil.example");
        await AssertProblemAsync(await client.SendAsync(otherOrigin), HttpStatusCode.Forbidden);

        Assert.Equal("ok", await factory.Anonymous().GetFromJsonAsync<string>("/healthz"));
        var faults = await factory.Operator().GetFromJsonAsync<JsonObject>("/api/faults");
        Assert.Empty(faults!["failNext"]!.AsArray());
        Assert.False((bool)faults["paused"]!);
    }

    [Fact]
    public async Task Every_response_carries_the_content_security_policy()
    {
        foreach (var response in new[]
        {
            await factory.Viewer().GetAsync("/"), await factory.Anonymous().GetAsync("/"),
            await factory.Anonymous().GetAsync("/healthz"), await factory.Viewer().GetAsync("/api/domains"),
        })
        {
            string csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("worker-src 'self' blob:", csp);
            Assert.Contains("img-src 'self' blob: data:", csp);
            Assert.Contains("connect-src 'self' ws:", csp);
        }
    }

    [Fact]
    public async Task The_openapi_document_names_and_summarises_every_control()
    {
        var doc = await factory.Viewer().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var operations = doc!["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject())).ToList();
        foreach (var name in new[] { "AddConnector", "RemoveConnector", "SetResolution", "SetLink", "SetWorkload", "GetTimeouts", "SetTimeouts",
                     "GetFaults", "SetFaults", "FailNext", "KillBackend", "RestartBackend" })
        {
            var op = Assert.Single(operations, o => (string?)o["operationId"] == name);
            Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{name} has no summary");
        }
    }

    [Fact]
    public async Task The_hub_negotiates_with_access_token_but_not_without_a_token()
    {
        var anonymous = await factory.Anonymous().PostAsync("/hubs/dashboard/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var query = await factory.Anonymous().PostAsync($"/hubs/dashboard/negotiate?negotiateVersion=1&access_token={DashboardFactory.ViewerToken}", null);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }
}
