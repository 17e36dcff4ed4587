using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace XenDisplayWeb.Server.Hubs;

public static class HubServiceCollectionExtensions
{
    /// <summary>
    /// The dashboard hub: SignalR with the JSON and the MessagePack protocols (pages use MessagePack, so frame
    /// payloads travel as bytes), the connections' topics and the per-connection outbox.
    /// </summary>
    public static IServiceCollection AddDashboardHub(this IServiceCollection services)
    {
        services.AddSignalR().AddMessagePackProtocol(o => o.SerializerOptions = MessagePackSerializerOptions.Standard
            .WithResolver(CompositeResolver.Create(
                [IsoDateTimeOffsetFormatter.Instance],
                [DynamicEnumAsStringResolver.Instance, ContractlessStandardResolver.Instance]))
            .WithSecurity(MessagePackSecurity.UntrustedData));
        services.AddSingleton<HubConnections>();
        services.AddSingleton<HubOutbox>();
        services.AddSingleton<HeldInput>();
        return services;
    }

    /// <summary>Times go out as ISO 8601 strings in MessagePack too, as they do in JSON.</summary>
    private sealed class IsoDateTimeOffsetFormatter : IMessagePackFormatter<DateTimeOffset>
    {
        public static readonly IsoDateTimeOffsetFormatter Instance = new();

        public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options) =>
            writer.Write(value.ToString("O"));

        public DateTimeOffset Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            DateTimeOffset.Parse(reader.ReadString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
