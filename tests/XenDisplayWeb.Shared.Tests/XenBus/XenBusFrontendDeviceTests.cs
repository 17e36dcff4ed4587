using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Tests.Kbdif.Backend;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Tests.XenBus;

/// <summary>The guest half of the XenBus state machine as every frontend driver gets it.</summary>
public class XenBusFrontendDeviceTests
{
    [Fact]
    public void A_halted_frontend_lets_go_of_its_page_without_a_word_to_the_backend_and_a_later_dispose_says_nothing_either()
    {
        using var rig = new KbdRig();
        var (front, _) = rig.AddGuest(1);
        using var xs = rig.Host.Store.Connect(0);
        string state = $"{XenBusPaths.FrontendPath(Shared.Kbdif.Kbdif.DriverName, 1, 0)}/{XenBusPaths.Field.State}";

        front.Halt();

        Assert.Equal(XenbusState.Closed, front.State);
        Assert.Null(front.PageGref);
        Assert.Equal(1, front.DeferredPages); // the backend, told nothing, still maps it
        Assert.Equal((int)XenbusState.Connected, xs.ReadInt(state));
        front.Dispose();
        Assert.Equal((int)XenbusState.Connected, xs.ReadInt(state));
    }
}
