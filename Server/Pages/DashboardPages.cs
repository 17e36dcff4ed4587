using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Server.Pages;

/// <summary>The dashboard's pages and the lists they offer (operations, the input map).</summary>
public static class DashboardPages
{
    /// <summary>The pages' services: Blazor Server circuits under the request's user (Security counts and ends them).</summary>
    public static IServiceCollection AddDashboardPages(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>The dashboard's pages: Razor components in the Client library, interactive over a Blazor circuit.</summary>
    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder app)
    {
        // The security headers already say frame-ancestors 'none' (one CSP, not two).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    /// <summary>The request operations, by their displif names.</summary>
    public static readonly IReadOnlyList<string> Operations =
        Enum.GetValues<XendisplOp>().Select(op => Displif.OpName((byte)op)).ToList();

    /// <summary>What the trace page's op filter offers: the displif requests, its event, XenBus notes, and the kbdif input events and backlog notes.</summary>
    public static readonly IReadOnlyList<string> TraceOperations =
    [
        .. Operations, "EVT_PG_FLIP", "XENBUS",
        .. Enum.GetValues<XenkbdType>().Where(t => t != XenkbdType.Reserved).Select(EventText.Operation), KbdDevice.BacklogOperation,
    ];

    private static readonly IReadOnlyDictionary<string, int> BrowserKeys =
        LinuxInput.Keys.ToDictionary(k => k.Code, k => k.Keycode, StringComparer.Ordinal);

    /// <summary>What an operator's page captures input with: the browser's key and button names to Linux codes, and the limits.</summary>
    public static InputMap InputMapOf(SimulatedSystem? system) =>
        new(BrowserKeys, LinuxInput.MouseButtons, system?.KbdOptions.MtNumContacts ?? 0, InputLimits.MaxEventsPerBatch);
}
