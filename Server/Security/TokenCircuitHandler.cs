using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// One per circuit: knows the circuit's user and ends the circuit once that user's token is rotated away, when
/// the rotation happens (<see cref="TokenSessions"/>) or on the circuit's next inbound activity. Ending sends the
/// page to load itself again, which meets the stale cookie and answers the sign-in page, then fails the circuit on
/// its own dispatcher: Blazor tears it down (its services, components and subscriptions go) and tells the page.
/// </summary>
public sealed class TokenCircuitHandler(AuthenticationStateProvider authentication, NavigationManager navigation,
    DashboardTokens tokens, TokenSessions sessions, ILogger<TokenCircuitHandler> logger) : CircuitHandler
{
    private volatile SynchronizationContext? _dispatcher;
    private volatile ClaimsPrincipal? _user;
    private bool _registered;
    private int _ended;

    /// <summary>Whether the circuit's user still holds the token in force (true until the user is known).</summary>
    internal bool IsCurrent => _user is not { } user || tokens.IsCurrent(user);

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Connection-up runs on the circuit's dispatcher: what is posted here later runs as the circuit's own work.
        _dispatcher = SynchronizationContext.Current;
        if (!_registered)
        {
            _registered = true;
            authentication.AuthenticationStateChanged += OnUserChanged;
            sessions.Add(this);
        }
        _user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!IsCurrent) End();
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged -= OnUserChanged;
        sessions.Remove(this);
        return Task.CompletedTask;
    }

    /// <summary>Refuses (synchronously, so even a render acknowledgement ends the circuit) what a stale circuit sends.</summary>
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => IsCurrent ? next(context) : throw Ending();

    /// <summary>Ends the circuit: the page is sent to load itself again, then the circuit fails on its dispatcher.</summary>
    internal void End()
    {
        if (_dispatcher is not { } dispatcher || Interlocked.Exchange(ref _ended, 1) == 1) return;
        dispatcher.Post(_ =>
        {
            navigation.NavigateTo(navigation.Uri, forceLoad: true);
            throw Ending();
        }, null);
    }

    private TokenRotatedException Ending()
    {
        logger.LogInformation("A {Role}'s circuit ended: its token was rotated away", _user?.FindFirstValue(ClaimTypes.Role));
        return new TokenRotatedException();
    }

    private async void OnUserChanged(Task<AuthenticationState> state)
    {
        try
        {
            _user = (await state).User;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The circuit's user could not be read");
        }
    }
}

/// <summary>Fails a circuit whose user's token was rotated away.</summary>
public sealed class TokenRotatedException() : Exception("the token this page was opened with has been rotated away: open the dashboard with the new one");
