using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Api;

/// <summary>Input for a connector's guest over its vkbd device: the scripts' way in, the hub's SendInput is the page's.</summary>
internal static class InputControls
{
    public static void MapInputControls(this RouteGroupBuilder api) =>
        api.MapPost("/domains/{domId:int}/connectors/{index:int}/input", Post)
            .WithName("SendInput")
            .WithSummary("Sends keyboard, pointer and touch events to the guest through the connector's vkbd device, in order; answers their sequence numbers")
            .Produces<InputAcceptedView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static IResult Post(int domId, int index, InputRequest body, SimulatedHostService host)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        try { return Results.Ok(View(domId, index, system.SendInput(domId, index, body.Events))); }
        catch (InputRejectedException e) { return ControlProblems.Invalid(e.Field, e.Rule); }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    /// <summary>The answer the API and the hub's SendInput give: the seqs of what the device took, and how many it refused.</summary>
    public static InputAcceptedView View(int domId, int index, Shared.Kbdif.Backend.KbdAcceptResult result)
    {
        long last = result.Seqs.LastOrDefault(s => s >= 0, -1);
        return new InputAcceptedView(domId, index, result.Accepted, result.FirstSeq, last, result.Seqs.Count(s => s < 0));
    }
}
