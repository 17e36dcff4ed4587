using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>
/// A connector's two channels (xen_drm_front_evtchnl): the request ring with its event channel, and
/// the event page with its own. One request in flight at a time; a late response with a stale id is skipped.
/// </summary>
internal sealed partial class EvtChannelPair
{
    private readonly SemaphoreSlim _reqIoLock = new(1, 1);
    private readonly object _irqLock = new();
    private readonly XenPage _reqPage, _evtPage;
    private readonly FrontRing _ring;
    private readonly EventChannel _reqChannel, _evtChannel;
    private ushort _nextReqId;
    private ushort _nextEvtId;
    private volatile bool _connected;
    private (ushort Id, TaskCompletionSource<DisplifResponse> Done)? _waiting;

    public EvtChannelPair(IGuestPlatform guest, int backendDomId, int index, Action<ulong> onFrameDone, bool useCtb = false)
    {
        Index = index;
        OnFrameDone = onFrameDone;
        var pages = guest.Memory.AllocatePages(2);
        _reqPage = pages[0];
        _evtPage = pages[1];
        _ring = FrontRing.Init(_reqPage.Array, _reqPage.Offset);
        ReqRingRef = guest.Grants.GrantForeignAccess(backendDomId, _reqPage, readOnly: false);
        EvtRingRef = guest.Grants.GrantForeignAccess(backendDomId, _evtPage, readOnly: false);
        _reqChannel = guest.Evtchn.AllocUnbound(backendDomId);
        _evtChannel = guest.Evtchn.AllocUnbound(backendDomId);
        _reqChannel.Interrupt = OnRequestInterrupt;
        _evtChannel.Interrupt = OnEventInterrupt;
        if (useCtb) InitCtb(guest, backendDomId);
    }

    public int Index { get; }
    public uint ReqRingRef { get; }
    public uint EvtRingRef { get; }
    public int ReqPort => _reqChannel.Port;
    public int EvtPort => _evtChannel.Port;
    public Action<ulong> OnFrameDone { get; }
    public long StaleResponses { get; private set; }
    public long SkippedEvents { get; private set; }

    /// <summary>The guest's view of the ring, for inspection.</summary>
    public FrontRing Ring => _ring;
    public uint EventInCons => EventPage.InCons(_evtPage.Array, _evtPage.Offset);
    public uint EventInProd => EventPage.InProd(_evtPage.Array, _evtPage.Offset);

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
        await _reqIoLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_connected) return new DisplifResponse(0, (byte)request.Operation, -EIO);
            if (_ctb is not null) return SendOverCtb(request, timeout);
            var done = new TaskCompletionSource<DisplifResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            ushort id;
            lock (_irqLock)
            {
                id = _nextReqId++;
                _waiting = (id, done);
                request.WriteTo(_ring.NextRequestSlot(), id);
                _ring.ProduceRequest();
            }
            if (_ring.PushRequestsAndCheckNotify()) _reqChannel.Notify();
            try
            {
                return await done.Task.WaitAsync(timeout, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException) when (done.Task.IsCompletedSuccessfully)
            {
                return done.Task.Result; // the response came in as the timer fired
            }
            catch (TimeoutException)
            {
                return new DisplifResponse(id, (byte)request.Operation, -ETIMEDOUT);
            }
        }
        finally
        {
            lock (_irqLock) _waiting = null;
            _reqIoLock.Release();
        }
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
                    var rsp = DisplifResponse.Read(_ring.NextResponseSlot());
                    _ring.ConsumeResponse();
                    if (_waiting is { } w && w.Id == rsp.Id) w.Done.TrySetResult(rsp);
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
            byte[] page = _evtPage.Array;
            int ofs = _evtPage.Offset;
            uint prod = EventPage.InProd(page, ofs);
            uint cons = EventPage.InCons(page, ofs);
            if (prod == cons) return;
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

    /// <summary>Frees the channel: waiters get -EIO, ports close, the ring grants go to <paramref name="pending"/>.</summary>
    public void Free(PendingGrants pending)
    {
        Connected = false;
        _reqChannel.Interrupt = null;
        _evtChannel.Interrupt = null;
        _reqChannel.Dispose();
        _evtChannel.Dispose();
        pending.EndOrDefer(ReqRingRef, _reqPage);
        pending.EndOrDefer(EvtRingRef, _evtPage);
        if (_ctbPage is not null) pending.EndOrDefer(CtbRef, _ctbPage);
    }
}
