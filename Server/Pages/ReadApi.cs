using System.Text;
using System.Text.Json;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Views;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Server.Pages;

/// <summary>The dashboard's read-only API: buffers, rings, trace and XenStore (viewer role).</summary>
public static class ReadApi
{
    /// <summary>Most trace entries one call returns (the newest of those that match).</summary>
    public const int MaxTraceEntries = 8192;

    public static IEndpointRouteBuilder MapReadApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/domains/{domId:int}/buffers", (int domId, SimulatedHostService host) =>
            BufferViewBuilder.For(host.System, domId) is { } view
                ? Results.Ok(view)
                : NoDomain(domId));

        app.MapGet("/api/viewers", (Security.TokenSessions sessions, Hubs.HubConnections hub) => Results.Ok(new Client.Contract.ViewersView(sessions.CircuitCount, hub.Count)));

        app.MapGet("/api/rings", (SimulatedHostService host) => Results.Ok(RingViewBuilder.All(host.System)));

        app.MapGet("/api/trace", (SimulatedHostService host, long? after, int? domId, int? devId, int? connector, string? op, string? kind, int? limit) =>
        {
            if (TraceQuery.Create(after, domId, connector, op, kind, limit ?? MaxTraceEntries, MaxTraceEntries, devId) is not { } query)
                return Results.Problem(statusCode: 400, title: "Bad trace filter",
                    detail: $"kind must be one of {string.Join(", ", TraceQuery.Kinds)} and limit 1..{MaxTraceEntries}");
            return Results.Ok(query.Run(host.System));
        });

        app.MapGet("/api/trace.jsonl", (SimulatedHostService host, HttpContext http) =>
        {
            var entries = TraceQuery.All.Run(host.System);
            var text = new StringBuilder();
            foreach (var e in entries) text.Append(JsonSerializer.Serialize(e, JsonSerializerOptions.Web)).Append('\n');
            http.Response.Headers.ContentDisposition = "attachment; filename=\"trace.jsonl\"";
            return Results.Text(text.ToString(), "application/jsonl; charset=utf-8");
        });

        app.MapGet("/api/xenstore", (SimulatedHostService host, string? path) =>
        {
            path ??= "/";
            try
            {
                return XenStoreViewBuilder.At(host.System, path) is { } view
                    ? Results.Ok(view)
                    : Results.Problem(statusCode: 404, title: "No such XenStore node", detail: $"{path} does not exist");
            }
            catch (XenStoreException e)
            {
                return Results.Problem(statusCode: 400, title: "Bad XenStore path", detail: e.Message);
            }
        });

        return app;
    }

    internal static IResult NoDomain(int domId) =>
        Results.Problem(statusCode: 404, title: "No such domain", detail: $"domain {domId} has no display device");
}
