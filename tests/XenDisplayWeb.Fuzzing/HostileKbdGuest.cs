using System.Buffers.Binary;
using System.Globalization;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// A guest that sets its vkbd device up by hand with nodes chosen to be wrong (page-gref missing, garbage, 0,
/// huge, read-only, ended, only the obsolete page-ref; event-channel bogus; request-* garbage), then writes
/// whatever it likes: ring indices, random bytes, out events, XenBus states, kicks, and tries to end its grant.
/// Its shared page sits between two canary pages, granted to dom0 too and never written: the backend may
/// write only in_prod, out_cons and the in ring's slots; every other byte of the page is the guest's, and a
/// copy of what it wrote there (<see cref="Untouched"/>) shows any write of the backend outside its part.
/// </summary>
internal sealed class HostileKbdGuest
{
    private static readonly TimeSpan InitWaitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The page's bytes only the frontend writes: in_cons, out_prod up to the in ring, and from the in ring's end to the page's.</summary>
    private static readonly (int Start, int End)[] GuestOwned =
        [(XenkbdPage.InConsOffset, XenkbdPage.InConsOffset + 4), (XenkbdPage.OutProdOffset, Kbdif.InRingOffs), (Kbdif.InRingOffs + Kbdif.InRingLen * Kbdif.InEventSize, XenPage.Size)];

    private readonly Random _rng;
    private readonly SharedPage[] _pages; // canary, page, canary: adjacent here
    private readonly byte[][] _canaries;
    private readonly byte[] _shadow = new byte[XenPage.Size];
    private readonly string _fe;
    private string _state = "";
    private int _wrongOdds;

    private HostileKbdGuest(SimDomain dom, Random rng)
    {
        Dom = dom;
        _rng = rng;
        _fe = XenBusPaths.FrontendPath(Kbdif.DriverName, dom.DomId, 0);
        _pages = dom.Gntshr.Share(DomId.Dom0, 3, readOnly: false);
        _canaries = [Fill(_pages[0]), Fill(_pages[2])];
        Evtchn = dom.Evtchn.AllocUnbound(DomId.Dom0);
    }

    public SimDomain Dom { get; }
    public int FrontDomId => Dom.DomId;
    public EventChannel Evtchn { get; }
    public SharedPage Page => _pages[1];
    public const string ValidNodes = "valid nodes";

    /// <summary>What was wrong with its nodes, or <see cref="ValidNodes"/>.</summary>
    public string Setup { get; private set; } = "";

    /// <summary>
    /// This round the guest breaks no rule once set up: it consumes, writes in_cons within the ring, out events
    /// that fit, bytes outside the indices, and kicks. With valid nodes, its device must stay connected.
    /// </summary>
    public bool Gentle { get; private set; }

    /// <summary>Destroyed: the page stays readable here (dom0 may still map it), nothing is written any more.</summary>
    public bool Gone { get; set; }

    /// <summary>Whether the guest wrote over out_cons, the backend's copy of its out ring index: the page no longer tells where the backend reads.</summary>
    public bool OutConsForged { get; private set; }

