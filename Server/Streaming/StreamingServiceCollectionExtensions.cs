using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    /// <summary>Frame streaming: the "Streaming" settings (validated at start), the sink factory, the hub sender and the stats.</summary>
    public static IServiceCollection AddFrameStreaming(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StreamingOptions>, StreamingOptionsValidator>();
        services.AddSingleton<IFrameSender>(sp => sp.GetRequiredService<HubOutbox>());
        services.AddSingleton<IVideoEncoderFactory>(sp => new X264EncoderFactory(sp.GetRequiredService<ILogger<X264EncoderFactory>>()));
        services.AddSingleton(sp =>
        {
            var outbox = sp.GetRequiredService<HubOutbox>();
            var registry = new FrameStreamRegistry(sp.GetRequiredService<IOptions<StreamingOptions>>(), outbox,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<HubConnections>(),
                video: sp.GetRequiredService<IVideoEncoderFactory>());
            outbox.Drained += registry.OnDrained;
            return registry;
        });
        services.AddSingleton<IDisplaySinkFactory>(sp => sp.GetRequiredService<FrameStreamRegistry>());
        services.AddSingleton<FrameStatsPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameStatsPublisher>());
        return services;
    }
}
