using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Host;

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

    private static IResult Get(int domId, int index, SimulatedHostService host, FrameStreamRegistry streams) =>
        Check(host, domId, index) ?? Results.Ok(View(streams, domId, index));

    private static IResult Set(int domId, int index, StreamModeRequest body, SimulatedHostService host, FrameStreamRegistry streams)
    {
        if (!VideoModes.TryParse(body.Mode, out var mode))
            return ControlProblems.Invalid("mode", body.Mode is null ? "is required (auto, tiles or video)" : $"must be auto, tiles or video, not '{body.Mode}'");
        if (Check(host, domId, index) is { } missing) return missing;
        streams.SetMode(domId, index, mode);
        return Results.Ok(View(streams, domId, index));
    }

    /// <summary>404 for a connector the guest does not have.</summary>
    private static IResult? Check(SimulatedHostService host, int domId, int index)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        try
        {
            system.RequireConnector(domId, index);
            return null;
        }
        catch (ControlException e)
        {
            return ControlProblems.From(e);
        }
    }

    private static StreamModeView View(FrameStreamRegistry streams, int domId, int index)
    {
        var (mode, path) = streams.ModeOf(domId, index);
        return new StreamModeView(domId, index, mode.Name(), path);
    }
}
