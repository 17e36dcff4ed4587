using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Client.Contract;

/// <summary>
/// Every method a page may call on the hub (<c>/hubs/dashboard</c>), as it goes over the wire: the hub implements it,
/// and the pages' TypeScript is typed by it (docs/dashboard-contract.md). A refusal comes back as a HubException.
/// </summary>
public interface IDashboardHub
{
    /// <summary>Joins a topic: "topology" (joined on connect), "trace", "buffers" or "stats".</summary>
    void Subscribe(string topic);

    /// <summary>Starts sending this connector's frames to the caller, a full frame first; answers its size.</summary>
    WatchResult Watch(int domId, int index);

    /// <summary>As <c>Watch</c>, at most <c>maxWidth</c> x <c>maxHeight</c> and with the video codecs the page can present.</summary>
    WatchResult WatchWith(int domId, int index, WatchOptions options);

    /// <summary>The caller's decoder wants a key frame: the next video chunk it gets is one.</summary>
    void KeyFrame(int domId, int index);

    /// <summary>Stops sending this connector's frames to the caller.</summary>
    void Unwatch(int domId, int index);

    /// <summary>The caller has drawn frame <paramref name="frameId"/> of this connector.</summary>
    void Ack(int domId, int index, long frameId);

    /// <summary>An operator's input for a connector's guest, in order (a viewer's call is refused).</summary>
    InputAcceptedView SendInput(int domId, int index, InputEventSpec?[] events);
}
