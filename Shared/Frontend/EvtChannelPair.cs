using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>A request exchanged as raw bytes: the response as read and its 64 bytes as they stood in the slot.</summary>
public sealed record RawExchange(DisplifResponse Response, byte[] Raw, bool TimedOut, bool NotConnected);

/// <summary>
/// A connector's two channels (xen_drm_front_evtchnl): the request ring with its event channel, and
/// the event page with its own. One request in flight at a time; a late response with a stale id is skipped.
/// </summary>
internal sealed partial class EvtChannelPair
{
    private readonly SemaphoreSlim _reqIoLock = new(1, 1);
    private readonly object _irqLock = new();
    // The request ring's page (and the CTB page, when asked for) on one channel, the event page on the other.
    private readonly GrantedPageChannel _req, _evt;
    private readonly FrontRing _ring;
    private ushort _nextReqId;
    private ushort _nextEvtId;
    private volatile bool _connected;
    private (ushort Id, TaskCompletionSource<DisplifResponse> Done, byte[]? Raw)? _waiting;

    public EvtChannelPair(IGuestPlatform guest, int backendDomId, int index, Action<ulong> onFrameDone, bool useCtb = false)
    {
        Index = index;
        OnFrameDone = onFrameDone;
        _req = GrantedPageChannel.Create(guest, backendDomId, useCtb ? 2 : 1);
        try { _evt = GrantedPageChannel.Create(guest, backendDomId); }
        catch { _req.Free(); throw; }
        _ring = FrontRing.Init(_req.Array, _req.Offset);
        _req.Evtchn.Interrupt = OnRequestInterrupt;
        _evt.Evtchn.Interrupt = OnEventInterrupt;
        if (useCtb) InitCtb();
    }

    public int Index { get; }
    public uint ReqRingRef => _req.Gref;
    public uint EvtRingRef => _evt.Gref;
    public int ReqPort => _req.Port;
    public int EvtPort => _evt.Port;
    public Action<ulong> OnFrameDone { get; }
    public long StaleResponses { get; private set; }
    public long SkippedEvents { get; private set; }

    /// <summary>The guest's view of the ring, for inspection.</summary>
    public FrontRing Ring => _ring;
    public uint EventInCons => EventPage.InCons(_evt.Array, _evt.Offset);
    public uint EventInProd => EventPage.InProd(_evt.Array, _evt.Offset);

    public bool Connected
    {
        get => _connected;
        set
        {
            _connected = value;
            if (!value) FailWaiter();
        }
    }

    /// <summary>Sends one request and waits for its response (be_stream_do_io + be_stream_wait_io).</summary>
    public async Task<DisplifResponse> SendAsync(IDisplifRequest request, TimeSpan timeout, TimeProvider time, CancellationToken ct = default)
    {
        var x = await ExchangeAsync((slot, id) => request.WriteTo(slot, id), (byte)request.Operation, null, raw: null, timeout, time, ct).ConfigureAwait(false);
        return x.Response;
    }

    /// <summary>
    /// Writes a whole 64-byte packet, as given (its own id included), into the ring as the next request,
    /// after any request of the driver's in flight (the same per-ring lock), and waits for its response.
    /// </summary>
    public Task<RawExchange> SendPacketAsync(ReadOnlyMemory<byte> packet, TimeSpan timeout, TimeProvider time, CancellationToken ct = default)
    {
        if (packet.Length != Displif.Displif.PacketSize) throw new ArgumentException($"a packet is {Displif.Displif.PacketSize} bytes", nameof(packet));
        var span = packet.Span;
        return ExchangeAsync((slot, _) => packet.Span.CopyTo(slot), PacketHeader.Operation(span), PacketHeader.Id(span),
            raw: new byte[Displif.Displif.PacketSize], timeout, time, ct);
    }

