using System.Net;

namespace XenDisplayWeb.Server.Tests;

public class HealthTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task Healthz_answers_ok_while_the_host_runs_without_a_token()
    {
        var response = await factory.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
