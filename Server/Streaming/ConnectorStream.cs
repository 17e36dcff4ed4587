using System.Diagnostics;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Streams one connector to its viewers. The ring thread hands frames to <see cref="Show"/> (compare and
/// copy into the inbox, then a signal); the encoder (<see cref="Pump"/>, on its own task) takes the dirty
/// tiles, chooses a codec per region, encodes once per (content, codec, quality) and sends each viewer
/// what it is owed within its in-flight window. Viewers never hold up the ring thread or each other.
/// On video (<see cref="VideoPath"/>), each new picture is encoded once as H.264 for every viewer that can
/// take it, while the others go on getting tiles.
/// </summary>
public sealed class ConnectorStream : IDisposable
{
    private const string Png = EncodeJob.Png, Jpeg = EncodeJob.Jpeg;

    private readonly StreamingOptions _options;
    private readonly IFrameSender _sender;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrameInbox _inbox;
    private readonly object _lock = new();
    private readonly Dictionary<string, Viewer> _viewers = [];
    private readonly TileActivity _activity;
    private readonly Dictionary<EncodeKey, byte[]> _cache = [];
    private readonly List<int> _due = [];
    private readonly long _refreshDelay;
    private readonly JpegEncoderPool _jpegs;
    private readonly int _parallelism = Math.Max(1, Environment.ProcessorCount);
    private readonly object _pumpLock = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer? _refreshTimer;
    private readonly Task? _loop;
    private int _signaled, _attached, _retired, _disposed;
    private volatile int _viewerCount;
    private volatile bool _lossyOutstanding;
    private readonly VideoPath _video;
    private volatile bool _onVideo;
    private long _videoVersion = -1;
    private ScaledVariants? _scaled;

    private byte[] _picture = [];
    private bool[] _dirty = [];
    private TileGrid _grid;
    private bool _blank = true;
    private long _version, _guestFrame;
    private long _lastPictureAt;
    private double _pictureIntervalMs;
    private int _modeWidth, _modeHeight;

    // Stats since the last tick.
    private long _statsAt, _statsShownBase, _pictures, _encodes, _encodeTicks, _pngRects, _jpegRects, _videoChunks;

    public ConnectorStream(int domId, int index, StreamingOptions options, IFrameSender sender, TimeProvider time, ILogger logger,
        JpegEncoder? jpeg, bool runEncoder = true, IVideoEncoderFactory? video = null)
    {
        DomId = domId;
        Index = index;
        _options = options;
        _sender = sender;
        _time = time;
        _logger = logger;
        _jpegs = new JpegEncoderPool(jpeg);
        _inbox = new FrameInbox(options.TileSize);
        _grid = new TileGrid(0, 0, options.TileSize);
        _activity = new TileActivity(options.LossyThresholdFps, time);
        _refreshDelay = (long)(time.TimestampFrequency * options.RefreshDelayMs / 1000.0);
        _statsAt = time.GetTimestamp();
        _video = new VideoPath(domId, index, video ?? new UnavailableVideoEncoderFactory(), options, time, logger);
        if (runEncoder)
        {
            _loop = Task.Run(RunAsync);
            var period = TimeSpan.FromMilliseconds(Math.Max(10, options.RefreshDelayMs / 4));
            // On video, the pump also looks again while nothing changes: the motion may have stopped.
            _refreshTimer = time.CreateTimer(_ => { if (_lossyOutstanding || _onVideo) Signal(); }, null, period, period);
        }
    }

    public int DomId { get; }
    public int Index { get; }

    /// <summary>A backend connector feeds this stream now.</summary>
    public bool IsActive => Volatile.Read(ref _attached) > 0;

    public int ViewerCount => _viewerCount;

    /// <summary>What the operator asked for: auto, tiles or video.</summary>
    public VideoMode Mode
    {
        get => _video.Mode;
        set { _video.Mode = value; Signal(); }
    }

    /// <summary>The path the stream is on: "tiles" or "video".</summary>
    public string Path => _onVideo ? VideoModes.Video : VideoModes.Tiles;
    /// <summary>The encoder task: completes once the stream is disposed (at once when it runs none).</summary>
    internal Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>The size viewers see: the picture's when one is shown, else the connector's mode.</summary>
    public (int Width, int Height) Size
    {
        get
        {
            if (_inbox.Size is { Width: > 0 } shown) return shown;
            lock (_lock) return (_modeWidth, _modeHeight);
        }
    }

    internal void Attach(int width, int height)
    {
        lock (_lock) { _modeWidth = width; _modeHeight = height; }
        Interlocked.Increment(ref _attached);
    }

    internal void Detach()
    {
        bool last = Interlocked.Decrement(ref _attached) == 0;
        Blank();
        if (last && Volatile.Read(ref _retired) != 0) Dispose();
    }

    /// <summary>
    /// Its guest is gone: the stream is disposed now, or when the last connector feeding it detaches. (Both sides
    /// write with a full fence before they read the other's flag, so at least one of them disposes.)
    /// </summary>
    internal void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _attached) == 0) Dispose();
    }

    /// <summary>Disposed: its encoder task has ended and its timer, encoders and pictures are let go.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Ring thread: compare and copy the frame, then wake the encoder if anyone watches.</summary>
    public void Show(in ScanoutView frame)
    {
        _inbox.Show(frame);
        if (Watched) Signal();
    }

    /// <summary>Ring thread: the connector shows nothing.</summary>
    public void Blank()
    {
        _inbox.Blank();
        if (Watched) Signal();
    }

    private bool Watched => _viewerCount > 0 || _scaled is { Count: > 0 };

    /// <summary>Viewers at a smaller size than the picture, fed by this stream's encoder pass (made on the first such watch).</summary>
    internal ScaledVariants Scaled
    {
        get
        {
            if (_scaled is { } s) return s;
            var made = new ScaledVariants(this, () => new ConnectorStream(DomId, Index, _options, _sender, _time, _logger,
                _jpegs.Available ? JpegEncoder.TryCreate(out _) : null, _loop is not null), _options, _time);
            if (Interlocked.CompareExchange(ref _scaled, made, null) is { } other) { made.Dispose(); return other; }
            return made;
        }
    }

    /// <summary>
    /// A connection starts (or restarts) watching: it gets a full frame first. A box smaller than the picture
    /// (<see cref="WatchOptions.MaxWidth"/>, <see cref="WatchOptions.MaxHeight"/>) watches a scaled variant instead;
    /// either way the answer is the size frames come at.
    /// </summary>
    public WatchResult AddViewer(string connectionId, WatchOptions? options = null)
    {
        var size = Size;
        if (ScaledSize.Fit(size, options ?? WatchOptions.Full) is var scaled && scaled != size)
        {
            lock (_lock) { _viewers.Remove(connectionId); _viewerCount = _viewers.Count; }
            return Scaled.Watch(connectionId, size, scaled, options!);
        }
        _scaled?.Unwatch(connectionId);
        lock (_lock)
        {
            _viewers[connectionId] = new Viewer(connectionId, _grid.Count, _options.JpegQualityMax) { Options = options ?? WatchOptions.Full };
            _viewerCount = _viewers.Count;
        }
        Signal();
        var (w, h) = Size;
        return new WatchResult(w, h);
    }

    public bool IsWatchedBy(string connectionId)
    {
        lock (_lock) return _viewers.ContainsKey(connectionId);
    }

    public bool RemoveViewer(string connectionId)
    {
        bool removed;
        lock (_lock)
        {
            removed = _viewers.Remove(connectionId);
            _viewerCount = _viewers.Count;
        }
        return removed || (_scaled?.Unwatch(connectionId) ?? false);
    }

    /// <summary>The viewer has drawn frame <paramref name="frameId"/>: its lag is measured and its window opens.</summary>
    public void Ack(string connectionId, long frameId)
    {
        if (_scaled?.Ack(connectionId, frameId) == true) return;
        lock (_lock)
        {
            if (!_viewers.TryGetValue(connectionId, out var v) || !v.InFlight.Remove(frameId, out long sentAt)) return;
            double lag = _time.GetElapsedTime(sentAt).TotalMilliseconds;
            v.AddRtt(lag);
            v.LagMs = double.IsNaN(v.LagMs) ? lag : v.LagMs * 0.75 + lag * 0.25;
            if (v.LagMs > _options.LagHighMs) v.Quality = Math.Max(_options.JpegQualityMin, v.Quality - 10);
            else if (v.LagMs < _options.LagLowMs) v.Quality = Math.Min(_options.JpegQualityMax, v.Quality + 5);
        }
        Signal();
    }

    /// <summary>The viewer's decoder wants a key frame (it failed, or starts over): it gets one with its next chunk.</summary>
    public void RequestKeyFrame(string connectionId)
    {
        lock (_lock)
        {
            if (!_viewers.TryGetValue(connectionId, out var v)) return;
            v.NeedsKey = true;
        }
        Signal();
    }

    /// <summary>The current picture as a lossless PNG (ImageSharp, as a download); null when blank or nothing was shown.</summary>
    public byte[]? SnapshotPng()
    {
        if (_inbox.Snapshot() is not { } s) return null;
        return PngWriter.Encode(s.Pixels, s.Width * 4, s.Width, s.Height, PngWriter.Downloads);
    }

    /// <summary>Wakes the encoder.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _signaled, 1) == 0) _wake.Release();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await _wake.WaitAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            Volatile.Write(ref _signaled, 0);
            try { Pump(); }
            catch (Exception e) { _logger.LogError(e, "Streaming of connector {DomId}/{Index} failed a frame", DomId, Index); }
        }
    }

    /// <summary>
    /// One encoder pass: takes the inbox's damage, schedules due lossless refreshes, and sends every
    /// viewer with room in its window the frame it is owed. The background task calls it on each signal;
    /// tests call it directly. Passes do not overlap; the stream's lock is held only to plan (what each
    /// viewer is owed, which regions need encoding) and to publish, never while encoding, so Ack and
    /// Watch wait for neither the codecs nor the senders.
    /// </summary>
    public void Pump()
    {
        lock (_pumpLock)
        {
            if (_viewerCount == 0 && _scaled is { Count: > 0 } held && held.HoldsBack()) return;
            var plans = new List<FramePlan>();
            var jobs = new Dictionary<EncodeKey, EncodeJob>();
            var blanks = new List<string>();
            VideoPlan? video;
            lock (_lock) video = Plan(plans, jobs, blanks);
            _scaled?.Feed(_picture, _grid, _dirty, _blank, _guestFrame);
            foreach (var id in blanks) _sender.SendBlank(id, new BlankMessage(DomId, Index));
            if (plans.Count == 0 && video is null) return;

            // Only this pass writes _picture, and passes do not overlap: it is stable while the jobs run.
            var work = jobs.Values.ToArray();
            int stride = _grid.Width * 4;
            var picture = _picture;
            try
            {
                if (work.Length == 1) work[0].Run(picture, stride, _jpegs);
                else if (work.Length > 1)
                    Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = _parallelism },
                        i => work[i].Run(picture, stride, _jpegs));
            }
            catch (Exception)
            {
                lock (_lock) { Abandon(plans); if (video is not null) AbandonVideo(video); }
                throw;
            }

            // The encoder runs here, on the pump, never on the ring thread; a failure puts the stream on tiles.
            var encoded = video is null ? null : _video.Encode(picture, video.Width, video.Height, video.Key);

            var sends = new List<(string ConnectionId, FrameMessage Frame)>(plans.Count);
            lock (_lock)
            {
                Publish(plans, work, sends);
                if (video is not null)
                {
                    if (encoded is { } e) PublishVideo(video, e.Frame, e.Codec, e.Ticks, sends);
                    else AbandonVideo(video);
                }
            }
            foreach (var (id, frame) in sends) _sender.SendFrame(id, frame);
            if (video is not null && encoded is null) Signal();
        }
    }

    /// <summary>Under the lock: takes the damage, chooses the path, and reserves each owed frame in its viewer's window.</summary>
    private VideoPlan? Plan(List<FramePlan> plans, Dictionary<EncodeKey, EncodeJob> jobs, List<string> blanks)
    {
        long now = _time.GetTimestamp();
        var take = _inbox.Take(ref _picture, ref _dirty);
        if (take.Blank)
        {
            if (!_blank) { _blank = true; foreach (var v in _viewers.Values) v.BlankSent = false; }
            foreach (var v in _viewers.Values)
            {
                if (v.BlankSent) continue;
                v.BlankSent = true;
                blanks.Add(v.ConnectionId);
            }
            return null;
        }
        _blank = false;
        if (take.Reset || _grid.Width != take.Width || _grid.Height != take.Height)
        {
            _grid = new TileGrid(take.Width, take.Height, _options.TileSize);
            _activity.Reset(_grid.Count);
            _cache.Clear();
            foreach (var v in _viewers.Values) v.Resize(_grid.Count);
        }
        if (take.DirtyTiles > 0)
        {
            if (_lastPictureAt != 0)
            {
                double interval = _time.GetElapsedTime(_lastPictureAt, now).TotalMilliseconds;
                _pictureIntervalMs = _pictureIntervalMs > 0 ? _pictureIntervalMs * 0.875 + interval * 0.125 : interval;
            }
            _lastPictureAt = now;
            _version++;
            _pictures++;
            _guestFrame = take.GuestFrame;
            for (int t = 0; t < _dirty.Length; t++) if (_dirty[t]) _activity.Changed(t, now, _version);
            _video.Picture(now, take.DirtyTiles, _grid.Count, take.FramesWithDamage);
            foreach (var v in _viewers.Values)
            {
                // Frames that reach this viewer only merged into a later one are dropped for it.
                v.Dropped += v.PendingCount > 0 ? take.FramesWithDamage : take.FramesWithDamage - 1;
                v.AddDamage(_dirty);
            }
        }

        _due.Clear();
        _activity.TakeDueRefreshes(now, _refreshDelay, _due);
        foreach (int t in _due) foreach (var v in _viewers.Values) v.AddRefresh(t);

        bool video = _video.Decide(now, _grid.Width, _grid.Height);
        if (video != _onVideo)
        {
            _onVideo = video;
            if (!video) _video.Release();
            _logger.LogInformation("Connector {DomId}/{Index} streams {Path} now", DomId, Index, Path);
        }
        foreach (var v in _viewers.Values)
        {
            bool onVideo = video && v.TakesVideo(_video.Family, _grid.Width, _grid.Height);
            if (onVideo != v.OnVideo)
            {
                v.OnVideo = onVideo;
                if (onVideo) v.NeedsKey = true;
                else { v.NeedsFull = true; v.LosslessFull = true; } // back to tiles: sharp again at once
            }
            if (!v.OnVideo && PlanFrame(v, now, jobs) is { } plan) plans.Add(plan);
        }
        _lossyOutstanding = _activity.AnyLossy;
        return video ? PlanVideo(now) : null;
    }

    /// <summary>
    /// Under the lock: whether this pass encodes a chunk, and for whom. A chunk is made when a video viewer
    /// has room and there is a new picture or a viewer waits for a key frame (then it is a key frame); a
    /// video viewer without room misses it, so it waits for a key frame instead of stale deltas.
    /// </summary>
    private VideoPlan? PlanVideo(long now)
    {
        if (_blank || _picture.Length == 0) return null;
        bool fresh = _version != _videoVersion, key = false;
        var room = new List<Viewer>();
        foreach (var v in _viewers.Values)
        {
            if (!v.OnVideo || v.InFlight.Count >= v.Window(_pictureIntervalMs, _options.MaxInFlight) || !_sender.CanSend(v.ConnectionId)) continue;
            room.Add(v);
            key |= v.NeedsKey;
        }
        if (room.Count == 0 || !(fresh || key)) return null;
        foreach (var v in _viewers.Values) if (v.OnVideo && !room.Contains(v)) v.NeedsKey = true;
        _videoVersion = _version;
        var recipients = new List<(Viewer Viewer, long Id, long Dropped)>(room.Count);
        foreach (var v in room)
        {
            long id = v.NextFrameId++;
            v.InFlight[id] = now;
            v.NeedsKey = false;
            v.BlankSent = false;
            v.ClearPending();
            recipients.Add((v, id, v.Dropped));
        }
        return new VideoPlan(key, _guestFrame, _grid.Width, _grid.Height, recipients);
    }

    private FramePlan? PlanFrame(Viewer v, long now, Dictionary<EncodeKey, EncodeJob> jobs)
    {
        if (_blank || _picture.Length == 0 || v.Pending.Length != _grid.Count) return null;
        if (v.InFlight.Count >= v.Window(_pictureIntervalMs, _options.MaxInFlight) || !_sender.CanSend(v.ConnectionId)) return null;
        bool full = v.NeedsFull;
        if (!full && v.PendingCount == 0) return null;
        v.BlankSent = false;
        if (full)
        {
            Array.Fill(v.Pending, true);
            if (v.LosslessFull) Array.Fill(v.Refresh, true);
            else Array.Clear(v.Refresh);
        }

        int n = _grid.Count;
        var lossy = new bool[n];
        var lossless = new bool[n];
        for (int t = 0; t < n; t++)
        {
            if (!v.Pending[t]) continue;
            if (_jpegs.Available && !v.Refresh[t] && _activity.IsFast(t, now)) lossy[t] = true;
            else lossless[t] = true;
        }
        int maxTiles = _options.MaxRectSize / _options.TileSize;
        var rects = new List<PlannedRect>();
        foreach (var r in DamageMerger.Merge(_grid, lossy, maxTiles)) rects.Add(PlanRect(r, Jpeg, v.Quality, jobs));
        foreach (var r in DamageMerger.Merge(_grid, lossless, maxTiles)) rects.Add(PlanRect(r, Png, 0, jobs));

        long id = v.NextFrameId++;
        v.InFlight[id] = now;
        v.ClearPending();
        return new FramePlan(v, id, _guestFrame, _grid.Width, _grid.Height, full, v.Dropped, rects);
    }

    /// <summary>A cached encode, or the job (shared by every viewer of this pass) that will make it.</summary>
    private PlannedRect PlanRect(PixelRect r, string codec, int quality, Dictionary<EncodeKey, EncodeJob> jobs)
    {
        int ts = _options.TileSize;
        long version = 0;
        for (int y = r.Y / ts; y < (r.Y + r.H + ts - 1) / ts; y++)
            for (int x = r.X / ts; x < (r.X + r.W + ts - 1) / ts; x++)
                version = Math.Max(version, _activity.Version(y * _grid.Columns + x));
        var key = new EncodeKey(r, codec, codec == Jpeg ? quality : 0, version);
        if (_cache.TryGetValue(key, out var cached)) return new PlannedRect(r, codec, cached, null);
        if (!jobs.TryGetValue(key, out var job)) jobs[key] = job = new EncodeJob(key);
        return new PlannedRect(r, codec, null, job);
    }

    /// <summary>Under the lock: caches the encodes, counts them, and builds the frames of viewers still watching.</summary>
    private void Publish(List<FramePlan> plans, EncodeJob[] work, List<(string, FrameMessage)> sends)
    {
        foreach (var job in work)
        {
            if (job.JpegError is not null)
                _logger.LogWarning(job.JpegError, "JPEG encoding of {DomId}/{Index} failed; sending PNG", DomId, Index);
            _encodeTicks += job.Ticks;
            _encodes++;
            if (job.Codec == Jpeg) { _jpegTotals.Encodes++; _jpegTotals.Ticks += job.Ticks; }
            else { _pngTotals.Encodes++; _pngTotals.Ticks += job.Ticks; }
            if (_cache.Count >= 256) _cache.Clear();
            _cache[job.Key with { Codec = job.Codec, Quality = job.Codec == Jpeg ? job.Key.Quality : 0 }] = job.Data!;
        }

        double serverTime = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var p in plans)
        {
            var rects = new List<FrameRect>(p.Rects.Count);
            long bytes = 0;
            foreach (var r in p.Rects)
            {
                var (codec, data) = r.Job is { } job ? (job.Codec, job.Data!) : (r.Codec, r.Data!);
                rects.Add(new FrameRect(r.Rect.X, r.Rect.Y, r.Rect.W, r.Rect.H, codec, data));
                bytes += data.Length;
                if (codec == Jpeg) { _jpegRects++; MarkLossy(r.Rect); } else _pngRects++;
            }
            // A viewer that left or started over meanwhile gets nothing of this pass (a restart gets a full frame next).
            if (!_viewers.TryGetValue(p.Viewer.ConnectionId, out var v) || !ReferenceEquals(v, p.Viewer)) continue;
            v.SentFrames++;
            v.SentBytes += bytes;
            sends.Add((v.ConnectionId, new FrameMessage(DomId, Index, p.Id, serverTime, p.GuestFrame, p.Width, p.Height, p.Full, p.Dropped, rects)));
        }
    }

    /// <summary>Under the lock, when encoding failed: frees the reserved window slots and owes those viewers a full frame.</summary>
    private void Abandon(List<FramePlan> plans)
    {
        foreach (var p in plans)
        {
            p.Viewer.InFlight.Remove(p.Id);
            p.Viewer.NeedsFull = true;
        }
    }

    /// <summary>Under the lock: counts the encode and builds the chunk's frame for each recipient still watching.</summary>
    private void PublishVideo(VideoPlan plan, EncodedVideoFrame frame, string codec, long ticks, List<(string, FrameMessage)> sends)
    {
        _encodeTicks += ticks;
        _encodes++;
        var chunk = new VideoChunk(codec, frame.Key, frame.Data);
        double serverTime = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (viewer, id, dropped) in plan.Recipients)
        {
            if (!_viewers.TryGetValue(viewer.ConnectionId, out var v) || !ReferenceEquals(v, viewer)) continue;
            v.SentFrames++;
            v.SentBytes += frame.Data.Length;
            _videoChunks++;
            sends.Add((v.ConnectionId, new FrameMessage(DomId, Index, id, serverTime, plan.GuestFrame, plan.Width, plan.Height,
                frame.Key, dropped, [], chunk)));
        }
    }

    /// <summary>Under the lock, when no chunk was made: frees the reserved slots; those viewers' decoders need a key frame.</summary>
    private void AbandonVideo(VideoPlan plan)
    {
        foreach (var (v, id, _) in plan.Recipients)
        {
            v.InFlight.Remove(id);
            v.NeedsKey = true;
        }
    }

    private void MarkLossy(PixelRect r)
    {
        int ts = _options.TileSize;
        for (int y = r.Y / ts; y < (r.Y + r.H + ts - 1) / ts; y++)
            for (int x = r.X / ts; x < (r.X + r.W + ts - 1) / ts; x++)
                _activity.SentLossy(y * _grid.Columns + x);
    }

    /// <summary>A frame owed to a viewer: its window slot is taken; its rects are cached or being encoded.</summary>
    private sealed record FramePlan(Viewer Viewer, long Id, long GuestFrame, int Width, int Height, bool Full, long Dropped,
        List<PlannedRect> Rects);

    private readonly record struct PlannedRect(PixelRect Rect, string Codec, byte[]? Data, EncodeJob? Job);

    /// <summary>A chunk owed to the video viewers with room: their window slots are taken.</summary>
    private sealed record VideoPlan(bool Key, long GuestFrame, int Width, int Height, List<(Viewer Viewer, long Id, long Dropped)> Recipients);

    private CodecTotals _pngTotals, _jpegTotals;

    /// <summary>Encodes done since the stream began and the time they took, per codec (benchmarks).</summary>
    public (CodecTotals Png, CodecTotals Jpeg) Totals { get { lock (_lock) return (_pngTotals, _jpegTotals); } }

    /// <summary>Counts encodes actually done (cache misses), for tests of shared encodes.</summary>
    public long Encodes { get { lock (_lock) return _totalEncodes + _encodes; } }
    private long _totalEncodes;

    /// <summary>Figures over the time since the last call; null (and counters reset) when nobody watches.</summary>
    public ConnectorStats? TakeStats()
    {
        long shown = _inbox.FramesShown;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            double seconds = Math.Max(1e-3, (double)(now - _statsAt) / _time.TimestampFrequency);
            ConnectorStats? stats = null;
            if (_viewers.Count > 0)
            {
                long sent = 0, bytes = 0, dropped = 0;
                double lagSum = 0; int lagN = 0, qualitySum = 0;
                foreach (var v in _viewers.Values)
                {
                    sent += v.SentFrames; bytes += v.SentBytes; dropped += v.Dropped;
                    if (!double.IsNaN(v.LagMs)) { lagSum += v.LagMs; lagN++; }
                    qualitySum += v.Quality;
                }
                stats = new ConnectorStats(DomId, Index,
                    GuestFps: Round((shown - _statsShownBase) / seconds),
                    ShownFps: Round(_pictures / seconds),
                    SentFps: Round(sent / seconds / _viewers.Count),
                    Dropped: dropped,
                    LatencyMs: lagN > 0 ? Round(lagSum / lagN) : 0,
                    BytesPerFrame: sent > 0 ? Math.Round((double)bytes / sent) : 0,
                    EncodeMs: _encodes > 0 ? Round(_encodeTicks * 1000.0 / Stopwatch.Frequency / _encodes) : 0,
                    Codecs: new CodecCounts(_pngRects, _jpegRects, _videoChunks),
                    Quality: qualitySum / _viewers.Count,
                    Viewers: _viewers.Count,
                    Mode: Path);
            }
            foreach (var v in _viewers.Values) { v.SentFrames = 0; v.SentBytes = 0; }
            _statsAt = now;
            _statsShownBase = shown;
            _totalEncodes += _encodes;
            _pictures = _encodes = _encodeTicks = _pngRects = _jpegRects = _videoChunks = 0;
            return stats;
        }
    }

    private static double Round(double v) => Math.Round(v, 2);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _refreshTimer?.Dispose();
        _scaled?.Dispose();
        try { _loop?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _jpegs.Dispose();
        _video.Dispose();
    }

    public struct CodecTotals
    {
        public long Encodes;
        public long Ticks;
        public readonly double Ms => Ticks * 1000.0 / Stopwatch.Frequency;
    }

}
