using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Tests.Security;

/// <summary>The circuit handler driven as Blazor drives it, on a dispatcher that records what is posted to it.</summary>
public class TokenCircuitHandlerTests
{
    private sealed class Dispatcher : SynchronizationContext
    {
        public List<Exception> Failures { get; } = [];
        public int Posted { get; private set; }

        public override void Post(SendOrPostCallback d, object? state)
        {
            Posted++;
            try { d(state); }
            catch (Exception e) { Failures.Add(e); } // the renderer's context reports this as the circuit's unhandled exception
        }
    }

    private sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class Navigation : NavigationManager
    {
        public Navigation() => Initialize("http://localhost/", "http://localhost/connectors/1/0");
        public List<(string Uri, bool ForceLoad)> Went { get; } = [];
        protected override void NavigateToCore(string uri, NavigationOptions options) => Went.Add((ToAbsoluteUri(uri).ToString(), options.ForceLoad));
    }

    private sealed record Circuit(TokenCircuitHandler Handler, Dispatcher Dispatcher, Navigation Navigation);

    private static async Task<Circuit> OpenAsync(RotatingDashboardFactory factory, string role)
    {
        var tokens = factory.Services.GetRequiredService<DashboardTokens>();
        var user = TokenAuthenticationHandler.Principal(role, tokens, DashboardRoles.CookieScheme);
        var navigation = new Navigation();
        var handler = new TokenCircuitHandler(new FixedUser(user), navigation, tokens, factory.Services.GetRequiredService<TokenSessions>(),
            NullLogger<TokenCircuitHandler>.Instance);
        var dispatcher = new Dispatcher();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(dispatcher);
        try { await handler.OnConnectionUpAsync(NoCircuit, CancellationToken.None); }
        finally { SynchronizationContext.SetSynchronizationContext(previous); }
        return new Circuit(handler, dispatcher, navigation);
    }

    private static readonly Microsoft.AspNetCore.Components.Server.Circuits.Circuit NoCircuit =
        (Microsoft.AspNetCore.Components.Server.Circuits.Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Microsoft.AspNetCore.Components.Server.Circuits.Circuit));

    /// <summary>Inbound activity through the handler: <paramref name="work"/> stands for the rest of Blazor's chain.</summary>
    private static Task Inbound(TokenCircuitHandler handler, Func<Task> work) =>
        handler.CreateInboundActivityHandler(_ => work())((CircuitInboundActivityContext)RuntimeHelpers.GetUninitializedObject(typeof(CircuitInboundActivityContext)));

    [Fact]
    public async Task A_circuit_under_a_rotated_token_is_sent_to_sign_in_and_failed_on_its_dispatcher_when_the_token_changes()
    {
        using var factory = new RotatingDashboardFactory();
        var op = await OpenAsync(factory, DashboardRoles.Operator);
        var viewer = await OpenAsync(factory, DashboardRoles.Viewer);
        var sessions = factory.Services.GetRequiredService<TokenSessions>();
        Assert.Equal(2, sessions.CircuitCount);
        Assert.Equal(0, op.Dispatcher.Posted);

        factory.Reload("Security:OperatorToken", "operator-token-rotated-0123456789");

        Assert.IsType<TokenRotatedException>(Assert.Single(op.Dispatcher.Failures));
        Assert.Equal([("http://localhost/connectors/1/0", true)], op.Navigation.Went);
        Assert.Equal(0, viewer.Dispatcher.Posted);
        Assert.Empty(viewer.Navigation.Went);

        // Blazor closes the failed circuit: it leaves the sessions.
        await op.Handler.OnCircuitClosedAsync(NoCircuit, CancellationToken.None);
        Assert.Equal(1, sessions.CircuitCount);
    }

    [Fact]
    public async Task A_stale_circuits_next_inbound_activity_fails_synchronously_and_a_current_ones_runs()
    {
        using var factory = new RotatingDashboardFactory();
        var op = await OpenAsync(factory, DashboardRoles.Operator);
        var viewer = await OpenAsync(factory, DashboardRoles.Viewer);
        int ran = 0;

        factory.Reload("Security:OperatorToken", "operator-token-rotated-0123456789");

        Assert.Throws<TokenRotatedException>(() => { _ = Inbound(op.Handler, () => { ran++; return Task.CompletedTask; }); });
        await Inbound(viewer.Handler, () => { ran++; return Task.CompletedTask; });
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task A_circuit_that_comes_up_under_a_token_already_rotated_is_ended_at_once()
    {
        using var factory = new RotatingDashboardFactory();
        var tokens = factory.Services.GetRequiredService<DashboardTokens>();
        var stale = TokenAuthenticationHandler.Principal(DashboardRoles.Viewer, tokens, DashboardRoles.CookieScheme);
        factory.Reload("Security:ViewerToken", "viewer-token-rotated-0123456789");
        var navigation = new Navigation();
        var handler = new TokenCircuitHandler(new FixedUser(stale), navigation, tokens, factory.Services.GetRequiredService<TokenSessions>(),
            NullLogger<TokenCircuitHandler>.Instance);
        var dispatcher = new Dispatcher();
        SynchronizationContext.SetSynchronizationContext(dispatcher);
        try { await handler.OnConnectionUpAsync(NoCircuit, CancellationToken.None); }
        finally { SynchronizationContext.SetSynchronizationContext(null); }

        Assert.IsType<TokenRotatedException>(Assert.Single(dispatcher.Failures));
    }
}
