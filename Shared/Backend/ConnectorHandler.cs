using System.Diagnostics;
using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>What the connector's frontend published in XenStore.</summary>
internal readonly record struct ConnectorConfig(int Index, int Width, int Height, string UniqueId, uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort);

/// <summary>
/// Serves one connector: its request ring on a thread of its own (like displ_be), responses, and
/// PG_FLIP events on its event page.
/// </summary>
internal sealed partial class ConnectorHandler : IDisposable
{
    private readonly FrontendHandler _device;
    private readonly CommandHandler _commands;
    private readonly BackendFaults _faults;
    private readonly DisplifTrace _trace;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _spin;
    // The request ring's page (and the CTB page, when the frontend gives one) on its channel, the event page on the other.
    private readonly SharedPageChannel _req, _evt;
    private readonly BackRing _ring;
    private readonly EventPageProducer _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private ushort _nextEventId;
    private readonly byte[] _lastRequest = new byte[Displif.Displif.PacketSize];
    private readonly byte[] _lastResponse = new byte[Displif.Displif.PacketSize];
    private readonly ConnectorConfig _config;

    public ConnectorHandler(IXenPlatform xen, FrontendHandler device, ConnectorConfig cfg, CommandHandler commands,
        IDisplaySink sink, BackendFaults faults, DisplifTrace trace, TimeProvider time, TimeSpan spin, ILogger logger)
    {
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

        uint? ctbRef = ReadCtbRef(xen, device, cfg);
        int dom = device.FrontDomId;
        _req = SharedPageChannel.Open(xen, dom, ctbRef is { } c ? [cfg.ReqRingRef, c] : [cfg.ReqRingRef], cfg.ReqPort);
        try { _evt = SharedPageChannel.Open(xen, dom, cfg.EvtRingRef, cfg.EvtPort); }
        catch { _req.Dispose(); throw; }

        // The ring thread works on the pages without the channels' locks: Dispose stops it before they are unmapped.
        _ring = _req.Use((page, ofs) => new BackRing(page, ofs), null)!;
        _events = _evt.Use((page, ofs) => new EventPageProducer(page, ofs), null)!;
        if (ctbRef is not null) _req.TryUse(CtbPage, AttachCtb);
        _thread = new Thread(Run) { IsBackground = true, Name = $"displback-{State.Key}" };
    }

    public ConnectorState State { get; }
    public IDisplaySink Sink { get; }
    public BackRing Ring => _ring;
    public EventPageProducer Events => _events;
    public int ReqPort => _req.LocalPort;
    public int EvtPort => _evt.LocalPort;
    public byte[] LastRequest { get { lock (_lastRequest) return (byte[])_lastRequest.Clone(); } }
    public byte[] LastResponse { get { lock (_lastResponse) return (byte[])_lastResponse.Clone(); } }
    public uint EventPageInCons => _evt.Use(EventPage.InCons, 0u);

    /// <summary>
    /// The ring, event page and last packets as they are now (for the dashboard's rings view); null once the
    /// connector has let go of its pages (they are the guest's alone then).
    /// </summary>
    public ConnectorRingStatus? RingStatus()
    {
        return _req.Use((_, _) => _evt.Use((evtPage, evtOfs) =>
        {
            // rsp_prod first: responses never pass requests and req_prod only grows, so no more are answered than asked.
            uint rspProd = _ring.SharedRspProd, reqProd = _ring.SharedReqProd;
            return new ConnectorRingStatus(State.Index, _config.ReqRingRef, _config.ReqPort, _config.EvtRingRef, _config.EvtPort,
                reqProd, rspProd, _ring.SharedReqEvent, _ring.SharedRspEvent, _ring.ReqCons, _ring.RspProdPvt,
                _events.InProd, EventPage.InCons(evtPage, evtOfs), _events.Dropped, State.RequestsHandled, State.FlipEventsSent, LastRequest, LastResponse) { Ctb = CtbStatus() };
        }, null), null);
    }

    public void Start() => _thread.Start();

    private void Run()
    {
        Span<byte> req = stackalloc byte[Displif.Displif.PacketSize];
        uint seen = _req.Signal.Sequence;
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
                    _device.ConnectorMisbehaves($"connector {State.Index}: event page in_cons {inCons} out of range (in_prod {_events.InProd})");
                    return;
                }
                if (!_ring.FinalCheckForRequests(out uint reqProd))
                {
                    _req.Signal.Wait(ref seen, _spin, 250);
                    continue;
                }
                if (_ring.IsRequestProdOverflow(reqProd))
                {
                    _device.ConnectorMisbehaves($"connector {State.Index}: req_prod {reqProd} is more than {SharedRing.Size} ahead of rsp_prod {_ring.RspProdPvt}");
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
            _device.ConnectorMisbehaves($"connector {State.Index}: backend error {e.GetType().Name}: {e.Message}");
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
            if (_ring.PushResponsesAndCheckNotify()) _req.Notify();
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
            _device.ConnectorMisbehaves($"connector {State.Index}: event page in_cons {inCons} out of range (in_prod {_events.InProd})");
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
            _evt.Notify();
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
        _req.Signal.Raise();
        if (_thread.IsAlive && _thread != Thread.CurrentThread) _thread.Join();
        _req.Dispose();
        _evt.Dispose();
        try { Sink.Blank(); Sink.Dispose(); }
        catch (Exception e) { _logger.LogWarning(e, "Display sink of {Connector} failed to close", State.Key); }
    }
}
