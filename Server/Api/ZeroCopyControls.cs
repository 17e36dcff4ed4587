using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Api;

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

    private static IResult SetZeroCopy(int domId, ZeroCopyRequest body, IDashboardControls controls) => controls.SetZeroCopy(domId, body).ToResult();
}
