using XenDisplayWeb.Shared.Xen;
using System.Collections.Concurrent;

namespace XenDisplayWeb.Shared.Tests.Xen;

/// <summary>Collects watch events so tests can wait for them with a bounded timeout.</summary>
internal sealed class WatchRecorder
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<WatchEvent> _events = [];

    public Action<string, string> Callback => (path, token) =>
        _events.Add(new WatchEvent(path, token, Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));

    public WatchEvent Next()
    {
        Assert.True(_events.TryTake(out var e, Timeout), "timed out waiting for a watch event");
        return e!;
    }

    /// <summary>Takes the next event and checks its path and token.</summary>
    public WatchEvent Expect(string path, string token)
    {
        var e = Next();
        Assert.Equal((path, token), (e.Path, e.Token));
        return e;
    }

    /// <summary>Takes events until one with <paramref name="token"/> arrives; returns those before it.</summary>
    public List<WatchEvent> UntilToken(string token)
    {
        var before = new List<WatchEvent>();
        while (true)
        {
            var e = Next();
            if (e.Token == token)
            {
                return before;
            }

            before.Add(e);
        }
    }

    /// <summary>
    /// Returns every event this connection had queued for the recorder before the call. It works
    /// because a new watch fires at once and events are delivered in order: when the barrier
    /// watch's initial event arrives, everything queued earlier has been delivered.
    /// </summary>
    public List<WatchEvent> Drain(IXenStore xs)
    {
        var token = "barrier-" + Guid.NewGuid().ToString("N");
        using (xs.Watch("/barrier/" + token, token, Callback))
        {
            return UntilToken(token);
        }
    }
}

internal sealed record WatchEvent(string Path, string Token, int ThreadId, string? ThreadName);
