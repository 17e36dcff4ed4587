using System.Diagnostics;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// The invariants. Quiescent ones hold once the fuzzer's requests are answered; a frame being read, or a
/// request of a guest's own driver, can make them false for a moment, so each waits up to <see cref="Settle"/>
/// for them to hold and reports what it saw last. Instant ones (<see cref="InstantProblem"/>) hold at every
/// moment, whatever runs.
/// </summary>
internal sealed class Checks(SimulatedSystem system, Findings findings, ErrorCounter errors, ConnectorKey goodKey, ReadingSink sink)
{
    private const int Page = XenPage.Size;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FramesStall = TimeSpan.FromSeconds(3);

    // Dbufs seen in a store, kept until they are seen released once out of it.
    private readonly HashSet<DisplayBuffer> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<FrontendHandler> _closedReported = new(ReferenceEqualityComparer.Instance);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _errorsSeen, _goodFrames;
    private TimeSpan _goodFrameAt;

    // What was found leaked (and reported) is not reported again at every check after it: buffer objects, dom0
    // grants, and mappings of a guest torn down (its domain id may be given to a new guest).
    private int _leakedExports, _leakedImports;
    private readonly HashSet<uint> _leakedGrants = [];
    private readonly Dictionary<int, int> _leakedMappings = [];

    /// <summary>
    /// Everything, at a quiescent point: no error logged, the backend and the good guest alive, devices closed
    /// only for a cause their guest earned, mappings, buffers, dom0's grant pool, destroyed dbufs released, and
    /// the good guest's frames still coming.
    /// </summary>
    public void Quiescent(int phase, string after, Func<int, bool> mayBreakRings)
    {
        Errors(phase, after);
        Alive(phase, after, mayBreakRings);
        foreach (var device in system.Backend.Devices)
        {
            Mappings(phase, device.FrontDomId, after);
            Report(phase, after, Settled(() => BufferProblem(device)));
        }
        if (Settled(PoolProblem) is { } pool)
        {
            Report(phase, after, pool);
            AcceptPoolLeaks();
        }
        if (Settled(() => ReleasedProblem(null)) is { } leak)
        {
            Report(phase, after, leak);
            AcceptLeaks(null);
        }
        GoodFrames(phase, after);
    }

    /// <summary>Errors the backend logged since the last look: each is a crash.</summary>
    public void Errors(int phase, string after)
    {
        long logged = errors.Errors;
        long seen = Interlocked.Exchange(ref _errorsSeen, logged);
        if (logged > seen) findings.Crash(phase, $"after '{after}': {errors.Last}", logged - seen);
    }

    /// <summary>The backend runs, the good guest is served, and a device is closed as misbehaving only when its guest broke a ring rule.</summary>
    public void Alive(int phase, string after, Func<int, bool> mayBreakRings)
    {
        var backend = system.Backend;
        if (!backend.IsRunning) findings.Invariant(phase, $"the backend stopped (after '{after}')");
        var good = backend.Device(goodKey.DomId);
        if (good is null || good.Misbehaving || good.State != XenbusState.Connected)
            findings.Invariant(phase, $"the good guest's device is {good?.State.ToString() ?? "gone"} {good?.MisbehavingReason} (after '{after}')");
        foreach (var d in backend.Devices)
        {
            if (d.MisbehavingReason is not { } reason || _closedReported.Contains(d)) continue;
            bool backendError = reason.Contains("backend error", StringComparison.Ordinal);
            if (!backendError && mayBreakRings(d.FrontDomId)) continue; // a reason its guest may have earned
            _closedReported.Add(d);
            if (backendError) findings.Crash(phase, $"dom{d.FrontDomId}: {reason}");
            else findings.Invariant(phase, $"dom{d.FrontDomId} was closed as misbehaving ({reason}) though it broke no ring rule (after '{after}')");
        }
    }

