using System.Globalization;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Xen;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>The displif device on the XenBus layer: what its state machine does that the protocol relies on.</summary>
public class FrontendHandlerTests
{
    private const int DomId = 40;

    [Fact]
    public void A_frontend_that_set_up_afresh_while_connected_is_served_on_its_new_pages_and_the_old_ones_are_let_go()
    {
        using var system = new SimulatedSystem(new RecordingSink());
        var dom = HandMadeFrontend.Publish(system, DomId, HandMadeFrontend.Good(1));
        var device = TestRig.WaitFor(() => system.Backend.Device(DomId) is { State: XenbusState.Connected } d ? d : null, "the device to connect");
        string p = $"{D.FrontendPath(DomId, 0)}/0";
        uint oldReq = uint.Parse(dom.Store.Read($"{p}/{D.Field.ReqRingRef}")!, CultureInfo.InvariantCulture);
        uint oldEvt = uint.Parse(dom.Store.Read($"{p}/{D.Field.EvtRingRef}")!, CultureInfo.InvariantCulture);
        dom.Store.WriteInt($"{D.FrontendPath(DomId, 0)}/{D.Field.State}", (int)XenbusState.Connected);
        TestRig.WaitUntil(() => device.FrontendState == XenbusState.Connected, "the backend to see the frontend Connected");

        // As a frontend that saw the backend restart: new pages and ports, published with Initialised in one
        // transaction, so the backend never sees it Initialising.
        var pages = dom.Memory.AllocatePages(2);
        uint req = dom.Grants.GrantForeignAccess(0, pages[0], readOnly: false), evt = dom.Grants.GrantForeignAccess(0, pages[1], readOnly: false);
        int reqPort = dom.Evtchn.AllocUnbound(0).Port, evtPort = dom.Evtchn.AllocUnbound(0).Port;
        Assert.True(dom.Store.TryCommitWithRetry(tx =>
        {
            dom.Store.Write($"{p}/{D.Field.ReqRingRef}", req.ToString(CultureInfo.InvariantCulture), tx);
            dom.Store.WriteInt($"{p}/{D.Field.ReqChannel}", reqPort, tx);
            dom.Store.Write($"{p}/{D.Field.EvtRingRef}", evt.ToString(CultureInfo.InvariantCulture), tx);
            dom.Store.WriteInt($"{p}/{D.Field.EvtChannel}", evtPort, tx);
            dom.Store.WriteInt($"{D.FrontendPath(DomId, 0)}/{D.Field.State}", (int)XenbusState.Initialised, tx);
            return true;
        }));

        TestRig.WaitUntil(() => device.Rings is [{ ReqRingRef: var r, EvtRingRef: var e }] && (r, e) == (req, evt), "the backend to serve the new pages");
        Assert.Equal(XenbusState.Connected, device.State);
        Assert.Equal(2, system.Host.Dom0.MappingsOf(DomId));
        Assert.True(dom.Grants.TryEndForeignAccess(oldReq));
        Assert.True(dom.Grants.TryEndForeignAccess(oldEvt));
    }
}
