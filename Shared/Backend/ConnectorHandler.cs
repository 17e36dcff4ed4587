using System.Diagnostics;
using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>What the connector's frontend published in XenStore.</summary>
internal readonly record struct ConnectorConfig(int Index, int Width, int Height, string UniqueId, uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort);

/// <summary>
/// Serves one connector: its request ring on a thread of its own (like displ_be), responses, and
/// PG_FLIP events on its event page.
/// </summary>
internal sealed partial class ConnectorHandler : IDisposable
{
    private readonly IXenPlatform _xen;
    private readonly FrontendHandler _device;
    private readonly CommandHandler _commands;
    private readonly BackendFaults _faults;
    private readonly DisplifTrace _trace;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _spin;
    private readonly GrantMapping _reqMap, _evtMap;
    private readonly BackRing _ring;
    private readonly EventPageProducer _events;
    private readonly EventChannel _reqChannel, _evtChannel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private ushort _nextEventId;
    private readonly byte[] _lastRequest = new byte[Displif.Displif.PacketSize];
    private readonly byte[] _lastResponse = new byte[Displif.Displif.PacketSize];
    private readonly ConnectorConfig _config;
    // Held while the ring and event pages are read from another thread (RingStatus) and while Dispose unmaps them.
    private readonly object _pagesLock = new();
    private bool _unmapped;

    public ConnectorHandler(IXenPlatform xen, FrontendHandler device, ConnectorConfig cfg, CommandHandler commands,
        IDisplaySink sink, BackendFaults faults, DisplifTrace trace, TimeProvider time, TimeSpan spin, ILogger logger)
    {
        _xen = xen;
        _device = device;
        _commands = commands;
        _faults = faults;
        _trace = trace;
        _time = time;
        _spin = spin;
        _logger = logger;
        Sink = sink;
        _config = cfg;
        State = new ConnectorState(device, cfg.Index, cfg.Width, cfg.Height, cfg.UniqueId);

        int dom = device.FrontDomId;
        _reqMap = xen.Gnttab.Map(dom, cfg.ReqRingRef, readOnly: false);
        try
        {
            _evtMap = xen.Gnttab.Map(dom, cfg.EvtRingRef, readOnly: false);
            try
            {
                _reqChannel = xen.Evtchn.BindInterdomain(dom, cfg.ReqPort);
                try { _evtChannel = xen.Evtchn.BindInterdomain(dom, cfg.EvtPort); }
                catch { _reqChannel.Dispose(); throw; }
            }
            catch { xen.Gnttab.Unmap(_evtMap); throw; }
        }
        catch { xen.Gnttab.Unmap(_reqMap); throw; }

        try { AttachCtb(xen, device, cfg); }
        catch { _reqChannel.Dispose(); _evtChannel.Dispose(); xen.Gnttab.Unmap(_evtMap); xen.Gnttab.Unmap(_reqMap); throw; }
        _ring = new BackRing(_reqMap.Array, _reqMap.Offset);
        _events = new EventPageProducer(_evtMap.Array, _evtMap.Offset);
        _thread = new Thread(Run) { IsBackground = true, Name = $"displback-{State.Key}" };
    }

    public ConnectorState State { get; }
    public IDisplaySink Sink { get; }
    public BackRing Ring => _ring;
    public EventPageProducer Events => _events;
    public int ReqPort => _reqChannel.Port;
    public int EvtPort => _evtChannel.Port;
    public byte[] LastRequest { get { lock (_lastRequest) return (byte[])_lastRequest.Clone(); } }
    public byte[] LastResponse { get { lock (_lastResponse) return (byte[])_lastResponse.Clone(); } }
    public uint EventPageInCons => EventPage.InCons(_evtMap.Array, _evtMap.Offset);

    /// <summary>
    /// The ring, event page and last packets as they are now (for the dashboard's rings view); null once the
    /// connector has let go of its pages (they are the guest's alone then).
    /// </summary>
    public ConnectorRingStatus? RingStatus()
    {
        lock (_pagesLock)
        {
            if (_unmapped) return null;
            // rsp_prod first: responses never pass requests and req_prod only grows, so no more are answered than asked.
            uint rspProd = _ring.SharedRspProd, reqProd = _ring.SharedReqProd;
            return new(State.Index, _config.ReqRingRef, _config.ReqPort, _config.EvtRingRef, _config.EvtPort,
                reqProd, rspProd, _ring.SharedReqEvent, _ring.SharedRspEvent, _ring.ReqCons, _ring.RspProdPvt,
                _events.InProd, EventPageInCons, _events.Dropped, State.RequestsHandled, State.FlipEventsSent, LastRequest, LastResponse) { Ctb = CtbStatus() };
        }
    }

    public void Start() => _thread.Start();