    /// <summary>The host's count of the guest's grants mapped by dom0 equals the rings and buffer pages its device holds.</summary>
    public void Mappings(int phase, int domId, string after)
    {
        (int host, int device) last = default;
        var problem = Settled(() =>
        {
            int before = HostMappings(domId);
            int held = system.Backend.Device(domId)?.MappedGrants ?? 0;
            int now = HostMappings(domId);
            last = (now, held);
            return before == now && now == held ? null : "differ";
        });
        if (problem is not null)
            findings.Invariant(phase, $"dom{domId}: dom0 maps {last.host} of its grants, its device accounts for {last.device} (after '{after}')");
    }

    /// <summary>The good guest showed a frame within <see cref="FramesStall"/> of the last one seen.</summary>
    public void GoodFrames(int phase, string after)
    {
        long frames = sink.Frames(goodKey);
        if (frames != _goodFrames) { _goodFrames = frames; _goodFrameAt = _clock.Elapsed; }
        else if (_clock.Elapsed - _goodFrameAt > FramesStall)
        {
            findings.Invariant(phase, $"the good guest showed no frame for {FramesStall.TotalSeconds} s (after '{after}')");
            _goodFrameAt = _clock.Elapsed;
        }
    }

    /// <summary>What must hold of a device's store at any moment: within its limits, no negative reference count.</summary>
    public string? InstantProblem(FrontendHandler device)
    {
        var limits = system.Backend.Options.Limits;
        var store = device.Buffers;
        string dom = $"dom{device.FrontDomId}";
        int count = store.DbufCount;
        long mapped = store.MappedBytes, allocated = store.AllocatedBytes;
        if (count > limits.MaxDbufs) return $"{dom} holds {count} dbufs, over its limit of {limits.MaxDbufs}";
        if (mapped > limits.MaxMappedBytes) return $"{dom} has {mapped} bytes mapped, over its limit of {limits.MaxMappedBytes}";
        if (allocated > limits.MaxBackendAllocatedBytes) return $"{dom} has {allocated} bytes allocated, over its limit of {limits.MaxBackendAllocatedBytes}";
        foreach (var d in store.Dbufs)
            if (d.References < 0) return $"{dom}: dbuf {Hex(d.Cookie)} holds {d.References} references";
        return null;
    }

    /// <summary>Notes the device's dbufs, so that once they leave its store they are checked to be released.</summary>
    public void Observe(FrontendHandler device)
    {
        var dbufs = device.Buffers.Dbufs;
        lock (_seen) foreach (var d in dbufs) _seen.Add(d);
    }

    /// <summary>A guest torn down leaves nothing: no device, no mapping of its grants, no page of dom0 granted to it, every dbuf released.</summary>
    public void TornDown(int phase, int domId, string how)
    {
        var problem = Settled(() =>
        {
            system.Backend.ReclaimShared();
            int mapped = HostMappings(domId);
            int shared = system.Host.Dom0.Grants.Snapshot().Count(g => g.GranteeDomId == domId && !_leakedGrants.Contains(g.Gref));
            var device = system.Backend.Device(domId);
            return mapped == 0 && shared == 0 && device is null ? null
                : $"dom{domId} torn down ({how}): dom0 still maps {mapped} of its grants, shares {shared} pages with it, device {device?.State.ToString() ?? "gone"}";
        });
        if (problem is not null)
        {
            Report(phase, "", problem);
            _leakedMappings[domId] = system.Host.Dom0.MappingsOf(domId);
            AcceptPoolLeaks();
        }
        if (Settled(() => ReleasedProblem(domId)) is { } leak)
        {
            Report(phase, $"dom{domId} torn down", leak);
            AcceptLeaks(domId);
        }
    }

