using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>Views as the server builds them for the demo guests.</summary>
internal static class Samples
{
    public static DomainView Guest1 => new(1, "guest1", "Connected", false,
    [
        new ConnectorView(0, 1920, 1080, "guest1-hdmi", "desktop", "Connected", true, 120, 60),
        new ConnectorView(1, 1024, 768, "guest1-vga", "testpattern", "Connected", false, 7, 29.5),
    ], "Connected");

    public static DomainView Guest2 => new(2, "guest2", "Reconfiguring", true,
        [new ConnectorView(0, 1280, 720, "guest2-dp", "motion", "Closed", false, 0, 60)], "Closed", "connector 0: req_prod 99 is more than 32 ahead");

    public static IReadOnlyList<uint> Range(uint first, int count) => Enumerable.Range(0, count).Select(i => first + (uint)i).ToList();

    public static DomainBuffersView Buffers => new(1, "guest1", false, "Connected",
    [
        new DbufView("0xffff88800200", 1920, 1080, 32, 8294400, 0, "frontend", 2027, [2037, 2038], Range(10, 2025), 2025, ["0xffff88800500"], "zero-copy", 2, 0.25),
        new DbufView("0xffff88800300", 1024, 768, 32, 3145728, 0, "frontend", 769, [2807], Range(3000, 768), 768, ["0xffff88800700"], "copy", 1),
    ],
    [
        new FbView("0xffff88800500", "0xffff88800200", 1920, 1080, "XR24", 32, 7680, [0]),
        new FbView("0xffff88800700", "0xffff88800300", 1024, 768, "XR24", 32, 4096, []),
    ], ZeroCopy: false, ReleaseWaits: [new ReleaseWaitView("0xffff88800200", 0.25, 0), new ReleaseWaitView("0xffff88800900", 2000, -110)]);
}
