using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// What the backend holds for one connector while it serves it: forwards to the connector's stream,
/// which outlives it (viewers keep watching across a backend or frontend restart).
/// </summary>
internal sealed class ConnectorSink(ConnectorStream stream) : IDisplaySink
{
    private int _disposed;

    public void ShowFrame(in ScanoutView frame)
    {
        if (Volatile.Read(ref _disposed) == 0) stream.Show(frame);
    }

    public void Blank()
    {
        if (Volatile.Read(ref _disposed) == 0) stream.Blank();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) stream.Detach();
    }
}