    /// <summary>
    /// A device's store against its limits, itself, and the grant tables. The reference counts come last: a
    /// frame being read raises one for a moment, and what is still wrong when the wait ends is reported.
    /// </summary>
    private string? BufferProblem(FrontendHandler device)
    {
        if (InstantProblem(device) is { } instant) return instant;
        string dom = $"dom{device.FrontDomId}";
        var store = device.Buffers;
        var dbufs = store.Dbufs; // before the fbs: a dbuf destroyed between the two reads takes its fbs with it
        var fbs = store.Fbs;
        lock (_seen) foreach (var d in dbufs) _seen.Add(d);
        foreach (var fb in fbs)
            if (!dbufs.Contains(fb.Dbuf)) return $"{dom}: fb {Hex(fb.Cookie)} is attached to dbuf {Hex(fb.Dbuf.Cookie)}, which its store no longer holds";

        int rings = device.Connectors.Count * 2;
        long mapped = store.MappedBytes;
        int hostMaps = HostMappings(device.FrontDomId);
        if (hostMaps != rings + mapped / Page)
            return $"{dom}: its store counts {mapped} bytes mapped ({mapped / Page} pages) beside {rings} ring pages, dom0 maps {hostMaps} of its grants";

        var ownGrefs = dbufs.Where(d => d.BackendAllocated).SelectMany(d => d.DataGrefs).ToHashSet();
        int granted = system.Host.Dom0.Grants.Snapshot().Count(g => g.GranteeDomId == device.FrontDomId && ownGrefs.Contains(g.Gref));
        long allocated = store.AllocatedBytes;
        if (allocated / Page != granted || granted != ownGrefs.Count)
            return $"{dom}: its store counts {allocated} bytes allocated ({allocated / Page} pages), dom0 grants it {granted} of its dbufs' {ownGrefs.Count} pages";

        foreach (var d in dbufs)
            if (HeldProblem(d) is { } p) return $"{dom}: dbuf {Hex(d.Cookie)} {p}";
        return null;
    }

    /// <summary>A dbuf in its store, no frame being read: the backend's one reference, every page there.</summary>
    private static string? HeldProblem(DisplayBuffer d)
    {
        if (d.Import is { Released: true }) return "has its pages freed (import released) while its store holds it";
        if (d.References != 1) return $"holds {d.References} references on its buffer object, the backend's 1 expected";
        if (d.BufferObject is { } bo && bo.MappedPages != d.Pages.Length) return $"maps {bo.MappedPages} of its {d.Pages.Length} pages";
        return null;
    }

    /// <summary>
    /// Dom0's grant pool is what the guests' be-alloc dbufs hold, plus pages let go of while their guest still
    /// maps them; no page is granted that no dbuf holds and no guest maps.
    /// </summary>
    private string? PoolProblem()
    {
        var backend = system.Backend;
        backend.ReclaimShared(); // what its timer does each second: pages their guest no longer maps are freed
        var dom0 = system.Host.Dom0;
        var devices = backend.Devices;
        var grants = dom0.Grants.Snapshot();
        var heldGrefs = devices.SelectMany(d => d.Buffers.Dbufs).Where(d => d.BackendAllocated).SelectMany(d => d.DataGrefs).ToHashSet();
        int leaked = grants.Count(g => _leakedGrants.Contains(g.Gref) && !heldGrefs.Contains(g.Gref));
        long held = devices.Sum(d => d.Buffers.AllocatedBytes / Page);
        int deferred = backend.DeferredSharedPages;
        int active = dom0.Grants.ActiveGrants, shares = dom0.Gntshr.ActiveShares;
        if (active != held + deferred + leaked || shares != active)
            return $"dom0 grants {active} pages ({shares} shared by its allocator); its guests' dbufs hold {held}, {deferred} wait for their guest to unmap them" +
                (leaked > 0 ? $", {leaked} leaked before" : "");
        var stray = grants.Where(g => !heldGrefs.Contains(g.Gref) && g.MapCount == 0 && !_leakedGrants.Contains(g.Gref)).ToList();
        return stray.Count == 0 ? null
            : $"dom0 grants {stray.Count} pages that no dbuf holds and no guest maps (to dom{string.Join(", dom", stray.Select(g => g.GranteeDomId).Distinct())})";
    }

