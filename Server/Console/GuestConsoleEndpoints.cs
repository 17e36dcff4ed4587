using XenDisplayWeb.Server.Security;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Console;

/// <summary>
/// The guest console (operator only): act as a guest beside its own driver. Errors are ProblemDetails:
/// 400 with the field at fault (limits: <see cref="GuestSpecLimits"/>), 404 unknown domain/gref/connector, 409 conflicts, 504 when no response came.
/// </summary>
public static class GuestConsoleEndpoints
{
    public static IServiceCollection AddGuestConsole(this IServiceCollection services) =>
        services.AddSingleton<GuestConsoleHost>();

    public static RouteGroupBuilder MapGuestConsole(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/domains").AsOperatorControls("Guest console");

        api.MapPost("/", (CreateGuestRequest body, GuestConsoleHost host) => Run(host, console =>
        {
            var conns = body.Connectors ?? [];
            for (int i = 0; i < (body.Workloads?.Count ?? 0); i++)
                if (GuestSpecLimits.WorkloadProblem(body.Workloads![i]) is { } rule)
                    throw new GuestConsoleException(GuestConsoleError.Invalid, $"workloads[{i}] {rule}", $"workloads[{i}]");
            var specs = conns.Select((c, i) => new GuestConnector(c.Width, c.Height,
                c.UniqueId ?? $"console-{i}",
                c.Workload ?? body.Workloads?.ElementAtOrDefault(i) ?? "testpattern",
                c.FramesPerSecond ?? 60)).ToList();
            var guest = console.CreateGuest(body.Name ?? "", body.BeAlloc, specs);
            return Results.Created($"/api/domains/{guest.DomId}/backend", new GuestCreated(guest.DomId, guest.Spec.Name));
        }));

        api.MapDelete("/{domId:int}", (int domId, GuestConsoleHost host) => Run(host, console =>
        {
            console.DestroyGuest(domId);
            return Results.NoContent();
        }));

        api.MapPost("/{domId:int}/grants", (int domId, GrantPageRequest body, GuestConsoleHost host) => Run(host, console =>
        {
            var data = Base64(body.Data, "data", GuestConsole.MaxPageData);
            uint gref = console.GrantPage(domId, data, body.ReadOnly);
            return Results.Created($"/api/domains/{domId}/grants/{gref}", new GrantCreated(gref));
        }));

        api.MapPut("/{domId:int}/grants/{gref}", (int domId, uint gref, WritePageRequest body, GuestConsoleHost host) => Run(host, console =>
        {
            console.WritePage(domId, gref, Base64(body.Data, "data", GuestConsole.MaxPageData));
            return Results.NoContent();
        }));

        api.MapDelete("/{domId:int}/grants/{gref}", (int domId, uint gref, GuestConsoleHost host) => Run(host, console =>
        {
            console.EndGrant(domId, gref);
            return Results.NoContent();
        }));

        api.MapPost("/{domId:int}/connectors/{index:int}/requests", async (int domId, int index, InjectRequest body, GuestConsoleHost host, CancellationToken ct) =>
        {
            try
            {
                var packet = Base64(body.Packet, "packet", Shared.Displif.Displif.PacketSize);
                if (packet.Length != Shared.Displif.Displif.PacketSize)
                    throw new GuestConsoleException(GuestConsoleError.Invalid, $"packet is {packet.Length} bytes, not {Shared.Displif.Displif.PacketSize}", "packet");
                var r = await host.Console.SendRequestAsync(domId, index, packet, ct);
                return Results.Ok(new RequestAnswered(Convert.ToBase64String(r.Response), r.Status, r.ElapsedMs));
            }
            catch (GuestConsoleException e) { return Problem(e); }
        });

        api.MapPost("/{domId:int}/connectors/{index:int}/ring", async (int domId, int index, RingWriteRequest body, GuestConsoleHost host, CancellationToken ct) =>
        {
            try
            {
                await host.Console.WriteRingAsync(domId, index, new RingWrite(body.ReqProd, body.ReqEvent, body.RspEvent, body.InCons), ct);
                return Results.NoContent();
            }
            catch (GuestConsoleException e) { return Problem(e); }
        });

        api.MapGet("/{domId:int}/backend", (int domId, GuestConsoleHost host) => Run(host, console => Results.Ok(console.Backend(domId))));

        return api;
    }

    private static byte[] Base64(string? text, string field, int maxBytes)
    {
        if (text is null) throw new GuestConsoleException(GuestConsoleError.Invalid, $"{field} is missing", field);
        byte[] bytes;
        try { bytes = Convert.FromBase64String(text); }
        catch (FormatException) { throw new GuestConsoleException(GuestConsoleError.Invalid, $"{field} is not valid base64", field); }
        if (bytes.Length > maxBytes) throw new GuestConsoleException(GuestConsoleError.Invalid, $"{field} is {bytes.Length} bytes, at most {maxBytes}", field);
        return bytes;
    }

    private static IResult Run(GuestConsoleHost host, Func<GuestConsole, IResult> action)
    {
        try { return action(host.Console); }
        catch (GuestConsoleException e) { return Problem(e); }
    }

    private static IResult Problem(GuestConsoleException e) => e.Error switch
    {
        GuestConsoleError.Invalid when e.Field is { } field =>
            Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [e.Message] }, detail: e.Message),
        GuestConsoleError.Invalid => Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest),
        GuestConsoleError.NotFound => Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound),
        GuestConsoleError.Conflict => Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict),
        GuestConsoleError.Timeout => Results.Problem(e.Message, statusCode: StatusCodes.Status504GatewayTimeout, title: "No response from the backend"),
        _ => Results.Problem(e.Message),
    };
}
