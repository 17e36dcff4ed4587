using System.Globalization;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Host;

/// <summary>A connector as a hand-made frontend writes it: its directory's name and the fields that differ from a good one (null: left out).</summary>
public sealed record WrittenConnector(string Name, string? Resolution = "64x48", string? UniqueId = null, string? ReqRingRef = null, string? ReqPort = null);

/// <summary>
/// A frontend written by hand, as a guest with a kernel of its own could write it (the frontend directory is
/// guest-writable on real Xen): per connector a request ring page and an event page granted to dom0, two ports
/// open for dom0, and the nodes; then Initialised. No driver runs behind it.
/// </summary>
public static class HandMadeFrontend
{
    public static WrittenConnector[] Good(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new WrittenConnector(i.ToString(CultureInfo.InvariantCulture)))];

    public static SimDomain Publish(SimulatedSystem system, int domId, IReadOnlyList<WrittenConnector> connectors, string? version = "2")
    {
        var dom = system.Host.CreateDomain(domId, "hand-made");
        system.Toolstack.AddDisplay(domId, 0, false, [new ConnectorSpec(64, 48, "toolstack")]);
        string fe = D.FrontendPath(domId, 0);
        var xs = dom.Store;
        xs.Remove($"{fe}/0");
        foreach (var c in connectors)
        {
            string p = $"{fe}/{c.Name}";
            var pages = dom.Memory.AllocatePages(2);
            string Gref(int i) => dom.Grants.GrantForeignAccess(DomId.Dom0, pages[i], readOnly: false).ToString(CultureInfo.InvariantCulture);
            string Port() => dom.Evtchn.AllocUnbound(DomId.Dom0).Port.ToString(CultureInfo.InvariantCulture);
            Write(xs, $"{p}/{D.Field.Resolution}", c.Resolution);
            Write(xs, $"{p}/{D.Field.UniqueId}", c.UniqueId ?? $"u{c.Name}");
            Write(xs, $"{p}/{D.Field.ReqRingRef}", c.ReqRingRef ?? Gref(0));
            Write(xs, $"{p}/{D.Field.ReqChannel}", c.ReqPort ?? Port());
            Write(xs, $"{p}/{D.Field.EvtRingRef}", Gref(1));
            Write(xs, $"{p}/{D.Field.EvtChannel}", Port());
        }
        Write(xs, $"{fe}/{D.Field.FeVersion}", version);
        xs.WriteInt($"{fe}/{D.Field.State}", (int)XenbusState.Initialised);
        return dom;
    }

    private static void Write(IXenStore xs, string path, string? value)
    {
        if (value is not null) xs.Write(path, value);
    }
}
