using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Server.Hubs;

/// <summary>
/// What each hub connection holds down on each connector's guest: the keys, buttons and touch contacts it pressed
/// and has not released. When the connection goes (a page closed, a network lost mid-press) they are released to
/// the guest, as a remote console does, so no key stays stuck in it.
/// </summary>
public sealed class HeldInput(SimulatedHostService host, ILogger<HeldInput> logger)
{
    private readonly object _lock = new();
    private readonly Dictionary<(string Connection, int DomId, int Index), Held> _held = [];

    private sealed class Held
    {
        public readonly HashSet<uint> Keys = [];
        public readonly HashSet<byte> Contacts = [];
        public bool Empty => Keys.Count == 0 && Contacts.Count == 0;
    }

    /// <summary>Notes the presses and releases the guest was given (<paramref name="seqs"/>[i] &lt; 0: refused, not given).</summary>
    public void Note(string connection, int domId, int index, IReadOnlyList<InputEventSpec?> events, IReadOnlyList<long> seqs)
    {
        lock (_lock)
        {
            var key = (connection, domId, index);
            if (!_held.TryGetValue(key, out var held)) held = new Held();
            for (int i = 0; i < events.Count && i < seqs.Count; i++)
            {
                if (seqs[i] < 0 || events[i] is not { } e) continue;
                switch (e.Type, e.Event)
                {
                    case ("key", _) when e.Code is { } code:
                        if (e.Pressed == true) held.Keys.Add((uint)code); else held.Keys.Remove((uint)code);
                        break;
                    case ("mtouch", "down") when e.Contact is { } c:
                        held.Contacts.Add((byte)c);
                        break;
                    case ("mtouch", "up") when e.Contact is { } c:
                        held.Contacts.Remove((byte)c);
                        break;
                }
            }
            if (held.Empty) _held.Remove(key); else _held[key] = held;
        }
    }

    /// <summary>The connection went: releases everything it still held, connector by connector.</summary>
    public void ReleaseAll(string connection)
    {
        List<((string, int DomId, int Index) Key, Held Held)> gone;
        lock (_lock)
        {
            gone = _held.Where(kv => kv.Key.Connection == connection).Select(kv => (kv.Key, kv.Value)).ToList();
            foreach (var (key, _) in gone) _held.Remove(key);
        }
        if (host.System is not { } system) return;
        foreach (var ((_, domId, index), held) in gone)
        {
            var releases = new List<IXenkbdInEvent>();
            releases.AddRange(held.Keys.Select(code => (IXenkbdInEvent)new XenkbdKey(false, code)));
            foreach (byte contact in held.Contacts)
            {
                releases.Add(XenkbdMtouch.Up(contact));
                releases.Add(XenkbdMtouch.Syn(contact));
            }
            try
            {
                var result = system.SendInput(domId, index, releases);
                logger.LogInformation("Connection {Connection} went holding {Count} keys and contacts on {DomId}/{Index}: {Released} released",
                    connection, held.Keys.Count + held.Contacts.Count, domId, index, result.Accepted);
            }
            catch (ControlException e)
            {
                logger.LogInformation("Connection {Connection} went holding input on {DomId}/{Index}, not released: {Reason}", connection, domId, index, e.Message);
            }
        }
    }
}
