using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Api;

/// <summary><c>PUT /api/domains/{domId}/zero-copy</c>: show a guest's frames from its pages in place, or from the backend's copy.</summary>
public sealed record ZeroCopyRequest(bool? Enabled);

/// <summary>A guest's zero-copy switch after the control.</summary>
public sealed record ZeroCopyView(int DomId, bool Enabled);

/// <summary>The per-guest zero-copy switch (displ_be's run-time switch), one of the operator's controls.</summary>
internal static class ZeroCopyControls
{
    public static void MapZeroCopyControl(this RouteGroupBuilder api)
    {
        api.MapPut("/domains/{domId:int}/zero-copy", SetZeroCopy)
            .WithName("SetZeroCopy")
            .WithSummary("Switches zero copy for a guest: on, sinks read its pages in place; off, the backend copies each shown frame first")
            .Produces<ZeroCopyView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult SetZeroCopy(int domId, ZeroCopyRequest body, SimulatedHostService host)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        if (body.Enabled is not { } enabled) return ControlProblems.Invalid("enabled", "is required (true or false)");
        try
        {
            system.SetZeroCopy(domId, enabled);
            return Results.Ok(new ZeroCopyView(domId, system.IsZeroCopy(domId)));
        }
        catch (ControlException e) { return ControlProblems.From(e); }
    }
}
