using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Tests.Security;

/// <summary>Rate limits count per client (address and role), the expensive endpoints have their own, and wrong tokens are limited too.</summary>
public class ClientRateLimitTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private const string Snapshot = "/api/domains/1/connectors/0/snapshot.png";

    /// <summary>A GET as a client at <paramref name="address"/>, presenting <paramref name="token"/> if given; the status code.</summary>
    private static async Task<int> GetAsync(WebApplicationFactory<Program> server, string pathAndQuery, string? token, string address)
    {
        var (path, query) = pathAndQuery.IndexOf('?') is var q and >= 0 ? (pathAndQuery[..q], pathAndQuery[q..]) : (pathAndQuery, "");
        var context = await server.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            c.Request.QueryString = new QueryString(query);
            if (token is not null) c.Request.Headers.Authorization = $"Bearer {token}";
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });
        return context.Response.StatusCode;
    }

    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) =>
        factory.WithWebHostBuilder(b => { foreach (var (k, v) in settings) b.UseSetting(k, v); });

    [Fact]
    public async Task One_viewer_looping_on_snapshot_png_is_limited_and_does_not_starve_another_viewer()
    {
        using var server = With(("Security:ApiRequestsPerSecond", "100"), ("Security:ExpensiveRequestsPerSecond", "3"));
        // All at once: a lossless 1080p picture takes long enough to encode that one after the other would let the
        // 3-a-second bucket refill between them on a busy machine.
        var looping = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => GetAsync(server, Snapshot, DashboardFactory.ViewerToken, "10.0.0.1")));

        Assert.Contains(StatusCodes.Status429TooManyRequests, looping);
        Assert.NotEqual(StatusCodes.Status429TooManyRequests, await GetAsync(server, Snapshot, DashboardFactory.ViewerToken, "10.0.0.2"));
        Assert.Equal(StatusCodes.Status200OK, await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.0.2"));
        // The expensive limit is its own: the looping viewer still reads the rest of the API.
        Assert.Equal(StatusCodes.Status200OK, await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.0.1"));
    }

    [Fact]
    public async Task One_viewer_past_the_api_rate_does_not_starve_another_viewer_nor_the_operator_on_its_own_address()
    {
        using var server = With(("Security:ApiRequestsPerSecond", "5"));
        var looping = new List<int>();
        for (int i = 0; i < 20; i++) looping.Add(await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.1.1"));

        Assert.Contains(StatusCodes.Status429TooManyRequests, looping);
        Assert.Equal(StatusCodes.Status200OK, await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.1.2"));
        Assert.Equal(StatusCodes.Status200OK, await GetAsync(server, "/api/domains", DashboardFactory.OperatorToken, "10.0.1.1"));
    }

    [Fact]
    public async Task Past_the_failed_authentications_an_address_gets_429_even_with_a_good_token_and_other_addresses_do_not()
    {
        using var server = With(("Security:FailedAuthenticationsPerMinute", "3"));
        for (int i = 0; i < 2; i++)
            Assert.Equal(StatusCodes.Status401Unauthorized, await GetAsync(server, "/api/domains", "wrong-token-0123456789-abcdef", "10.0.2.1"));
        Assert.Equal(StatusCodes.Status401Unauthorized, await GetAsync(server, "/?token=wrong-token-0123456789-abcdef", null, "10.0.2.1"));

        Assert.Equal(StatusCodes.Status429TooManyRequests, await GetAsync(server, "/api/domains", "wrong-token-0123456789-abcdef", "10.0.2.1"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.2.1"));
        Assert.Equal(StatusCodes.Status200OK, await GetAsync(server, "/api/domains", DashboardFactory.ViewerToken, "10.0.2.2"));
    }

    [Fact]
    public void A_client_holding_its_expensive_requests_at_once_is_refused_one_more_until_one_ends_and_others_are_not()
    {
        using var server = With(("Security:ExpensiveConcurrentRequests", "2"), ("Security:ExpensiveRequestsPerSecond", "100"));
        var limiter = server.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        HttpContext Request(string address, string path = "/api/domains/1/buffers/5.png")
        {
            var c = new DefaultHttpContext { RequestServices = server.Services };
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return c;
        }

        using var first = limiter.AttemptAcquire(Request("10.0.3.1"));
        var second = limiter.AttemptAcquire(Request("10.0.3.1", "/api/trace.jsonl"));
        Assert.True(first.IsAcquired && second.IsAcquired);
        using (var third = limiter.AttemptAcquire(Request("10.0.3.1")))
            Assert.False(third.IsAcquired);
        using (var other = limiter.AttemptAcquire(Request("10.0.3.2")))
            Assert.True(other.IsAcquired);
        using (var cheap = limiter.AttemptAcquire(Request("10.0.3.1", "/api/domains")))
            Assert.True(cheap.IsAcquired);

        second.Dispose();
        using var again = limiter.AttemptAcquire(Request("10.0.3.1"));
        Assert.True(again.IsAcquired);
    }

    [Theory]
    [InlineData("Security:ExpensiveRequestsPerSecond", "0")]
    [InlineData("Security:ExpensiveConcurrentRequests", "0")]
    [InlineData("Security:ExpensiveConcurrentRequests", "65")]
    [InlineData("Security:FailedAuthenticationsPerMinute", "0")]
    public void A_limit_out_of_range_stops_the_start_naming_the_key(string key, string value)
    {
        using var server = With((key, value));
        var e = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        Assert.Contains(key, e.ToString());
    }
}
