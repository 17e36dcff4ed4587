namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Delivers a stream's messages to one viewer connection. Must not block: the hub implementation queues
/// the send and returns; at most <see cref="StreamingOptions.MaxInFlight"/> frames per viewer are outstanding.
/// </summary>
public interface IFrameSender
{
    void SendFrame(string connectionId, FrameMessage frame);
    void SendBlank(string connectionId, BlankMessage blank);
}
