using XenDisplayWeb.Client.Contract;

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

    // The API answers when the reconnect is done; a page that goes away meanwhile does not stop it (the service sees to that).
    private static async Task<IResult> AddAsync(int domId, AddConnectorRequest body, IDashboardControls controls) =>
        (await controls.AddConnectorAsync(domId, body)).ToResult();

    private static async Task<IResult> RemoveAsync(int domId, int index, IDashboardControls controls) =>
        (await controls.RemoveConnectorAsync(domId, index)).ToResult();

    private static async Task<IResult> SetResolutionAsync(int domId, int index, ResolutionRequest body, IDashboardControls controls) =>
        (await controls.SetResolutionAsync(domId, index, body)).ToResult();

    private static IResult SetLink(int domId, int index, LinkRequest body, IDashboardControls controls) =>
        controls.SetLink(domId, index, body).ToResult();

    private static IResult SetWorkload(int domId, int index, WorkloadRequest body, IDashboardControls controls) =>
        controls.SetWorkload(domId, index, body).ToResult();
}
