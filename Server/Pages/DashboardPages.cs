using Microsoft.AspNetCore.Http.HttpResults;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Server.Views;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Server.Pages;

/// <summary>The dashboard's pages, rendered on the server (static SSR); the live parts are dashboard.js over the hub.</summary>
public static class DashboardPages
{
    /// <summary>Newest trace entries the trace page is rendered with (the script adds the live ones).</summary>
    public const int TraceRowsRendered = 300;

    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (SimulatedHostService host, HttpContext http) => new RazorComponentResult<Overview>(new
        {
            Domains = DashboardViews.Domains(host.System),
            BackendState = BackendState(host.System),
            Role = RoleOf(http),
        }));

        app.MapGet("/domains/{domId:int}/connectors/{index:int}", IResult (int domId, int index, SimulatedHostService host, FrameStreamRegistry streams, HttpContext http) =>
        {
            var domains = DashboardViews.Domains(host.System);
            var domain = domains.FirstOrDefault(d => d.DomId == domId);
            var connector = domain?.Connectors.FirstOrDefault(c => c.Index == index);
            if (domain is null || connector is null) return NotFound(host.System, http, $"There is no connector {domId}/{index}.");
            return new RazorComponentResult<ConnectorPage>(new
            {
                Domain = domain,
                Connector = connector,
                BackendState = BackendState(host.System),
                Role = RoleOf(http),
                Workloads = WorkloadRenderers.Names,
                BufferLinks = BufferLinks(host.System),
                StreamMode = streams.ModeOf(domId, index).Mode.Name(),
                Input = RoleOf(http) == Roles.Operator ? InputMapOf(host.System) : null,
            });
        });

        app.MapGet("/domains/{domId:int}/buffers", IResult (int domId, SimulatedHostService host, HttpContext http) =>
            BufferViewBuilder.For(host.System, domId) is { } view
                ? new RazorComponentResult<BuffersPage>(new
                {
                    View = view,
                    BackendState = BackendState(host.System),
                    Role = RoleOf(http),
                    BufferLinks = BufferLinks(host.System),
                })
                : NotFound(host.System, http, $"There is no domain {domId} with a display device."));

        app.MapGet("/rings", (SimulatedHostService host, HttpContext http) => new RazorComponentResult<RingsPage>(new
        {
            Rings = RingViewBuilder.All(host.System),
            BackendState = BackendState(host.System),
            Role = RoleOf(http),
            BufferLinks = BufferLinks(host.System),
        }));

        app.MapGet("/trace", (SimulatedHostService host, HttpContext http) => new RazorComponentResult<TracePage>(new
        {
            Entries = new TraceQuery(-1, null, null, null, null, TraceRowsRendered).Run(host.System),
            Operations = Operations,
            BackendState = BackendState(host.System),
            Role = RoleOf(http),
            BufferLinks = BufferLinks(host.System),
        }));

        app.MapGet("/xenstore", (SimulatedHostService host, HttpContext http, string? path) =>
        {
            path = string.IsNullOrEmpty(path) ? "/" : path;
            XenStoreView? view = null;
            string? error = null;
            int status = 200;
            try
            {
                view = XenStoreViewBuilder.At(host.System, path);
                if (view is null) (error, status) = ($"{path} does not exist.", 404);
            }
            catch (Shared.Xen.XenStoreException e)
            {
                (error, status) = ($"{path} is not a XenStore path: {e.Message}", 400);
            }
            return new RazorComponentResult<XenStorePage>(new
            {
                Path = path,
                View = view,
                Error = error,
                BackendState = BackendState(host.System),
                Role = RoleOf(http),
                BufferLinks = BufferLinks(host.System),
            }) { StatusCode = status };
        });

        app.MapGet("/controls", (SimulatedHostService host, HttpContext http) =>
        {
            var system = host.System;
            var faults = system?.Backend.Faults;
            var state = new ControlsView(
                (int)(system?.Timeouts.Request.TotalMilliseconds ?? 0), (int)(system?.Timeouts.FrameDone.TotalMilliseconds ?? 0),
                (int)(faults?.ResponseDelay.TotalMilliseconds ?? 0), faults?.DropResponses ?? 0, faults?.DropFrameDone ?? 0, faults?.Paused ?? false,
                WorkloadRenderers.Names, Operations);
            return new RazorComponentResult<ControlsPage>(new
            {
                Domains = DashboardViews.Domains(system),
                State = state,
                BackendState = BackendState(system),
                Role = RoleOf(http),
                BufferLinks = BufferLinks(system),
            }) { StatusCode = RoleOf(http) == Roles.Operator ? 200 : 403 };
        });

        return app;
    }

    /// <summary>The request operations, by their displif names.</summary>
    public static readonly IReadOnlyList<string> Operations =
        Enum.GetValues<XendisplOp>().Select(op => Displif.OpName((byte)op)).ToList();

    /// <summary>"operator" or "viewer", from the claims the security middleware gives the request.</summary>
    public static string RoleOf(HttpContext http) => http.User.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Viewer;

    private static readonly IReadOnlyDictionary<string, int> BrowserKeys =
        LinuxInput.Keys.ToDictionary(k => k.Code, k => k.Keycode, StringComparer.Ordinal);

    /// <summary>What an operator's page captures input with: the browser's key and button names to Linux codes, and the limits.</summary>
    public static InputMap InputMapOf(SimulatedSystem? system) =>
        new(BrowserKeys, LinuxInput.MouseButtons, system?.KbdOptions.MtNumContacts ?? 0, InputLimits.MaxEventsPerBatch);

    private static string BackendState(SimulatedSystem? system) => system?.Backend.IsRunning == true ? "running" : "stopped";

    private static IReadOnlyList<int> BufferLinks(SimulatedSystem? system) => system?.Guests.Select(g => g.DomId).ToList() ?? [];

    private static IResult NotFound(SimulatedSystem? system, HttpContext http, string message) =>
        new RazorComponentResult<NotFoundPage>(new { Message = message, BackendState = BackendState(system), Role = RoleOf(http), BufferLinks = BufferLinks(system) })
        {
            StatusCode = 404,
        };
}
