using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Kbdif.Frontend;

/// <summary>
/// A guest's PV keyboard/pointer frontend modelled on Linux's xen-kbdfront: reads the backend's features,
/// requests absolute pointer and multi-touch when offered and wanted, grants the shared page, allocates the
/// event channel and publishes page-gref, page-ref and event-channel in one transaction. Once connected it
/// consumes the in ring on each notification (copy out, in_prod checked, in_cons advanced, backend told)
/// and hands each event with its seq (the in_cons index it was read at, widened per connection) to
/// <see cref="EventReceived"/>.
/// </summary>
public sealed class XenKbdFront : XenBusFrontendDevice
{
    private readonly object _ring = new();
    private readonly KickLoop _kick;
    private GrantedPageChannel? _channel;
    private EventRingConsumer? _in;
    private bool _connected;
    private bool _paused;
    private long _seq;
    private long _received, _ignored, _badProd;

    public XenKbdFront(IGuestPlatform guest, int devId = 0, Action<long, IXenkbdInEvent>? onEvent = null, ILoggerFactory? loggers = null)
        : base(guest, Kbdif.DriverName, devId, (loggers ?? NullLoggerFactory.Instance).CreateLogger<XenKbdFront>())
    {
        EventReceived = onEvent;
        _kick = new KickLoop(Consume);
    }

    /// <summary>Where each event goes, with its seq; runs on the thread that notified us, one event at a time, in ring order.</summary>
    public Action<long, IXenkbdInEvent>? EventReceived { get; set; }

    /// <summary>Ask for XENKBD_TYPE_POS when the backend offers it (kbdfront's ptr_size / abs handling).</summary>
    public bool WantAbsPointer { get; init; } = true;
    /// <summary>Ask for multi-touch when the backend offers it (kbdfront's mtouch module parameter).</summary>
    public bool WantMultiTouch { get; init; } = true;

    public bool FeatureAbsPointer { get; private set; }
    public bool FeatureMultiTouch { get; private set; }
    public bool FeatureDisableKeyboard { get; private set; }
    public bool FeatureDisablePointer { get; private set; }
    public bool AbsPointer { get; private set; }
    public bool MultiTouch { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int MtNumContacts { get; private set; }

    public uint? PageGref { get { lock (_ring) return _channel?.Gref; } }
    public int? Port { get { lock (_ring) return _channel?.Port; } }
    public uint InCons { get { lock (_ring) return _in?.Cons ?? 0; } }
    public long Received => Interlocked.Read(ref _received);
    /// <summary>Events of a type or sub-type kbdfront does not know: skipped, as the header asks.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);
    /// <summary>Times in_prod was out of range: the pending events were skipped.</summary>
    public long BadProducerIndex => Interlocked.Read(ref _badProd);

    /// <summary>
    /// The guest's input thread is not running (a busy or descheduled vCPU): events stay in the ring until
    /// it is unpaused, when it consumes everything pending.
    /// </summary>
    public bool Paused
    {
        get { lock (_ring) return _paused; }
        set
        {
            lock (_ring) _paused = value;
            if (!value) _kick.Kick();
        }
    }

    /// <summary>xenkbd_probe + xenkbd_connect_backend: features, requests, page, port, one transaction.</summary>
    protected override void SetUp()
    {
        FeatureAbsPointer = BackendFeature(Kbdif.Field.FeatAbsPointer);
        FeatureMultiTouch = BackendFeature(Kbdif.Field.FeatMtouch);
        FeatureDisableKeyboard = BackendFeature(Kbdif.Field.FeatDsblKeybrd);
        FeatureDisablePointer = BackendFeature(Kbdif.Field.FeatDsblPointer);
        AbsPointer = WantAbsPointer && FeatureAbsPointer;
        MultiTouch = WantMultiTouch && FeatureMultiTouch;
        Width = BackendInt(Kbdif.Field.Width);
        Height = BackendInt(Kbdif.Field.Height);
        MtNumContacts = MultiTouch ? BackendInt(Kbdif.Field.MtNumContacts) : 0;

        var channel = NewChannel();
        try
        {
            var nodes = new List<(string, string)>();
            if (AbsPointer) nodes.Add((Kbdif.Field.ReqAbsPointer, "1"));
            if (MultiTouch) nodes.Add((Kbdif.Field.ReqMtouch, "1"));
            nodes.Add((Kbdif.Field.RingGref, Num(channel.Gref)));
            nodes.Add((Kbdif.Field.RingRef, Num((long)channel.Pfn)));
            nodes.Add((Kbdif.Field.EvtChannel, Num(channel.Port)));
            Publish(nodes);
        }
        catch
        {
            FreeChannel(channel);
            throw;
        }
        lock (_ring)
        {
            _channel = channel;
            _in = new EventRingConsumer(XenkbdPage.InRing, channel.Array, channel.Offset);
            _seq = _in.Cons;
            _connected = false;
        }
        channel.Evtchn.Interrupt = _kick.Kick;
    }

    private int BackendInt(string field) => Guest.Store.ReadInt($"{BackendPath}/{field}") is int v and >= 0 ? v : 0;

    protected override void OnConnected()
    {
        lock (_ring) _connected = true;
        _kick.Kick(); // events the backend wrote before we saw it Connected
    }

    protected override void TearDown()
    {
        GrantedPageChannel? channel;
        lock (_ring)
        {
            channel = _channel;
            _channel = null;
            _in = null;
            _connected = false;
        }
        if (channel is not null) FreeChannel(channel);
    }

    /// <summary>input_handler: everything between in_cons and in_prod, copied out, then in_cons published and the backend notified.</summary>
    private void Consume()
    {
        var got = new List<(long Seq, IXenkbdInEvent? Event)>();
        EventChannel? evtchn;
        lock (_ring)
        {
            if (!_connected || _paused || _in is null) return;
            evtchn = _channel?.Evtchn;
            if (!_in.TryReadProducer(out uint prod))
            {
                Interlocked.Increment(ref _badProd);
                Logger.LogWarning("in_prod {Prod} out of range (in_cons {Cons}): pending events skipped", prod, _in.Cons);
                _seq += unchecked((uint)(prod - _in.Cons));
                _in.SkipTo(prod);
                return;
            }
            int n = _in.Unconsumed(prod);
            if (n == 0) return;
            Span<byte> evt = stackalloc byte[Kbdif.InEventSize];
            for (int i = 0; i < n; i++)
            {
                _in.CopyNext(evt);
                got.Add((_seq++, XenkbdInEvent.Read(evt)));
            }
            _in.Publish();
        }
        foreach (var (seq, e) in got)
        {
            if (e is null || e is XenkbdMtouch t && !Enum.IsDefined(t.EventType)) { Interlocked.Increment(ref _ignored); continue; }
            Interlocked.Increment(ref _received);
            EventReceived?.Invoke(seq, e);
        }
        evtchn?.Notify(); // notify_remote_via_evtchn: room in the ring
    }
}
