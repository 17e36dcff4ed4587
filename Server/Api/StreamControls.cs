using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Api;

/// <summary>A connector's stream mode: tiles, video or auto (video while most of the picture moves fast).</summary>
internal static class StreamControls
{
    public static void MapStreamControls(this RouteGroupBuilder api)
    {
        api.MapGet("/domains/{domId:int}/connectors/{index:int}/stream", Get)
            .WithName("GetStreamMode")
            .WithSummary("The connector's stream mode and the path it is on now (tiles or video)")
            .Produces<StreamModeView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/domains/{domId:int}/connectors/{index:int}/stream", Set)
            .WithName("SetStreamMode")
            .WithSummary("Forces the connector's stream to tiles or video, or lets it choose (auto)")
            .Produces<StreamModeView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult Get(int domId, int index, IDashboardControls controls) => controls.GetStreamMode(domId, index).ToResult();

    private static IResult Set(int domId, int index, StreamModeRequest body, IDashboardControls controls) =>
        controls.SetStreamMode(domId, index, body).ToResult();
}
