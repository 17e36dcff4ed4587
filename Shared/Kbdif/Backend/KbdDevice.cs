using System.Globalization;
using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Kbdif.Backend;

/// <summary>
/// One vkbd device: publishes the features and the connector's mode, maps the frontend's shared page, writes
/// input events into its in ring and reads (and records) whatever the frontend puts in its out ring. A full
/// in ring never blocks: events wait in an <see cref="InputBacklog"/> that drains when the guest consumes.
/// Each event written is traced (kind Input, op XENKBD_TYPE_*, id the seq's low 16 bits), pointer moves sampled
/// by an <see cref="InputTraceSampler"/>; drops and merges are notes (op <see cref="BacklogOperation"/>).
/// </summary>
public sealed class KbdDevice : XenBusBackendDevice
{
    private readonly object _ring = new();
    private readonly KbdOptions _options;
    private readonly InputBacklog _backlog;
    private readonly Queue<KbdSentEvent> _recent = new();
    private readonly KickLoop _kick;
    private readonly InputTraceSampler _sampler;
    private KbdMode _mode;
    private SharedPageChannel? _channel;
    private EventRingProducer? _in;
    private EventRingConsumer? _out;
    private long _nextSeq;
    private long _dropped, _coalesced, _refused, _outEvents;

    /// <summary>The trace operation of the backlog's notes (moves dropped or coalesced, presses refused, in ring full).</summary>
    public const string BacklogOperation = "XENKBD_BACKLOG";

    internal KbdDevice(IXenPlatform xen, int frontDomId, int devId, KbdOptions options, KbdMode mode, DisplifTrace trace, TimeProvider time, ILogger logger)
        : base(xen, Kbdif.DriverName, frontDomId, devId, trace, logger)
    {
        _options = options;
        _mode = mode;
        _backlog = new InputBacklog(options.BacklogCapacity);
        _sampler = new InputTraceSampler(options.TraceMovesPerSecond, time);
        _kick = new KickLoop(OnKick);
    }

    public bool RequestAbsPointer { get; private set; }
    public bool RequestRawPointer { get; private set; }
    public bool RequestMultiTouch { get; private set; }
    public KbdMode Mode { get { lock (_ring) return _mode; } }

    /// <summary>Whether the in ring is mapped and events can be accepted.</summary>
    public bool IsConnected { get { lock (_ring) return _in is not null; } }

    protected override void PublishBackendNodes()
    {
        var xs = Xen.Store;
        bool ok = xs.TryCommitWithRetry(tx =>
        {
            Flag(Kbdif.Field.FeatAbsPointer, _options.FeatureAbsPointer);
            Flag(Kbdif.Field.FeatMtouch, _options.FeatureMultiTouch);
            Flag(Kbdif.Field.FeatRawPointer, _options.FeatureRawPointer);
            Flag(Kbdif.Field.FeatDsblKeybrd, _options.FeatureDisableKeyboard);
            Flag(Kbdif.Field.FeatDsblPointer, _options.FeatureDisablePointer);
            xs.WriteInt($"{BackendPath}/{Kbdif.Field.MtNumContacts}", _options.MtNumContacts, tx);
            WriteMode(tx, _mode);
            return true;

            void Flag(string field, bool on) => xs.Write($"{BackendPath}/{field}", on ? "1" : "0", tx);
        });
        if (!ok) throw new XenStoreException(XenErrno.EAGAIN, $"{BackendPath}: features not published");
    }

    /// <summary>The display connector's resolution changed (or it was replugged): rewrites width/height and the touch area.</summary>
    public void Update(KbdMode mode)
    {
        lock (_ring) _mode = mode;
        Xen.Store.TryCommitWithRetry(tx => { WriteMode(tx, mode); return true; });
        Note($"mode {mode.Width}x{mode.Height} unique-id {mode.UniqueId}");
    }

    private void WriteMode(XsTransaction tx, KbdMode mode)
    {
        var xs = Xen.Store;
        xs.WriteInt($"{BackendPath}/{Kbdif.Field.Width}", mode.Width, tx);
        xs.WriteInt($"{BackendPath}/{Kbdif.Field.Height}", mode.Height, tx);
        xs.WriteInt($"{BackendPath}/{Kbdif.Field.MtWidth}", mode.Width, tx);
        xs.WriteInt($"{BackendPath}/{Kbdif.Field.MtHeight}", mode.Height, tx);
        xs.Write($"{BackendPath}/{Kbdif.Field.UniqueId}", mode.UniqueId, tx);
    }

