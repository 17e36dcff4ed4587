using Microsoft.AspNetCore.SignalR;
using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Hubs;

/// <summary>Live frames: Watch, WatchWith, KeyFrame, Unwatch and Ack (see docs/dashboard-contract.md).</summary>
public sealed partial class DashboardHub
{
    /// <summary>
    /// Starts sending this connector's frames to the caller, a full frame first; answers its size. A connector
    /// between two backend cycles is watched all the same: its frames come once it shows again.
    /// </summary>
    public WatchResult Watch(int domId, int index) =>
        WatchWith(domId, index, WatchOptions.Full);

    /// <summary>As <see cref="Watch"/>, at most <see cref="WatchOptions.MaxWidth"/> x <see cref="WatchOptions.MaxHeight"/> and with the video codecs the page can present.</summary>
    public WatchResult WatchWith(int domId, int index, WatchOptions options) =>
        (streams.Known(domId, index) ?? throw new HubException($"no connector {domId}/{index}")).AddViewer(Context.ConnectionId, options ?? WatchOptions.Full);

    /// <summary>The caller's decoder wants a key frame (it failed, or starts over): the next video chunk it gets is one.</summary>
    public void KeyFrame(int domId, int index) =>
        streams.Known(domId, index)?.RequestKeyFrame(Context.ConnectionId);

    public void Unwatch(int domId, int index) =>
        streams.Known(domId, index)?.RemoveViewer(Context.ConnectionId);

    /// <summary>
    /// The caller has drawn frame <paramref name="frameId"/> of this connector. Taken between backend cycles too:
    /// a lost acknowledgement would keep the viewer's window shut for good.
    /// </summary>
    public void Ack(int domId, int index, long frameId) =>
        streams.Known(domId, index)?.Ack(Context.ConnectionId, frameId);
}
