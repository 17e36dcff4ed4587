using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// A sink that reads every shown frame out of the guest's pages (as a real one would) and counts frames.
/// Given the backend, it also checks that the dbuf a frame is read from stays alive while it reads: its
/// buffer object referenced and mapped, or its backend-allocated pages not freed.
/// </summary>
public sealed class ReadingSink : IDisplaySinkFactory
{
    private readonly ConcurrentDictionary<ConnectorKey, Screen> _screens = new();

    /// <summary>The backend whose stores the frames' dbufs are looked up in; null: frames are only read.</summary>
    public Func<DisplayBackend>? Backend { get; set; }

    /// <summary>Told when a frame was read from pages the backend let go of while the sink read them.</summary>
    public Action<ConnectorKey, string>? ReadAfterFree { get; set; }

    /// <summary>Connectors whose frames are held a little after the copy, as an encoder would: a slow reader.</summary>
    public Func<ConnectorKey, bool>? SlowReader { get; set; }

    /// <summary>Frames shown on the connector since it (last) connected; 0 once it is gone.</summary>
    public long Frames(ConnectorKey key) => _screens.TryGetValue(key, out var s) ? s.Frames : 0;

    /// <summary>A new screen each time the connector connects: a domain id may be given to a new guest.</summary>
    public IDisplaySink Create(ConnectorKey connector, int width, int height) => _screens[connector] = new Screen(this, connector);

    /// <summary>The dbuf the frame's pages belong to, found in its device's store (zero copy reads them in place); null when not there.</summary>
    private DisplayBuffer? DbufOf(ConnectorKey key, ReadOnlyMemory<byte>[] pages) =>
        Backend?.Invoke().Device(key.DomId, key.DevId)?.Buffers.Dbufs.FirstOrDefault(d => ReferenceEquals(d.Pages, pages));

    /// <summary>Why the dbuf's pages are no longer the backend's to read; null while they are.</summary>
    private static string? Gone(DisplayBuffer dbuf) =>
        dbuf.BufferObject is { } bo
            ? bo.References <= 0 || bo.MappedPages < dbuf.Pages.Length ? $"its buffer object has {bo.References} references and maps {bo.MappedPages} of {dbuf.Pages.Length} pages" : null
            : dbuf.Import is { Released: true } ? "its backend-allocated pages were freed" : null;

    private sealed class Screen(ReadingSink owner, ConnectorKey key) : IDisplaySink
    {
        private byte[] _copy = [];
        private long _frames;
        public long Frames => Interlocked.Read(ref _frames);

        public void ShowFrame(in ScanoutView frame)
        {
            var dbuf = owner.DbufOf(key, frame.Pages);
            int size = frame.RowBytes * frame.Height;
            lock (this)
            {
                if (_copy.Length < size) _copy = new byte[size];
                frame.CopyTo(_copy, frame.RowBytes);
            }
            if (dbuf is not null)
            {
                if (owner.SlowReader?.Invoke(key) == true) Thread.Sleep(1); // an encoder still reading the frame
                if (Gone(dbuf) is { } why)
                    owner.ReadAfterFree?.Invoke(key, $"{key}: a frame of dbuf {PacketDecoder.Hex(dbuf.Cookie)} was read while {why}");
            }
            Interlocked.Increment(ref _frames);
        }

        public void Blank() { }

        public void Dispose() => owner._screens.TryRemove(new KeyValuePair<ConnectorKey, Screen>(key, this));
    }
}