    protected override bool Connect()
    {
        RequestAbsPointer = _options.FeatureAbsPointer && FrontendFlag(Kbdif.Field.ReqAbsPointer);
        RequestRawPointer = RequestAbsPointer && _options.FeatureRawPointer && FrontendFlag(Kbdif.Field.ReqRawPointer);
        RequestMultiTouch = _options.FeatureMultiTouch && FrontendFlag(Kbdif.Field.ReqMtouch);
        uint gref = ReadGref();
        int port = ReadU32(Kbdif.Field.EvtChannel) is { } p && p <= int.MaxValue
            ? (int)p : throw new FormatException($"no valid {Kbdif.Field.EvtChannel}");
        SharedPageChannel channel;
        try { channel = SharedPageChannel.Open(Xen, FrontDomId, gref, port); }
        catch (XenException e)
        {
            // A gref that is not live for us (revoked, never granted, read-only) or a port not open for us,
            // while the frontend still says they are published.
            if (!FrontendPublished()) return false;
            ReportMisbehaving($"page-gref {gref} / event-channel {port} cannot be used: {e.Message}");
            return false;
        }
        lock (_ring)
        {
            _channel = channel;
            channel.TryUse((page, ofs) =>
            {
                _in = new EventRingProducer(XenkbdPage.InRing, page, ofs);
                _out = new EventRingConsumer(XenkbdPage.OutRing, page, ofs);
            });
            _nextSeq = _in!.Prod;
            _backlog.Clear();
        }
        channel.Interrupt = _kick.Kick;
        Note($"connected: page-gref {gref}, event-channel {port}, abs {RequestAbsPointer}, raw {RequestRawPointer}, multi-touch {RequestMultiTouch}");
        return true;
    }

    /// <summary>page-gref; a frontend that only gives the obsolete page-ref (a frame number, which needs foreign mapping rather than a grant) is refused.</summary>
    private uint ReadGref()
    {
        if (ReadU32(Kbdif.Field.RingGref) is { } gref) return gref;
        if (Xen.Store.Read($"{FrontendPath}/{Kbdif.Field.RingRef}") is not null)
            throw new FormatException($"only the obsolete {Kbdif.Field.RingRef} (a frame number) is given: {Kbdif.Field.RingGref} is needed");
        throw new FormatException($"no valid {Kbdif.Field.RingGref}");
    }