    private void Run()
    {
        Span<byte> req = stackalloc byte[Displif.Displif.PacketSize];
        uint seen = _reqChannel.Signal.Sequence;
        var stop = _stop.Token;
        try
        {
            if (_ctb is not null) { RunCtb(stop); return; }
            while (!stop.IsCancellationRequested)
            {
                if (_faults.Paused) { _faults.WaitWhilePaused(stop); continue; }
                // The guest may write its event page's in_cons at any time: check it at every wake-up, not only when sending.
                if (!_events.TryReadConsumer(out uint inCons))
                {
                    _device.ReportMisbehaving($"connector {State.Index}: event page in_cons {inCons} out of range (in_prod {_events.InProd})");
                    return;
                }
                if (!_ring.FinalCheckForRequests(out uint reqProd))
                {
                    _reqChannel.Signal.Wait(ref seen, _spin, 250);
                    continue;
                }
                if (_ring.IsRequestProdOverflow(reqProd))
                {
                    _device.ReportMisbehaving($"connector {State.Index}: req_prod {reqProd} is more than {SharedRing.Size} ahead of rsp_prod {_ring.RspProdPvt}");
                    return;
                }
                while (_ring.UnconsumedRequests(reqProd) > 0 && !stop.IsCancellationRequested)
                {
                    _ring.CopyRequest(req);
                    if (!Serve(req)) return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours must not take the host down: this device stops, every other keeps going.
            _logger.LogError(e, "Connector {Connector} failed", State.Key);
            _device.ReportMisbehaving($"connector {State.Index}: backend error {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Handles one copied request; false when the device must stop being served.</summary>
    private bool Serve(ReadOnlySpan<byte> req)
    {
        long start = Stopwatch.GetTimestamp();
        ushort id = PacketHeader.Id(req);
        byte op = PacketHeader.Operation(req);
        lock (_lastRequest) req.CopyTo(_lastRequest);
        Interlocked.Increment(ref State._requests);
        _trace.AppendPacket(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Request, req);

        CommandResult result = _faults.TryTakeFailure(op, out int injected)
            ? CommandResult.Fail(-injected, "injected fault")
            : _commands.Handle(req, State);
        if (result.Reason is { } reason)
            _logger.LogDebug("{Connector} {Op} id {Id}: {Status}: {Reason}", State.Key, Displif.Displif.OpName(op), id, XenErrno.Describe(result.Status), reason);

        if (_faults.ResponseDelay > TimeSpan.Zero)
            Task.Delay(_faults.ResponseDelay, _time).Wait(_stop.Token);

        // A new mode is applied before it is acknowledged; a flip is acknowledged at once and shown after.
        if (!result.FlipEvent) ShowResult(result);

        double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        // Built in our own memory: what we trace is what we sent, whatever the guest does to the slot after.
        Span<byte> rsp = stackalloc byte[Displif.Displif.PacketSize];
        new DisplifResponse(id, op, result.Status, result.EdidSz).WriteTo(rsp);
        lock (_lastResponse) rsp.CopyTo(_lastResponse);
        if (_ctb is not null) CompleteCtb(rsp, result, us);
        else RespondOnRing(id, op, result, rsp, us);

        if (!result.FlipEvent) return true;
        ShowResult(result);
        return SendFlipEvent(result.Show!.Cookie);
    }

    private void RespondOnRing(ushort id, byte op, in CommandResult result, ReadOnlySpan<byte> rsp, double us)
    {
        rsp.CopyTo(_ring.NextResponseSlot());
        _ring.ProduceResponse();
        if (_faults.TakeDropResponse())
        {
            // Withheld: it is published with the next response, too late, and the frontend skips it as stale.
            _trace.Append(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Note, id, Displif.Displif.OpName(op), result.Status, "response withheld (fault)", us);
        }
        else
        {
            if (_ring.PushResponsesAndCheckNotify()) _reqChannel.Notify();
            _trace.AppendPacket(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Response, rsp, result.Reason, us);
        }
    }

    private void ShowResult(in CommandResult result)
    {
        if (result.Blank) Sink.Blank();
        if (result.Show is { } fb && State.Config is { } cfg)
        {
            _commands.Memory.Show(fb, cfg, Interlocked.Increment(ref State._framesShown), Sink);
        }
    }

    private bool SendFlipEvent(ulong fbCookie)
    {
        if (!_events.TryReadConsumer(out uint inCons))
        {
            _device.ReportMisbehaving($"connector {State.Index}: event page in_cons {inCons} out of range (in_prod {_events.InProd})");
            return false;
        }
        // A dropped event never takes an id: Linux expects ids 0, 1, 2... and would skip every later one.
        if (_faults.TakeDropFrameDone())
        {
            _trace.Append(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Note, _nextEventId, "EVT_PG_FLIP", 0, $"frame-done event dropped (fault) fb_cookie={PacketDecoder.Hex(fbCookie)}");
            return true;
        }
        ushort id = _nextEventId++;
        Span<byte> evt = stackalloc byte[Displif.Displif.PacketSize];
        new PgFlipEvent(id, fbCookie).WriteTo(evt);
        if (_events.TryPut(evt))
        {
            Interlocked.Increment(ref State._flipEvents);
            _evtChannel.Notify();
            _trace.AppendPacket(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Event, evt);
        }
        else
        {
            _trace.Append(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Note, id, "EVT_PG_FLIP", 0, "event page full: event dropped");
        }
        return true;
    }

    /// <summary>Stops the ring thread (waiting for the request in hand), then unbinds and unmaps.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _reqChannel.Signal.Raise();
        if (_thread.IsAlive && _thread != Thread.CurrentThread) _thread.Join();
        _reqChannel.Dispose();
        _evtChannel.Dispose();
        lock (_pagesLock)
        {
            _unmapped = true;
            _xen.Gnttab.Unmap(_reqMap);
            _xen.Gnttab.Unmap(_evtMap);
            if (_ctbMap is not null) _xen.Gnttab.Unmap(_ctbMap);
        }
        try { Sink.Blank(); Sink.Dispose(); }
        catch (Exception e) { _logger.LogWarning(e, "Display sink of {Connector} failed to close", State.Key); }
    }
}
