using Microsoft.AspNetCore.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>
/// Pages on the server's real feed and controls over the simulated host (<see cref="SimulatedDashboard"/>): a
/// control submitted acts on the system, and the page shows what the core's events say. Each test starts once the
/// demo guests are connected, and leaves them as it found them.
/// </summary>
[Collection(SimulatedHostCollection.Name)]
public abstract class HostTestContext : DashboardTestContext
{
    /// <summary>How long a reconnect of the simulated guests may take to show.</summary>
    protected static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(20);

    protected HostTestContext(SimulatedDashboard host)
    {
        Host = host;
        Use(host.Feed, host.Controls);
    }

    protected SimulatedDashboard Host { get; }

    // The host's feed re-renders the page from its own thread: find an element and fire its event in one turn of
    // the page's dispatcher, or the handler found may be gone by the time the event fires.

    /// <summary>Fills in a field (its <c>onchange</c>).</summary>
    protected static Task Change<T>(IRenderedComponent<T> cut, string selector, object value) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).Change(value));

    /// <summary>Submits a form and waits for its control's answer.</summary>
    protected static Task Submit<T>(IRenderedComponent<T> cut, string selector) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).SubmitAsync());

    /// <summary>The demo guests connected, and the circuit's user signed in as an operator.</summary>
    protected async Task OperatorOnReadyHostAsync()
    {
        await Host.ReadyAsync();
        SignIn(Roles.Operator);
    }
}
