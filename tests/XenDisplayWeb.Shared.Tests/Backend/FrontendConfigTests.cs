using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Tests.Host;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>
/// The connector configuration a guest writes in its frontend directory (guest-writable on real Xen) is held
/// to displif's limits: a device that breaks one is refused with the rule in its reason, before anything is
/// mapped for it, and the other guests are served as before.
/// </summary>
public class FrontendConfigTests
{
    private const int HostileDomId = 40;

    public static TheoryData<string, WrittenConnector[], string> Refused => new()
    {
        { "'01' beside '1'", [.. HandMadeFrontend.Good(2), new WrittenConnector("01")], "connector '01'" },
        { "too many connectors", HandMadeFrontend.Good(D.MaxConnectors + 1), $"{D.MaxConnectors + 1} connectors, at most {D.MaxConnectors}" },
        { "an index past the last", [new WrittenConnector("0"), new WrittenConnector("4")], "connector '4'" },
        { "a non-canonical index", [new WrittenConnector("00")], "connector '00'" },
        { "a gap", [new WrittenConnector("0"), new WrittenConnector("2")], "without a gap" },
        { "no connector 0", [new WrittenConnector("1")], "without a gap" },
        { "too wide", [new WrittenConnector("0", Resolution: $"{D.MaxWidth + 1}x1080")], $"resolution '{D.MaxWidth + 1}x1080'" },
        { "too tall", [new WrittenConnector("0", Resolution: $"1920x{D.MaxHeight + 1}")], $"resolution '1920x{D.MaxHeight + 1}'" },
        { "a zero width", [new WrittenConnector("0", Resolution: "0x48")], "resolution '0x48'" },
        { "a resolution with a leading zero", [new WrittenConnector("0", Resolution: "064x48")], "resolution '064x48'" },
        { "no resolution", [new WrittenConnector("0", Resolution: null)], "resolution (absent)" },
        { "a unique-id too long", [new WrittenConnector("0", UniqueId: new string('u', D.MaxUniqueIdLength + 1))], "unique-id 'uuuu" },
        { "a unique-id with a slash", [new WrittenConnector("0", UniqueId: "a/b")], "unique-id 'a/b'" },
        { "a unique-id twice", [new WrittenConnector("0", UniqueId: "same"), new WrittenConnector("1", UniqueId: "same")], "connector 1: unique-id 'same' is connector 0's too" },
        { "grant reference 0", [new WrittenConnector("0", ReqRingRef: "0")], "req-ring-ref '0' is not a grant reference" },
        { "a negative grant reference", [new WrittenConnector("0", ReqRingRef: "-1")], "req-ring-ref '-1' is not a grant reference" },
        { "a grant reference past uint32", [new WrittenConnector("0", ReqRingRef: "4294967296")], "req-ring-ref '4294967296'" },
        { "port 0", [new WrittenConnector("0", ReqPort: "0")], "req-event-channel '0' is not an event channel port" },
        { "a port with a sign", [new WrittenConnector("0", ReqPort: "+3")], "req-event-channel '+3'" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_configuration_displif_does_not_allow_refuses_the_device_with_the_rule_and_the_other_guest_keeps_flipping(string rule, WrittenConnector[] connectors, string reason)
    {
        using var system = new SimulatedSystem(new RecordingSink());
        var good = new GuestConsole(system).CreateGuest("good", false, [new GuestConnector(64, 48, "g0", "motion", 200)]);
        TestRig.WaitUntil(() => system.Backend.Device(good.DomId)?.Connectors.FirstOrDefault()?.FramesShown > 2, "the good guest to flip");

        HandMadeFrontend.Publish(system, HostileDomId, connectors);

        var device = TestRig.WaitFor(() => system.Backend.Device(HostileDomId) is { State: XenbusState.Closing } d ? d : null, $"the device with {rule} to be refused");
        Assert.Contains(reason, device.MisbehavingReason);
        Assert.StartsWith("configuration refused: ", device.MisbehavingReason);
        Assert.Contains(system.Trace.Snapshot(), e => e.DomId == HostileDomId && e.Kind == TraceKind.Note && e.Text.Contains(reason, StringComparison.Ordinal));
        Assert.Empty(device.Connectors);
        Assert.Equal(0, system.Host.Dom0.MappingsOf(HostileDomId));

        long shown = system.Backend.Device(good.DomId)!.Connectors[0].FramesShown;
        TestRig.WaitUntil(() => system.Backend.Device(good.DomId)!.Connectors[0].FramesShown > shown + 5, "the good guest to keep flipping");
        Assert.Equal(XenbusState.Connected, system.Backend.Device(good.DomId)!.State);
    }

    [Fact]
    public void A_hand_made_frontend_within_the_limits_is_served()
    {
        using var system = new SimulatedSystem(new RecordingSink());

        HandMadeFrontend.Publish(system, HostileDomId, [.. HandMadeFrontend.Good(D.MaxConnectors - 1), new WrittenConnector("3", Resolution: $"{D.MaxWidth}x{D.MaxHeight}", UniqueId: new string('u', D.MaxUniqueIdLength))]);

        var device = TestRig.WaitFor(() => system.Backend.Device(HostileDomId) is { State: XenbusState.Connected } d ? d : null, "the device to connect");
        Assert.Null(device.MisbehavingReason);
        Assert.Equal([0, 1, 2, 3], device.Connectors.Select(c => c.Index));
        Assert.Equal((D.MaxWidth, D.MaxHeight), (device.Connectors[3].Width, device.Connectors[3].Height));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("02")]
    public void A_protocol_version_the_backend_does_not_offer_is_refused(string version)
    {
        using var system = new SimulatedSystem(new RecordingSink());

        HandMadeFrontend.Publish(system, HostileDomId, HandMadeFrontend.Good(1), version);

        var device = TestRig.WaitFor(() => system.Backend.Device(HostileDomId) is { State: XenbusState.Closing } d ? d : null, "the device to be refused");
        Assert.Contains($"version '{version}'", device.MisbehavingReason);
    }
}