    /// <summary>The state node as last written, as the backend reads it.</summary>
    public XenbusState StateWritten => int.TryParse(_state, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? (XenbusState)s : XenbusState.Unknown;

    /// <summary>A domain with a vkbd device, once the backend waits for it; its nodes written, some of them wrong. Null if the backend never got to InitWait (reported).</summary>
    public static HostileKbdGuest? Create(KbdWorld world, Random rng, Action<string> invariant)
    {
        var dom = world.Host.CreateDomain("hostile-kbd");
        world.Modes.Modes[dom.DomId] = new KbdMode(rng.Next(2) == 0 ? 0 : rng.Next(1, 4096), rng.Next(1, 4096), $"h{dom.DomId}");
        world.Toolstack.AddVkbd(dom.DomId, 0);
        var guest = new HostileKbdGuest(dom, rng) { Gentle = rng.Next(2) == 0 };
        if (!FuzzContext.Poll(() => world.Backend.Device(dom.DomId)?.State == XenbusState.InitWait, InitWaitTimeout))
        {
            invariant($"dom{dom.DomId}'s vkbd backend did not reach InitWait");
            return guest;
        }
        guest.Handshake();
        return guest;
    }

    private byte[] Fill(SharedPage page)
    {
        _rng.NextBytes(page.Span);
        return page.Span.ToArray();
    }

    /// <summary>The frontend's nodes, all right in half the rounds, else each right or wrong in one of the ways the brief lists, then a state.</summary>
    private void Handshake()
    {
        var notes = new List<string>();
        _wrongOdds = _rng.Next(2) == 0 ? 0 : 2;
        string? gref = Pick(notes, "page-gref", Num(Page.Gref), ["", "x12", "-1", "0", "4294967295", "99999999999", " 8", "0x8",
            Num(Dom.Gntshr.Share(DomId.Dom0, 1, readOnly: true)[0].Gref), Num(EndedGref()), null]);
        if (gref is null || _rng.Next(4) == 0) Write(Kbdif.Field.RingRef, _rng.Next(2) == 0 ? "12345" : "garbage");
        Pick(notes, "event-channel", Num(Evtchn.Port), ["", "abc", "-3", "0", "4294967296", Num(Evtchn.Port + 50),
            Num(Dom.Evtchn.AllocUnbound(KbdWorld.GoodDomId).Port), null]);
        foreach (var req in new[] { Kbdif.Field.ReqAbsPointer, Kbdif.Field.ReqMtouch, Kbdif.Field.ReqRawPointer })
            if (_rng.Next(2) == 0) Write(req, Choose(["1", "0", "yes", "-1", "4294967296", "", "2"]));
        Pick(notes, "state", Num((int)(_rng.Next(4) == 0 ? XenbusState.Connected : XenbusState.Initialised)), ["1", "9", "x", "", "-4", "6"], WriteState);
        Setup = notes.Count == 0 ? ValidNodes : string.Join(", ", notes);
    }

    /// <summary>Writes the right value, or, one time in <see cref="_wrongOdds"/>, one of <paramref name="wrong"/> (null: leave the node out).</summary>
    private string? Pick(List<string> notes, string field, string right, string?[] wrong, Action<string>? write = null)
    {
        string? value = _wrongOdds > 0 && _rng.Next(_wrongOdds) == 0 ? wrong[_rng.Next(wrong.Length)] : right;
        if (value != right) notes.Add($"{field} {(value is null ? "missing" : $"'{value}'")}");
        if (value is not null) (write ?? (v => Write(field, v)))(value);
        return value;
    }

    private uint EndedGref()
    {
        var page = Dom.Gntshr.Share(DomId.Dom0, 1, readOnly: false)[0];
        Dom.Gntshr.Unshare(page);
        return page.Gref;
    }

    /// <summary>One hostile act (or, <see cref="Gentle"/>, one within the rules); what it was.</summary>
    public string Step() => Gentle ? GentleStep() : HostileStep();

    private string GentleStep()
    {
        switch (_rng.Next(8))
        {
            case 0:
                uint prod = XenkbdPage.InRing.Prod(Page.Array, Page.Offset);
                return Index(XenkbdPage.InConsOffset, unchecked(prod - (uint)_rng.Next(Kbdif.InRingLen)));
            case 1 or 2:
                Index(XenkbdPage.InConsOffset, XenkbdPage.InRing.Prod(Page.Array, Page.Offset));
                return Kick("consumed all, kicked");
            case 3:
                return RandomBytes(XenkbdPage.HeaderSize);
            case 4:
                // The backend's private out_cons is at or past the one it published: this many more fit.
                uint outProd = XenkbdPage.OutRing.Prod(Page.Array, Page.Offset), outCons = XenkbdPage.OutRing.Cons(Page.Array, Page.Offset);
                int room = Kbdif.OutRingLen - (int)unchecked(outProd - outCons);
                return room > 0 ? OutEvents(_rng.Next(1, room + 1)) : "out ring full";
            default:
                return Kick("kicked");
        }
    }

    private string HostileStep()
    {
        switch (_rng.Next(20))
        {
            case 0 or 1 or 2:
                return Index(Indices[_rng.Next(Indices.Length)], _rng.Next(3) switch { 0 => (uint)_rng.NextInt64(1L << 32), 1 => 0u, _ => Near() });
            case 3 or 4 or 5:
                // A frontend that consumes everything: room for the backlog.
                Index(XenkbdPage.InConsOffset, XenkbdPage.InRing.Prod(Page.Array, Page.Offset));
                return Kick("consumed all, kicked");
            case 6 or 7:
                return RandomBytes(0);
            case 8 or 9:
                return OutEvents(_rng.Next(1, Kbdif.OutRingLen + 3));
            case 10 or 11 or 12 or 13:
                return Kick("kicked");
            case 14:
                WriteState(_rng.Next(3) == 0 ? Choose(["x", "", "-1", "99"]) : Num(_rng.Next(0, 9)));
                return $"state '{_state}'";
            case 15:
                Write(_rng.Next(2) == 0 ? Kbdif.Field.RingGref : Kbdif.Field.EvtChannel, Choose(["", "1", "garbage", "4294967295", Num(Page.Gref)]));
                return "rewrote a node";
            case 16:
                return EndGrant();
            default:
                return "nothing";
        }
    }

    /// <summary>Values just around the other indices: in range or just out of it.</summary>
    private uint Near()
    {
        uint prod = XenkbdPage.InRing.Prod(Page.Array, Page.Offset);
        return unchecked(prod + (uint)_rng.Next(-Kbdif.InRingLen - 2, 3));
    }

    private static readonly int[] Indices = [XenkbdPage.InConsOffset, XenkbdPage.InProdOffset, XenkbdPage.OutConsOffset, XenkbdPage.OutProdOffset];

    private string Index(int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Page.Span[offset..], value);
        Shadow(offset, 4);
        return $"index @{offset} = {value}";
    }

