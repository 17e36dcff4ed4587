using System.Net;
using Microsoft.AspNetCore.Http;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Tests.Security;

/// <summary>The ?token= exchange sends the browser back to this dashboard only, whatever the path looks like.</summary>
public class TokenExchangeRedirectTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    public static TheoryData<string> HostilePaths => new()
    {
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/%2F%2Fevil.example/",
        "/%2f/evil.example/",
        "/%5C%5Cevil.example/",
        "/\r\nLocation: http://evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
        "/http://evil.example/",
    };

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public async Task A_token_exchange_on_a_hostile_path_redirects_to_a_local_path_of_this_dashboard(string path)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = new PathString(path);
            c.Request.QueryString = new QueryString($"?{DashboardRoles.TokenQuery}={DashboardFactory.ViewerToken}");
        });

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        string location = context.Response.Headers.Location.ToString();
        AssertLocal(location);
    }

    [Fact]
    public async Task An_absolute_form_request_target_redirects_to_a_relative_local_path()
    {
        var client = factory.Anonymous();
        var response = await client.GetAsync($"http://evil.example/?{DashboardRoles.TokenQuery}={DashboardFactory.ViewerToken}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        AssertLocal(response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_ordinary_path_keeps_its_path_and_other_query_parameters()
    {
        var response = await factory.Anonymous().GetAsync($"/buffers?dom=3&{DashboardRoles.TokenQuery}={DashboardFactory.ViewerToken}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/buffers?dom=3", response.Headers.Location?.OriginalString);
    }

    /// <summary>A path on this host as a browser resolves it: one leading slash, no second slash or backslash, no control characters.</summary>
    private static void AssertLocal(string location)
    {
        Assert.StartsWith("/", location);
        Assert.False(location.Length > 1 && location[1] is '/' or '\\', $"'{location}' is protocol-relative");
        Assert.DoesNotContain(location, char.IsControl);
        string decoded = Uri.UnescapeDataString(location);
        Assert.False(decoded.Length > 1 && decoded[1] is '/' or '\\', $"'{location}' decodes to a protocol-relative '{decoded}'");
        var resolved = new Uri(new Uri("http://dashboard.test/"), location);
        Assert.Equal("dashboard.test", resolved.Host);
    }
}