    private async Task<RawExchange> ExchangeAsync(Action<Span<byte>, ushort> write, byte op, ushort? ownId, byte[]? raw,
        TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        await _reqIoLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_connected) return new RawExchange(new DisplifResponse(ownId ?? 0, op, -EIO), raw ?? [], TimedOut: false, NotConnected: true);
            if (_ctb is not null) return SendOverCtb(write, op, ownId, raw, timeout);
            var done = new TaskCompletionSource<DisplifResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            ushort id;
            lock (_irqLock)
            {
                id = ownId ?? _nextReqId++;
                _waiting = (id, done, raw);
                write(_ring.NextRequestSlot(), id);
                _ring.ProduceRequest();
            }
            if (_ring.PushRequestsAndCheckNotify()) _req.Evtchn.Notify();
            try
            {
                var rsp = await done.Task.WaitAsync(timeout, time, ct).ConfigureAwait(false);
                return new RawExchange(rsp, raw ?? [], false, rsp.Status == -EIO && !_connected);
            }
            catch (TimeoutException) when (done.Task.IsCompletedSuccessfully)
            {
                return new RawExchange(done.Task.Result, raw ?? [], false, false); // the response came in as the timer fired
            }
            catch (TimeoutException)
            {
                return new RawExchange(new DisplifResponse(id, op, -ETIMEDOUT), raw ?? [], TimedOut: true, NotConnected: false);
            }
        }
        finally
        {
            lock (_irqLock) _waiting = null;
            _reqIoLock.Release();
        }
    }

    /// <summary>
    /// Writes raw fields of the shared request ring header and the event page, as a broken guest might,
    /// then notifies the backend. Waits for the driver's request in flight first. A written req_prod
    /// becomes the driver's own (its next request follows it), so the broken index stays broken. With
    /// <paramref name="relative"/>, req_prod counts from the driver's own req_prod_pvt and in_cons from the
    /// event page's in_prod, both read here, under the driver's lock, where they cannot move on.
    /// </summary>
    public async Task WriteRawAsync(uint? reqProd, uint? reqEvent, uint? rspEvent, uint? inCons, bool relative = false, CancellationToken ct = default)
    {
        await _reqIoLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_irqLock)
            {
                var ring = _req.Span;
                if (relative)
                {
                    reqProd = reqProd is { } ahead ? unchecked(_ring.ReqProdPvt + ahead) : null;
                    inCons = inCons is { } past ? unchecked(EventInProd + past) : null;
                }
                if (reqProd is { } rp)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(ring[SharedRing.ReqProdOffset..], rp);
                    _ring.ResetRequestProducer(rp);
                }
                if (reqEvent is { } re) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(ring[SharedRing.ReqEventOffset..], re);
                if (rspEvent is { } se) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(ring[SharedRing.RspEventOffset..], se);
                if (inCons is { } ic) EventPage.SetInCons(_evt.Array, ic, _evt.Offset);
            }
            Interlocked.MemoryBarrier();
            _req.Evtchn.Notify();
        }
        finally { _reqIoLock.Release(); }
    }

    /// <summary>evtchnl_interrupt_ctrl: consume responses; only the one we wait for counts.</summary>
    private void OnRequestInterrupt()
    {
        lock (_irqLock)
        {
            do
            {
                uint rp = _ring.SharedRspProd;
                while (_ring.RspCons != rp)
                {
                    var slot = _ring.NextResponseSlot();
                    var rsp = DisplifResponse.Read(slot);
                    bool ours = _waiting is { } w && w.Id == rsp.Id;
                    if (ours && _waiting!.Value.Raw is { } raw) slot.CopyTo(raw);
                    _ring.ConsumeResponse();
                    if (ours) _waiting!.Value.Done.TrySetResult(rsp);
                    else StaleResponses++;
                }
            } while (_ring.FinalCheckForResponses());
        }
    }

    /// <summary>evtchnl_interrupt_evt: consume events in order; an event with an unexpected id is skipped.</summary>
    private void OnEventInterrupt()
    {
        lock (_irqLock)
        {
            byte[] page = _evt.Array;
            int ofs = _evt.Offset;
            uint prod = EventPage.InProd(page, ofs);
            uint cons = EventPage.InCons(page, ofs);
            if (prod == cons) return;
            if (unchecked(prod - cons) > EventPage.RingLength)
            {
                // Indices a page apart cannot be right (our in_cons was overwritten): start again at in_prod.
                SkippedEvents += EventPage.RingLength;
                EventPage.SetInCons(page, prod, ofs);
                return;
            }
            for (; cons != prod; cons++)
            {
                var slot = page.AsSpan(ofs + EventPage.SlotOffset(cons), EventPage.EventSize);
                if (PacketHeader.Id(slot) != _nextEvtId++) { SkippedEvents++; continue; }
                if (PgFlipEvent.Type(slot) == (byte)XendisplEvent.PgFlip)
                    OnFrameDone(PgFlipEvent.Read(slot).FbCookie);
            }
            EventPage.SetInCons(page, cons, ofs);
        }
    }

    private void FailWaiter()
    {
        lock (_irqLock)
        {
            if (_waiting is { } w) w.Done.TrySetResult(new DisplifResponse(w.Id, 0, -EIO));
        }
    }

    /// <summary>Frees the channels: waiters get -EIO; <paramref name="free"/> closes each port and ends its grants, or keeps the pages the backend still maps.</summary>
    public void Free(Action<GrantedPageChannel> free)
    {
        Connected = false;
        free(_req);
        free(_evt);
    }
}