    private uint? ReadU32(string field) =>
        uint.TryParse(Xen.Store.Read($"{FrontendPath}/{field}"), NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v : null;

    private bool FrontendFlag(string field) => ReadU32(field) is > 0;

    protected override void Disconnect()
    {
        SharedPageChannel? channel;
        lock (_ring)
        {
            channel = _channel;
            _channel = null;
            _in = null;
            _out = null;
            _backlog.Clear();
            BacklogNote(_sampler.Drained());
        }
        channel?.Dispose();
    }

    /// <summary>
    /// Offers events for the guest, in order. Each accepted one gets a seq: the in ring index it is (or will
    /// be) written at. Refused: events the frontend did not ask for, anything while not connected, moves when
    /// the backlog is full (counted as dropped), a key press whose release would not fit.
    /// </summary>
    public KbdAcceptResult Accept(IReadOnlyList<IXenkbdInEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var seqs = new long[events.Count];
        Array.Fill(seqs, -1L);
        string? broken = null;
        int offered = 0;
        bool more = true;
        while (more && broken is null)
        {
            SharedPageChannel? channel;
            lock (_ring)
            {
                channel = _channel;
                uint before = _in?.Prod ?? 0;
                broken = Pump();
                // Offer until the ring fills with events we put: then the guest is told before the rest wait in the backlog.
                while (offered < events.Count && broken is null && _in is not null && !(_in.Prod != before && _in.Free == 0))
                    broken = Offer(events[offered], out seqs[offered++]);
                more = offered < events.Count && broken is null && _in is not null;
                if (!more) _refused += events.Count - offered; // not connected, or the page broke on the way
            }
            if (broken is null) channel?.Notify();
        }
        if (broken is not null) ReportMisbehaving(broken);
        int accepted = seqs.Count(s => s >= 0);
        return new KbdAcceptResult(accepted, accepted == 0 ? -1 : seqs.First(s => s >= 0), seqs);
    }

    /// <summary>One event: filtered, then to the ring if nothing waits and there is room, else merged or queued.</summary>
    private string? Offer(IXenkbdInEvent e, out long seq)
    {
        seq = -1;
        if (!Wanted(e)) { _refused++; return null; }
        int free = _in!.Free;
        if (free < 0) return InConsOutOfRange();
        bool queued = _backlog.Count > 0 || free == 0;
        if (queued && InputBacklog.IsMove(e) && _backlog.TryMerge(e) is { } merged)
        {
            _coalesced++;
            BacklogNote(_sampler.Coalesced());
            seq = merged;
            return null;
        }
        if (!_backlog.HasRoom(e, queued))
        {
            if (InputBacklog.IsMove(e)) { _dropped++; BacklogNote(_sampler.Dropped()); }
            else { _refused++; BacklogNote(_sampler.Refused()); }
            return null;
        }
        _backlog.Track(e);
        seq = _nextSeq++;
        if (queued) { _backlog.Enqueue(new KbdSentEvent(seq, e)); return null; }
        return Put(new KbdSentEvent(seq, e));
    }

    /// <summary>What the frontend asked for and the header allows (keyboard keys vs pointer buttons, POS only with request-abs-pointer, MTOUCH only with request-multi-touch and a contact in range).</summary>
    private bool Wanted(IXenkbdInEvent e) => e switch
    {
        XenkbdKey k => LinuxInput.IsValidKeycode(k.Keycode)
            && (LinuxInput.IsPointerButton(k.Keycode) ? !_options.FeatureDisablePointer : !_options.FeatureDisableKeyboard),
        XenkbdMotion => !_options.FeatureDisablePointer,
        XenkbdPosition => !_options.FeatureDisablePointer && RequestAbsPointer,
        XenkbdMtouch t => RequestMultiTouch && t.ContactId < _options.MtNumContacts && Enum.IsDefined(t.EventType),
        _ => false,
    };

    private string? Put(KbdSentEvent e)
    {
        Span<byte> packet = stackalloc byte[Kbdif.InEventSize];
        e.Event.Write(packet);
        var result = _in!.Put(packet);
        if (result == EventPutResult.ConsumerOutOfRange) return InConsOutOfRange();
        if (result != EventPutResult.Put) throw new InvalidOperationException("a put was tried on a full in ring");
        _recent.Enqueue(e);
        while (_recent.Count > _options.RecentEvents) _recent.Dequeue();
        TraceSent(e);
        return null;
    }

    /// <summary>An event written into the in ring, unless the sampler holds a move back.</summary>
    private void TraceSent(KbdSentEvent e)
    {
        if (!_sampler.Show(e.Event, out long hidden)) return;
        string text = EventText.Describe(e.Seq, e.Event);
        if (hidden > 0) text += string.Create(CultureInfo.InvariantCulture, $" ({hidden} moves not shown)");
        Trace.Append(FrontDomId, DevId, DevId, TraceKind.Input, unchecked((ushort)e.Seq), EventText.Operation(e.Event.Type), 0, text);
    }

    private void BacklogNote(string? text)
    {
        if (text is not null) Trace.Append(FrontDomId, DevId, DevId, TraceKind.Note, 0, BacklogOperation, 0, $"{Kbdif.DriverName}: {text}");
    }

    /// <summary>Moves waiting events into the ring while it has room, and reads the out ring. A reason when the frontend broke the page.</summary>
    private string? Pump()
    {
        if (_in is null || _channel is null) return null;
        if (!_channel.IsOpen) return "the shared page was revoked";
        while (_backlog.Count > 0)
        {
            int free = _in.Free;
            if (free < 0) return InConsOutOfRange();
            if (free == 0) break;
            var e = _backlog.Peek();
            _backlog.Dequeue();
            if (Put(e) is { } broken) return broken;
            if (_backlog.Count == 0) BacklogNote(_sampler.Drained());
        }
        return ReadOut();
    }

    /// <summary>The out ring: no event is defined, so each is copied out, counted and noted, not acted on.</summary>
    private string? ReadOut()
    {
        if (!_out!.TryReadProducer(out uint prod)) return $"out_prod {prod} out of range (out_cons {_out.Cons})";
        int n = _out.Unconsumed(prod);
        if (n == 0) return null;
        Span<byte> evt = stackalloc byte[Kbdif.OutEventSize];
        for (int i = 0; i < n; i++)
        {
            _out.CopyNext(evt);
            _outEvents++;
            Note($"out event type {XenkbdOutEvent.Type(evt)} ignored");
        }
        _out.Publish();
        return null;
    }

    private string InConsOutOfRange()
    {
        _in!.TryReadConsumer(out uint cons);
        return $"in_cons {cons} out of range (in_prod {_in.Prod})";
    }

    /// <summary>The frontend notified us: it consumed (room for the backlog) or produced out events.</summary>
    private void OnKick()
    {
        string? broken;
        SharedPageChannel? channel;
        bool sent;
        lock (_ring)
        {
            channel = _channel;
            long before = _in?.Prod ?? 0;
            broken = Pump();
            sent = _in is not null && _in.Prod != before;
        }
        if (broken is not null) ReportMisbehaving(broken);
        else if (sent) channel?.Notify();
    }

    public KbdDeviceStatus Status()
    {
        lock (_ring)
        {
            var ch = _channel;
            (uint inCons, uint inProd, uint outCons, uint outProd) = ch?.Use((p, o) =>
                (XenkbdPage.InRing.Cons(p, o), XenkbdPage.InRing.Prod(p, o), XenkbdPage.OutRing.Cons(p, o), XenkbdPage.OutRing.Prod(p, o)), default)
                ?? default;
            return new KbdDeviceStatus(FrontDomId, DevId, State.ToString(), MisbehavingReason,
                ch?.Gref, ch?.RemotePort, inCons, inProd, outCons, outProd,
                _options, RequestAbsPointer, RequestRawPointer, RequestMultiTouch,
                _backlog.Count, _dropped, _coalesced, _refused, _outEvents, _nextSeq, [.. _recent], _mode.UniqueId, _sampler.HiddenTotal);
        }
    }
}
