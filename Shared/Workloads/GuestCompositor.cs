using XenDisplayWeb.Shared.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>What one connector's compositor draws and how fast; changeable while it runs.</summary>
public sealed class WorkloadSettings(string workload, double framesPerSecond = 0)
{
    private volatile string _workload = Validate(workload);

    /// <summary>"testpattern", "desktop" or "motion".</summary>
    public string Workload { get => _workload; set => _workload = Validate(value); }

    /// <summary>Frames a second; 0 flips as fast as frame-done allows.</summary>
    public double FramesPerSecond { get; set; } = framesPerSecond >= 0 ? framesPerSecond : throw new ArgumentOutOfRangeException(nameof(framesPerSecond));

    private static string Validate(string name) =>
        WorkloadRenderers.Names.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? name.ToLowerInvariant()
            : throw new ArgumentException($"unknown workload '{name}'; one of: {string.Join(", ", WorkloadRenderers.Names)}", nameof(name));
}

/// <summary>A connector's compositor statistics, as the guest sees them.</summary>
public sealed class CompositorStats
{
    internal long _flips, _timeouts, _failed, _inputEvents, _lastInputSeq = -1;
    public long Flips => Interlocked.Read(ref _flips);
    public long FrameDoneTimeouts => Interlocked.Read(ref _timeouts);
    public long FailedFlips => Interlocked.Read(ref _failed);
    /// <summary>Input events the compositor consumed.</summary>
    public long InputEvents => Interlocked.Read(ref _inputEvents);
    /// <summary>The seq of the last input event consumed before the last frame drawn (its low 32 bits are on the strip's row 2); -1 before any.</summary>
    public long LastInputSeq => Interlocked.Read(ref _lastInputSeq);
    public uint NextFrameSeq { get; internal set; }
    public string? LastError { get; internal set; }
}

/// <summary>
/// The compositor inside a guest: on each connector, two dumb buffers and two framebuffers, draw into
/// the back one, flip, and draw the next frame only once the flip is done (frame-done or its timeout).
/// A connector with an input source drains it before drawing each frame (at most <see cref="MaxInputEventsPerFrame"/>
/// events, never waiting), hands what they did to the workload and stamps the last event's seq on the strip's row 2.
/// </summary>
public sealed class GuestCompositor : IDisposable
{
    /// <summary>Input events taken in per frame; more wait for the next frame.</summary>
    public const int MaxInputEventsPerFrame = 256;

    /// <summary>How long a connector waits before setting its mode again after SET_CONFIG failed.</summary>
    public static readonly TimeSpan SetModeRetry = TimeSpan.FromMilliseconds(100);

    private readonly XenDrmFront _front;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<int, WorkloadSettings> _settings;
    private readonly Func<int, IGuestInput?>? _input;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly Dictionary<int, CompositorStats> _stats = [];

    /// <param name="inputForConnector">The input source of each connector (by index), or null for none: e.g. its kbdfront.</param>
    public GuestCompositor(XenDrmFront front, Func<int, WorkloadSettings> settingsForConnector, TimeProvider? time = null, ILoggerFactory? loggers = null,
        Func<int, IGuestInput?>? inputForConnector = null)
    {
        _front = front;
        _settings = settingsForConnector;
        _input = inputForConnector;
        _time = time ?? TimeProvider.System;
        _logger = GuestLogger.Create<GuestCompositor>(loggers ?? NullLoggerFactory.Instance, front.DomId);
        _front.DeviceReady += OnDeviceReady;
        if (_front.Device is { } d) OnDeviceReady(d);
    }

    public CompositorStats Stats(int connector)
    {
        lock (_stats)
        {
            if (!_stats.TryGetValue(connector, out var s)) _stats[connector] = s = new CompositorStats();
            return s;
        }
    }

    private void OnDeviceReady(DrmDevice device)
    {
        lock (_running)
        {
            if (_stop.IsCancellationRequested) return;
            foreach (var conn in device.Connectors)
            {
                device.Open();
                _running.Add(Task.Run(() => RunConnectorAsync(device, conn)));
            }
        }
    }