    /// <summary>Sets in_cons (the probe that the backend catches one out of range).</summary>
    public void SetInCons(uint value) => Index(XenkbdPage.InConsOffset, value);

    /// <summary>Sets out_prod and kicks (the probe that the backend catches one out of range).</summary>
    public void SetOutProdAndKick(uint value)
    {
        Index(XenkbdPage.OutProdOffset, value);
        Evtchn.Notify();
    }

    private string RandomBytes(int from)
    {
        int offset = _rng.Next(from, XenPage.Size);
        int length = Math.Min(_rng.Next(1, 65), XenPage.Size - offset);
        _rng.NextBytes(Page.Span.Slice(offset, length));
        Shadow(offset, length);
        return $"{length} random bytes @{offset}";
    }

    /// <summary><paramref name="n"/> out events of random bytes, then out_prod past them (more than the ring holds: too far) and a kick.</summary>
    private string OutEvents(int n)
    {
        uint prod = XenkbdPage.OutRing.Prod(Page.Array, Page.Offset);
        for (int i = 0; i < n; i++)
        {
            int slot = XenkbdPage.OutRing.SlotOffset(unchecked(prod + (uint)i));
            _rng.NextBytes(Page.Span.Slice(slot, Kbdif.OutEventSize));
            Shadow(slot, Kbdif.OutEventSize);
        }
        Index(XenkbdPage.OutProdOffset, unchecked(prod + (uint)n));
        return Kick($"{n} out events");
    }

    /// <summary>gnttab_end_foreign_access on the page: refused while dom0 maps it, else the page is gone for the backend.</summary>
    private string EndGrant()
    {
        try
        {
            Dom.Gntshr.Unshare(Page);
            return "ended the page's grant";
        }
        catch (XenException e) { return $"ending the page's grant: {e.Errno}"; }
    }

    /// <summary>EVTCHNOP_send: the backend's handler runs on this thread, and nothing of it may escape.</summary>
    private string Kick(string what)
    {
        Evtchn.Notify();
        return what;
    }

    private void Shadow(int offset, int length)
    {
        if (offset < XenkbdPage.OutConsOffset + 4 && offset + length > XenkbdPage.OutConsOffset) OutConsForged = true;
        foreach (var (start, end) in GuestOwned)
        {
            int from = Math.Max(start, offset), to = Math.Min(end, offset + length);
            if (from < to) Page.Span[from..to].CopyTo(_shadow.AsSpan(from));
        }
    }

    /// <summary>What the backend wrote where it may not: into a canary page, or into the frontend's bytes of the page; null when nothing.</summary>
    public string? Untouched()
    {
        for (int c = 0; c < 2; c++)
            if (FirstDiff(_pages[c * 2].Span, _canaries[c]) is { } at) return $"dom{FrontDomId}'s canary page {(c == 0 ? "before" : "after")} its kbdif page changed at byte {at}";
        foreach (var (start, end) in GuestOwned)
            if (FirstDiff(Page.Span[start..end], _shadow.AsSpan(start, end - start)) is { } at)
                return $"dom{FrontDomId}'s kbdif page changed at byte {start + at}, a byte only the frontend writes";
        return null;
    }

    private static int? FirstDiff(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int common = a.CommonPrefixLength(b);
        return common == a.Length ? null : common;
    }

    private void WriteState(string value)
    {
        _state = value;
        Write(XenBusPaths.Field.State, value);
    }

    private void Write(string field, string value)
    {
        try { Dom.Store.Write($"{_fe}/{field}", value); }
        catch (XenStoreException) { } // a value the store refuses is refused to the guest, not the backend's business
    }

    private string Choose(string[] values) => values[_rng.Next(values.Length)];

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
}
