using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Delivers a stream's messages to one viewer connection. Must not block: the hub implementation queues
/// the send and returns.
/// </summary>
public interface IFrameSender
{
    void SendFrame(string connectionId, FrameMessage frame);
    void SendBlank(string connectionId, BlankMessage blank);

    /// <summary>
    /// Whether the connection has taken (nearly) all it was sent: a viewer that does not read its socket is
    /// owed nothing new until it does, whatever it acknowledges.
    /// </summary>
    bool CanSend(string connectionId) => true;
}
