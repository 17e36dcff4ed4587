using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace XenDisplayWeb.Server.Tests.Security;

public class RateLimitTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task Past_the_per_token_rate_the_api_answers_429_problem_details_and_other_tokens_are_not_affected()
    {
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Security:ApiRequestsPerSecond", "5"));
        var viewer = limited.CreateClient();
        viewer.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.ViewerToken);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (int i = 0; i < 20; i++)
        {
            var r = await viewer.GetAsync("/api/domains");
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) rejected = r;
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(rejected);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var op = limited.CreateClient();
        op.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/healthz")).StatusCode); // not under /api
    }
}
