using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Workloads;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Server.Api;

/// <summary>
/// Connector controls: add, remove, resolution (each a reconnect, the toolstack way), link and workload.
/// A reconnect, once asked for, is carried out even if the page that asked goes away before the answer
/// (a person who clicks Add and moves on loses nothing): it ends only with the server.
/// </summary>
internal static class ConnectorControls
{
    public static void MapConnectorControls(this RouteGroupBuilder api)
    {
        api.MapPost("/domains/{domId:int}/connectors", AddAsync)
            .WithName("AddConnector")
            .WithSummary("Adds a connector to a guest's display: the toolstack writes it to XenStore and the device reconnects")
            .Produces<ConnectorSettingsView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapDelete("/domains/{domId:int}/connectors/{index:int}", RemoveAsync)
            .WithName("RemoveConnector")
            .WithSummary("Removes a connector from a guest's display; the device reconnects and later connectors move down an index")
            .Produces<ConnectorRemovedView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/domains/{domId:int}/connectors/{index:int}/resolution", SetResolutionAsync)
            .WithName("SetResolution")
            .WithSummary("Changes a connector's resolution in XenStore; the device reconnects and the guest draws at the new size")
            .Produces<ConnectorSettingsView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/domains/{domId:int}/connectors/{index:int}/link", SetLink)
            .WithName("SetLink")
            .WithSummary("Unplugs (up: false) or plugs back (up: true) the connector's monitor, as a hotplug the guest sees")
            .Produces<LinkView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/domains/{domId:int}/connectors/{index:int}/workload", SetWorkload)
            .WithName("SetWorkload")
            .WithSummary("Changes what the guest's compositor draws on a connector, and how many frames a second")
            .Produces<ConnectorSettingsView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> AddAsync(int domId, AddConnectorRequest body, SimulatedHostService host, IHostApplicationLifetime lifetime)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        if ((ControlProblems.Range("width", body.Width, 1, D.MaxWidth) ?? ControlProblems.Range("height", body.Height, 1, D.MaxHeight)
            ?? ControlProblems.Range("framesPerSecond", body.FramesPerSecond, 0, GuestSpecLimits.MaxFramesPerSecond, required: false)
            ?? CheckWorkload(body.Workload) ?? CheckUniqueId(body.UniqueId)) is { } invalid) return invalid;
        if (system.Guest(domId) is not { } guest) return ControlProblems.From(new ControlException(ControlFailure.UnknownDomain, $"no guest domain {domId}"));
        var connector = new GuestConnector(body.Width!.Value, body.Height!.Value,
            body.UniqueId ?? $"{guest.Domain.Name}-{guest.Spec.Connectors.Count}", body.Workload ?? "testpattern", body.FramesPerSecond ?? 60);
        try
        {
            int index = await system.AddConnectorAsync(domId, connector, lifetime.ApplicationStopping);
            return Results.Accepted($"/api/domains/{domId}/connectors/{index}", View(system, domId, index));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    private static async Task<IResult> RemoveAsync(int domId, int index, SimulatedHostService host, IHostApplicationLifetime lifetime)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        try
        {
            await system.RemoveConnectorAsync(domId, index, lifetime.ApplicationStopping);
            return Results.Accepted(value: new ConnectorRemovedView(domId, index, system.Guest(domId)?.Spec.Connectors.Count ?? 0));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    private static async Task<IResult> SetResolutionAsync(int domId, int index, ResolutionRequest body, SimulatedHostService host, IHostApplicationLifetime lifetime)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        if ((ControlProblems.Range("width", body.Width, 1, D.MaxWidth) ?? ControlProblems.Range("height", body.Height, 1, D.MaxHeight)) is { } invalid) return invalid;
        try
        {
            await system.SetResolutionAsync(domId, index, body.Width!.Value, body.Height!.Value, lifetime.ApplicationStopping);
            return Results.Accepted(value: View(system, domId, index));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    private static IResult SetLink(int domId, int index, LinkRequest body, SimulatedHostService host)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        if (body.Up is not { } up) return ControlProblems.Invalid("up", "is required (true or false)");
        try
        {
            system.SetLink(domId, index, up);
            return Results.Ok(new LinkView(domId, index, up));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    private static IResult SetWorkload(int domId, int index, WorkloadRequest body, SimulatedHostService host)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        if ((CheckWorkload(body.Workload) ?? ControlProblems.Range("framesPerSecond", body.FramesPerSecond, 0, GuestSpecLimits.MaxFramesPerSecond, required: false)) is { } invalid)
            return invalid;
        try
        {
            system.SetWorkload(domId, index, body.Workload, body.FramesPerSecond);
            return Results.Ok(View(system, domId, index));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    private static IResult? CheckWorkload(string? workload) =>
        workload is null || GuestSpecLimits.WorkloadProblem(workload) is not { } rule ? null : ControlProblems.Invalid("workload", rule);

    private static IResult? CheckUniqueId(string? uniqueId) =>
        uniqueId is null || GuestSpecLimits.UniqueIdProblem(uniqueId) is not { } rule ? null : ControlProblems.Invalid("uniqueId", rule);

    private static ConnectorSettingsView? View(SimulatedSystem system, int domId, int index)
    {
        if (system.Guest(domId) is not { } g || index >= g.Spec.Connectors.Count) return null;
        var c = g.Spec.Connectors[index];
        var s = g.Settings[index];
        return new ConnectorSettingsView(domId, index, c.Width, c.Height, c.UniqueId, s.Workload, s.FramesPerSecond);
    }
}
