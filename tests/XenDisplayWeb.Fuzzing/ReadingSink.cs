using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Fuzzing;

/// <summary>A sink that reads every shown frame out of the guest's pages (as a real one would) and counts frames.</summary>
public sealed class ReadingSink : IDisplaySinkFactory
{
    private readonly ConcurrentDictionary<ConnectorKey, Screen> _screens = new();

    public long Frames(ConnectorKey key) => _screens.TryGetValue(key, out var s) ? s.Frames : 0;

    public IDisplaySink Create(ConnectorKey connector, int width, int height) => _screens.GetOrAdd(connector, _ => new Screen());

    private sealed class Screen : IDisplaySink
    {
        private byte[] _copy = [];
        private long _frames;
        public long Frames => Interlocked.Read(ref _frames);

        public void ShowFrame(in ScanoutView frame)
        {
            int size = frame.RowBytes * frame.Height;
            lock (this)
            {
                if (_copy.Length < size) _copy = new byte[size];
                frame.CopyTo(_copy, frame.RowBytes);
            }
            Interlocked.Increment(ref _frames);
        }

        public void Blank() { }
        public void Dispose() { }
    }
}
