using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Transports.Ctb;

/// <summary>
/// The guest side of a CTB (i915's pv_send): writes a message at tail, notifies the host, and waits for
/// the descriptor's fence to reach its own: spin 5 us, then poll up to <see cref="PollTimeout"/> (10 ms
/// as GVT-g has it), else -ETIMEDOUT. A non-zero status is -EIO. One message in flight (serialised here).
/// </summary>
public sealed class CtbSender
{
    public static readonly TimeSpan SpinTime = TimeSpan.FromMicroseconds(5);
    public static readonly TimeSpan DefaultPollTimeout = TimeSpan.FromMilliseconds(10);

    private readonly object _lock = new();
    private readonly byte[] _page;
    private readonly int _ofs;
    private readonly Action _notify;
    private readonly TimeProvider _time;
    private uint _nextFence;

    /// <summary>Takes a page already set up with <see cref="Ctb.Init"/>.</summary>
    public CtbSender(byte[] page, int offset, Action notify, TimeProvider? time = null)
    {
        _page = page;
        _ofs = offset;
        _notify = notify;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long the guest polls after the spin; GVT-g hard-codes 10 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = DefaultPollTimeout;

    public uint LastFence => Volatile.Read(ref _nextFence);
    public long Sent { get; private set; }
    public long TimedOut { get; private set; }

    /// <summary>
    /// pv_command_buffer_write: one message of <c>len = 1 + data.Length</c> dwords after the header.
    /// 0, or -ENOSPC when <c>used + len + 1 &gt;= size</c> (dwords), or -EINVAL when len does not fit 5 bits.
    /// </summary>
    public int Write(ushort action, ReadOnlySpan<uint> data, uint fence)
    {
        int len = data.Length + 1;
        if (len > Ctb.MaxLen) return -EINVAL;
        uint size = Ctb.Load(_page, _ofs, Ctb.DescSize) / 4;
        uint head = Ctb.Load(_page, _ofs, Ctb.DescHead) / 4;
        uint tail = Ctb.Load(_page, _ofs, Ctb.DescTail) / 4;
        if (size == 0 || tail >= size || head >= size) return -EIO; // the descriptor is broken
        uint used = Ctb.Used(head, tail, size);
        if (used + (uint)len + 1 >= size) return -ENOSPC;

        Ctb.StoreCmd(_page, _ofs, tail, Ctb.Header(len, action));
        tail = (tail + 1) % size;
        Ctb.StoreCmd(_page, _ofs, tail, fence);
        tail = (tail + 1) % size;
        foreach (uint d in data)
        {
            Ctb.StoreCmd(_page, _ofs, tail, d);
            tail = (tail + 1) % size;
        }
        Ctb.Store(_page, _ofs, Ctb.DescTail, tail * 4); // published after the message (a release store)
        return 0;
    }

    /// <summary>
    /// pv_send: next fence, write, notify, wait for the fence. 0 when the host answered with status 0;
    /// -EIO when it answered with another status (in <paramref name="status"/>); -ETIMEDOUT; -ENOSPC.
    /// </summary>
    public int Send(ushort action, ReadOnlySpan<uint> data, out uint status)
    {
        lock (_lock)
        {
            status = ~0u;
            uint fence = ++_nextFence;
            int err = Write(action, data, fence);
            if (err != 0) return err;
            Sent++;
            _notify();
            err = WaitForDescUpdate(fence, out status);
            if (err != 0) { TimedOut++; return err; }
            return status != 0 ? -EIO : 0;
        }
    }

    /// <summary>wait_for_desc_update: spin 5 us, then poll up to <see cref="PollTimeout"/>; reads the status either way.</summary>
    public int WaitForDescUpdate(uint fence, out uint status)
    {
        long start = _time.GetTimestamp();
        bool done = Done(fence);
        while (!done && _time.GetElapsedTime(start) < SpinTime)
        {
            Thread.SpinWait(4);
            done = Done(fence);
        }
        if (!done)
        {
            start = _time.GetTimestamp();
            var spinner = new SpinWait();
            while (!(done = Done(fence)) && _time.GetElapsedTime(start) < PollTimeout) spinner.SpinOnce(sleep1Threshold: 40);
        }
        status = Ctb.Load(_page, _ofs, Ctb.DescStatus);
        return done ? 0 : -ETIMEDOUT;
    }

    private bool Done(uint fence) => Ctb.Load(_page, _ofs, Ctb.DescFence) == fence;
}
