using Microsoft.Extensions.Logging;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>How a page flip ended: by the backend's frame-done event, by the frame-done timer, or refused.</summary>
public readonly record struct FlipResult(int Status, bool TimedOut);

/// <summary>
/// One connector and its display pipe as the guest sees it (xen_drm_front_kms): the mode, the link
/// status, and the page flip in progress with its frame-done timer.
/// </summary>
public sealed class DrmConnector
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly FrontendTimeouts _timeouts;
    private readonly ILogger _logger;
    private TaskCompletionSource<FlipResult>? _pendingFlip;
    private ITimer? _flipTimer;
    private volatile bool _linkConnected = true;

    internal DrmConnector(int index, int width, int height, string uniqueId, bool modeFromEdid, TimeProvider time, FrontendTimeouts timeouts, ILogger logger)
    {
        Index = index;
        Width = width;
        Height = height;
        UniqueId = uniqueId;
        ModeFromEdid = modeFromEdid;
        _time = time;
        _timeouts = timeouts;
        _logger = logger;
    }

    public int Index { get; }
    public int Width { get; }
    public int Height { get; }
    public string UniqueId { get; }

    /// <summary>Whether the mode came from GET_EDID (else from XenStore's resolution).</summary>
    public bool ModeFromEdid { get; }

    /// <summary>The connector's link: a failed SET_CONFIG or PG_FLIP marks it disconnected, as Linux does.</summary>
    public bool LinkConnected => _linkConnected;

    /// <summary>Raised when the link status changes (a hotplug event to the compositor).</summary>
    public event Action<DrmConnector>? LinkChanged;

    /// <summary>A flip was completed by the frame-done timer because no PG_FLIP event came.</summary>
    public event Action<DrmConnector, TimeSpan>? FrameDoneTimedOut;

    public long FramesDone => Interlocked.Read(ref _framesDone);
    public long FrameDoneTimeouts => Interlocked.Read(ref _frameDoneTimeouts);
    private long _framesDone, _frameDoneTimeouts;

    internal void SetLink(bool connected)
    {
        if (_linkConnected == connected) return;
        _linkConnected = connected;
        _logger.LogInformation("Connector {Index} link {State}", Index, connected ? "up" : "down");
        LinkChanged?.Invoke(this);
    }

    /// <summary>Arms the frame-done timer for a flip just sent; the returned task completes on frame done or timeout.</summary>
    internal Task<FlipResult> ArmFlip()
    {
        var tcs = new TaskCompletionSource<FlipResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _pendingFlip?.TrySetResult(new FlipResult(0, false));
            _pendingFlip = tcs;
            _flipTimer?.Dispose();
            _flipTimer = _time.CreateTimer(_ => OnFrameDoneTimeout(tcs), null, _timeouts.FrameDone, Timeout.InfiniteTimeSpan);
        }
        return tcs.Task;
    }

    /// <summary>The flip could not be sent: nothing to wait for.</summary>
    internal void CancelFlip(Task<FlipResult> flip, int status)
    {
        lock (_lock)
        {
            if (_pendingFlip?.Task != flip) return;
            _flipTimer?.Dispose();
            _flipTimer = null;
            _pendingFlip.TrySetResult(new FlipResult(status, false));
            _pendingFlip = null;
        }
    }

    /// <summary>The backend's PG_FLIP event (xen_drm_front_on_frame_done).</summary>
    internal void OnFrameDone(ulong fbCookie)
    {
        var done = TakePendingFlip();
        if (done is null) return;
        Interlocked.Increment(ref _framesDone);
        done.TrySetResult(new FlipResult(0, false));
    }

    private void OnFrameDoneTimeout(TaskCompletionSource<FlipResult> flip)
    {
        lock (_lock)
        {
            if (_pendingFlip != flip) return;
            _pendingFlip = null;
            _flipTimer?.Dispose();
            _flipTimer = null;
        }
        Interlocked.Increment(ref _frameDoneTimeouts);
        _logger.LogWarning("Connector {Index}: frame done timed out after {Timeout} ms; completing the flip", Index, _timeouts.FrameDone.TotalMilliseconds);
        FrameDoneTimedOut?.Invoke(this, _timeouts.FrameDone);
        flip.TrySetResult(new FlipResult(0, true));
    }

    /// <summary>The device is gone: a flip still waiting completes now.</summary>
    internal void Unplug()
    {
        TakePendingFlip()?.TrySetResult(new FlipResult(-Xen.XenErrno.EIO, false));
    }

    /// <summary>Takes the flip in progress, if any, and stops its frame-done timer.</summary>
    private TaskCompletionSource<FlipResult>? TakePendingFlip()
    {
        lock (_lock)
        {
            var pending = _pendingFlip;
            _pendingFlip = null;
            _flipTimer?.Dispose();
            _flipTimer = null;
            return pending;
        }
    }
}