    private async Task RunConnectorAsync(DrmDevice device, DrmConnector conn)
    {
        var stats = Stats(conn.Index);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, device.Unplugged);
        var ct = cts.Token;
        var dumbs = new List<DumbBuffer>();
        var fbs = new List<DrmFramebuffer>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                dumbs.Add(await device.CreateDumbAsync(conn.Width, conn.Height, 32, ct));
                fbs.Add(await device.AddFbAsync(dumbs[i], PixelFormat.Xrgb8888, ct));
            }
            uint seq = 0;
            string name = "";
            IWorkloadRenderer? renderer = null;
            var input = _input?.Invoke(conn.Index) is { } source ? new ConnectorInput(source, conn.Width, conn.Height) : null;
            bool modeSet = false;
            long next = _time.GetTimestamp();
            int back = 0;
            while (!ct.IsCancellationRequested)
            {
                var settings = _settings(conn.Index);
                if (renderer is null || name != settings.Workload)
                {
                    name = settings.Workload;
                    renderer = WorkloadRenderers.Create(name, conn.Width, conn.Height);
                    input?.Introduce(renderer);
                }
                if (!conn.LinkConnected)
                {
                    modeSet = false;
                    await WaitForLinkAsync(conn, ct);
                    continue;
                }
                input?.Drain(renderer, stats);
                Draw(renderer, dumbs[back], back, seq, input?.SeqLow32 ?? 0);
                if (input is not null) Interlocked.Exchange(ref stats._lastInputSeq, input.State.LastSeq);
                if (!modeSet)
                {
                    int set = await device.SetModeAsync(conn, fbs[back], ct);
                    if (set != 0)
                    {
                        Interlocked.Increment(ref stats._failed);
                        stats.LastError = $"SET_CONFIG: {Xen.XenErrno.Describe(set)}";
                        await Task.Delay(SetModeRetry, _time, ct); // as a compositor retries a failed modeset: not in a tight loop
                        continue;
                    }
                    modeSet = true;
                }
                var flip = await device.PageFlipAsync(conn, fbs[back], ct);
                if (flip.Status != 0) { Interlocked.Increment(ref stats._failed); stats.LastError = Xen.XenErrno.Describe(flip.Status); continue; }
                if (flip.TimedOut) Interlocked.Increment(ref stats._timeouts);
                Interlocked.Increment(ref stats._flips);
                stats.NextFrameSeq = ++seq;
                back ^= 1;
                if (settings.FramesPerSecond > 0)
                {
                    next += (long)(_time.TimestampFrequency / settings.FramesPerSecond);
                    var wait = _time.GetElapsedTime(_time.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct);
                    else next = _time.GetTimestamp(); // behind: do not try to catch up in a burst
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (DisplifRequestException e)
        {
            stats.LastError = e.Message;
            _logger.LogWarning("Connector {Index}: {Error}", conn.Index, e.Message);
        }
        catch (IOException e)
        {
            // The workload cannot start (the desktop's font is missing or broken): the message says what to do.
            stats.LastError = e.Message;
            _logger.LogError("Connector {Index}: the workload cannot start: {Error}", conn.Index, e.Message);
        }
        finally
        {
            if (!device.IsUnplugged)
            {
                try
                {
                    if (_stop.IsCancellationRequested) await device.DisableAsync(conn);
                    foreach (var fb in fbs) await device.RemoveFbAsync(fb);
                    foreach (var d in dumbs) await device.DestroyDumbAsync(d);
                }
                catch (Exception e) { _logger.LogDebug("Connector {Index}: cleanup: {Error}", conn.Index, e.Message); }
            }
            device.Close();
        }
    }

    private void Draw(IWorkloadRenderer renderer, DumbBuffer dumb, int index, uint seq, uint inputSeqLow32)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        renderer.Render(new FrameTarget(dumb.Pixels, dumb.Width, dumb.Height, dumb.Pitch, index), seq, now, inputSeqLow32);
    }

    /// <summary>A connector's input: its source, what the events so far left, and the buffers reused each frame.</summary>
    private sealed class ConnectorInput(IGuestInput source, int width, int height)
    {
        private readonly GuestInputEvent[] _events = new GuestInputEvent[MaxInputEventsPerFrame];
        private readonly List<InputAction> _actions = [];

        public InputState State { get; } = new(width, height);

        /// <summary>The strip's row 2: the low 32 bits of the last consumed event's seq, 0 before any.</summary>
        public uint SeqLow32 => State.LastSeq < 0 ? 0 : unchecked((uint)State.LastSeq);

        /// <summary>Tells a new renderer where the input stands (the pointer, for one).</summary>
        public void Introduce(IWorkloadRenderer renderer) => renderer.Apply(new InputFrame([], State));

        /// <summary>Takes in what is waiting (bounded), applies it in ring order and hands the renderer what it did.</summary>
        public void Drain(IWorkloadRenderer renderer, CompositorStats stats)
        {
            int n = source.Drain(_events);
            if (n == 0)
                return;
            _actions.Clear();
            for (int i = 0; i < n; i++)
                State.Apply(_events[i], _actions);
            Array.Clear(_events, 0, n);
            Interlocked.Add(ref stats._inputEvents, n);
            renderer.Apply(new InputFrame(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_actions), State));
        }
    }

    private static async Task WaitForLinkAsync(DrmConnector conn, CancellationToken ct)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(DrmConnector c) { if (c.LinkConnected) up.TrySetResult(); }
        conn.LinkChanged += OnChange;
        try
        {
            if (!conn.LinkConnected) await up.Task.WaitAsync(ct);
        }
        finally { conn.LinkChanged -= OnChange; }
    }

    /// <summary>Stops drawing: each connector is disabled and its buffers are freed.</summary>
    public void Dispose()
    {
        _front.DeviceReady -= OnDeviceReady;
        _stop.Cancel();
        Task[] all;
        lock (_running) all = [.. _running];
        try { Task.WaitAll(all, TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
    }
}
