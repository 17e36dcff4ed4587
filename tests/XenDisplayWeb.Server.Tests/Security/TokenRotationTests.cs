using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Tests.Security;

public class TokenRotationTests
{
    private const string NewOperatorToken = "operator-token-rotated-0123456789";
    private const string NewViewerToken = "viewer-token-rotated-0123456789";

    /// <summary>A browser-like client: opens the dashboard with ?token= and keeps the role cookie.</summary>
    private static async Task<HttpClient> SignedInAsync(RotatingDashboardFactory factory, string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var exchange = await client.GetAsync($"/api/domains?token={token}");
        Assert.Equal(HttpStatusCode.Redirect, exchange.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/domains")).StatusCode);
        return client;
    }

    [Fact]
    public async Task A_cookie_made_under_a_rotated_token_is_refused_and_the_new_token_works()
    {
        using var factory = new RotatingDashboardFactory();
        var viewer = await SignedInAsync(factory, DashboardFactory.ViewerToken);
        var op = await SignedInAsync(factory, DashboardFactory.OperatorToken);

        factory.Reload("Security:ViewerToken", NewViewerToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Viewer().GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/domains")).StatusCode);
        await SignedInAsync(factory, NewViewerToken);
    }

    [Fact]
    public async Task The_page_of_a_rotated_cookie_answers_the_sign_in_page()
    {
        using var factory = new RotatingDashboardFactory();
        var client = await SignedInAsync(factory, DashboardFactory.OperatorToken);

        factory.Reload("Security:OperatorToken", NewOperatorToken);

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("A token is needed", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public async Task An_invalid_change_is_ignored_and_the_tokens_in_force_stay()
    {
        using var factory = new RotatingDashboardFactory();
        var viewer = await SignedInAsync(factory, DashboardFactory.ViewerToken);

        // The options monitor behind the start-up validation throws the same refusal out of the reload.
        Assert.ThrowsAny<Exception>(() => factory.Reload("Security:ViewerToken", "too-short"));
        Assert.ThrowsAny<Exception>(() => factory.Reload("Security:ViewerToken", DashboardFactory.OperatorToken));

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Viewer().GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.WithBearer("too-short").GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task An_emptied_token_keeps_the_token_in_force()
    {
        using var factory = new RotatingDashboardFactory();
        _ = factory.Server;
        factory.Reload("Security:OperatorToken", null);
        Assert.Equal(HttpStatusCode.OK, (await factory.Operator().GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task A_hub_connection_under_a_rotated_token_is_closed_and_one_under_the_other_role_stays()
    {
        using var factory = new RotatingDashboardFactory();
        await using var rotated = factory.MessagePackHub(DashboardFactory.OperatorToken);
        await using var kept = factory.MessagePackHub(DashboardFactory.ViewerToken);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        rotated.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await rotated.StartAsync();
        await kept.StartAsync();

        factory.Reload("Security:OperatorToken", NewOperatorToken);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, rotated.State);
        Assert.Equal(HubConnectionState.Connected, kept.State);
        await kept.InvokeAsync("Subscribe", "stats");
    }

    [Fact]
    public void A_rotation_names_the_roles_it_changed()
    {
        using var factory = new RotatingDashboardFactory();
        var tokens = factory.Services.GetRequiredService<DashboardTokens>();
        var rotations = new List<IReadOnlyList<string>>();
        tokens.Rotated += rotations.Add;

        factory.Reload("Security:ViewerToken", NewViewerToken);
        factory.Reload("Security:ViewerToken", NewViewerToken);

        Assert.Equal([[DashboardRoles.Viewer]], rotations);
        Assert.Equal(DashboardRoles.Viewer, tokens.RoleOf(NewViewerToken));
        Assert.Null(tokens.RoleOf(DashboardFactory.ViewerToken));
    }
}
