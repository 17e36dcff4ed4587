namespace XenDisplayWeb.Server.Events;

public static class EventsExtensions
{
    /// <summary>The hosted service that pushes Topology, Trace and Buffers through the dashboard hub.</summary>
    public static IServiceCollection AddDashboardEvents(this IServiceCollection services) =>
        services.AddHostedService<DashboardEventsService>();
}
