using XenDisplayWeb.Client.Services;
using XenDisplayWeb.Server.Views;

namespace XenDisplayWeb.Server.Events;

public static class EventsExtensions
{
    /// <summary>The hosted service that pushes Topology, Trace and Buffers through the dashboard hub.</summary>
    public static IServiceCollection AddDashboardEvents(this IServiceCollection services) =>
        services.AddHostedService<DashboardEventsService>();

    /// <summary>The interactive pages' feed of the core's state and events (one, hosted for its timer).</summary>
    public static IServiceCollection AddDashboardFeed(this IServiceCollection services) =>
        services.AddScoped<NotFoundReason>()
            .AddSingleton<DashboardFeed>()
            .AddSingleton<IDashboardFeed>(sp => sp.GetRequiredService<DashboardFeed>())
            .AddHostedService(sp => sp.GetRequiredService<DashboardFeed>());
}