    /// <summary>After a pool problem was reported: the pages granted now that no dbuf holds are not reported again.</summary>
    private void AcceptPoolLeaks()
    {
        var held = system.Backend.Devices.SelectMany(d => d.Buffers.Dbufs).Where(d => d.BackendAllocated).SelectMany(d => d.DataGrefs).ToHashSet();
        _leakedGrants.Clear();
        foreach (var g in system.Host.Dom0.Grants.Snapshot())
            if (!held.Contains(g.Gref) && g.MapCount == 0) _leakedGrants.Add(g.Gref);
    }

    /// <summary>
    /// Every dbuf seen (of <paramref name="domId"/>, or of any guest) that has left its store is released. Of any
    /// guest, at a quiescent point: gntdev holds a buffer object for each dbuf in a store, no more.
    /// </summary>
    private string? ReleasedProblem(int? domId)
    {
        var devices = system.Backend.Devices;
        var live = devices.SelectMany(d => d.Buffers.Dbufs).ToList();
        var inStore = live.ToHashSet(ReferenceEqualityComparer.Instance);
        lock (_seen)
        {
            _seen.RemoveWhere(d => !inStore.Contains(d) && IsReleased(d));
            if (_seen.FirstOrDefault(d => !inStore.Contains(d) && (domId is null || DomOf(d) == domId)) is { } stuck)
                return $"dom{DomOf(stuck)}: dbuf {Hex(stuck.Cookie)} left its store but holds {stuck.References} references" +
                    (stuck.BufferObject is { } bo ? $" and maps {bo.MappedPages} pages" : ", its import not released");
        }
        if (domId is not null) return null;
        int exports = live.Count(d => !d.BackendAllocated), imports = live.Count - exports;
        var gntdev = system.Backend.DmaBuf;
        int liveExports = gntdev.LiveExports, liveImports = gntdev.LiveImports;
        if (liveExports == exports + _leakedExports && liveImports == imports + _leakedImports) return null;
        return $"gntdev holds {liveExports} exports and {liveImports} imports, the stores {exports} and {imports} dbufs" +
            (_leakedExports + _leakedImports > 0 ? $" ({_leakedExports} exports and {_leakedImports} imports leaked before)" : "");
    }

    /// <summary>After a leak was reported: what is leaked now (of <paramref name="domId"/>, or of any guest) is not reported again.</summary>
    private void AcceptLeaks(int? domId)
    {
        var live = system.Backend.Devices.SelectMany(d => d.Buffers.Dbufs).ToList();
        var inStore = live.ToHashSet(ReferenceEqualityComparer.Instance);
        lock (_seen) _seen.RemoveWhere(d => !inStore.Contains(d) && (domId is null || DomOf(d) == domId));
        if (domId is not null) return;
        int exports = live.Count(d => !d.BackendAllocated);
        _leakedExports = Math.Max(0, system.Backend.DmaBuf.LiveExports - exports);
        _leakedImports = Math.Max(0, system.Backend.DmaBuf.LiveImports - (live.Count - exports));
    }

    /// <summary>Grants of the guest dom0 maps, less those found leaked by a guest of that id torn down before.</summary>
    /// <summary>dom0's mappings of the guest's grants that its display device answers for: its vkbd devices' pages (one each) are not.</summary>
    private int HostMappings(int domId) =>
        system.Host.Dom0.MappingsOf(domId) - _leakedMappings.GetValueOrDefault(domId) - system.VkbdPagesMapped(domId);

    private static int? DomOf(DisplayBuffer d) => d.BufferObject?.DomId ?? d.Import?.DomId;

    private static bool IsReleased(DisplayBuffer d) => d.References == 0 && d.MappedPages == 0 && d.Import is not { Released: false };

    private void Report(int phase, string after, string? problem)
    {
        if (problem is not null) findings.Invariant(phase, after.Length == 0 ? problem : $"{problem} (after '{after}')");
    }

    private static string? Settled(Func<string?> problem)
    {
        var sw = Stopwatch.StartNew();
        string? last = problem();
        while (last is not null && sw.Elapsed < Settle)
        {
            Thread.Sleep(1); // a frame is being read, or a request is in hand on another thread
            last = problem();
        }
        return last;
    }

    private static string Hex(ulong v) => PacketDecoder.Hex(v);
}
