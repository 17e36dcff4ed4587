using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Api;
using XenDisplayWeb.Server.Security;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Views;

namespace XenDisplayWeb.Server.Hubs;

/// <summary>
/// The dashboard's one SignalR hub (<c>/hubs/dashboard</c>): live frames, topology, trace, buffer events
/// and stats. See docs/dashboard-contract.md for every message.
/// </summary>
[Authorize(Policy = DashboardRoles.ViewerPolicy)]
public sealed partial class DashboardHub(SimulatedHostService host, HubConnections connections, HeldInput held, FrameStreamRegistry streams)
    : Hub<IDashboardClient>, IDashboardHub
{
    public const string Path = "/hubs/dashboard";

    /// <summary>Topics a connection can join; "topology" is joined on connect.</summary>
    public static readonly IReadOnlySet<string> Topics = new HashSet<string> { "topology", "trace", "buffers", "stats" };

    public override async Task OnConnectedAsync()
    {
        connections.OnConnected(Context);
        connections.Subscribe(Context.ConnectionId, "topology");
        await Clients.Caller.Topology(DashboardViews.Domains(host.System));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.OnLeft(Context.ConnectionId);
        held.ReleaseAll(Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>Joins a topic: "topology", "trace", "buffers" or "stats".</summary>
    public void Subscribe(string topic)
    {
        if (!Topics.Contains(topic)) throw new HubException($"no topic '{topic}': use one of {string.Join(", ", Topics)}");
        connections.Subscribe(Context.ConnectionId, topic);
    }

    /// <summary>
    /// An operator's input for a connector's guest, in order (the page sends at most one pointer move per frame;
    /// keys are never merged). A viewer's call is refused before it gets here. What the connection still holds
    /// down when it goes is released (<see cref="HeldInput"/>).
    /// </summary>
    [Authorize(Policy = DashboardRoles.OperatorPolicy)]
    public InputAcceptedView SendInput(int domId, int index, InputEventSpec?[] events)
    {
        var system = host.System ?? throw new HubException("the simulated host is not running");
        try
        {
            var result = system.SendInput(domId, index, events);
            held.Note(Context.ConnectionId, domId, index, events, result.Seqs);
            return InputControls.View(domId, index, result);
        }
        catch (InputRejectedException e) { throw new HubException($"{e.Field}: {e.Rule}"); }
        catch (ControlException e) { throw new HubException(e.Message); }
    }
}
