namespace XenDisplayWeb.Shared.Transports.Ctb;

/// <summary>One message as the host copied it out of the ring.</summary>
public readonly record struct CtbMessage(uint Header, uint Fence, int DataDwords)
{
    public int Len => Ctb.Len(Header);
    public ushort Action => Ctb.Action(Header);
    public bool WritesFence => Ctb.WritesFence(Header);
}

public enum CtbReadResult { Empty, Message, Malformed }

/// <summary>
/// The host side of a CTB (GVT-g's consumer): takes messages from head to tail, copying each out before
/// looking at it, and answers by writing status, then fence, to the descriptor. Nothing the guest wrote is
/// trusted: a descriptor or message that does not add up is <see cref="CtbReadResult.Malformed"/>.
/// </summary>
public sealed class CtbReceiver(byte[] page, int offset)
{
    public long Consumed { get; private set; }

    public CtbDescriptor Descriptor => CtbDescriptor.Read(page, offset);

    public bool HasWork => Ctb.Load(page, offset, Ctb.DescTail) != Ctb.Load(page, offset, Ctb.DescHead);

    /// <summary>Copies the next message out (its data into <paramref name="data"/>, at least 30 dwords) and moves head past it.</summary>
    public CtbReadResult TryRead(Span<uint> data, out CtbMessage message, out string? problem)
    {
        message = default;
        problem = null;
        uint sizeBytes = Ctb.Load(page, offset, Ctb.DescSize), headBytes = Ctb.Load(page, offset, Ctb.DescHead), tailBytes = Ctb.Load(page, offset, Ctb.DescTail);
        if (sizeBytes != Ctb.CmdsSize || Ctb.Load(page, offset, Ctb.DescAddr) != Ctb.CmdsOffset)
            return Bad(out problem, $"descriptor addr/size {Ctb.Load(page, offset, Ctb.DescAddr)}/{sizeBytes}, expected {Ctb.CmdsOffset}/{Ctb.CmdsSize}");
        if (headBytes % 4 != 0 || tailBytes % 4 != 0 || headBytes >= sizeBytes || tailBytes >= sizeBytes)
            return Bad(out problem, $"head {headBytes} or tail {tailBytes} not a dword offset within {sizeBytes}");
        if (headBytes == tailBytes) return CtbReadResult.Empty;
        uint size = sizeBytes / 4, head = headBytes / 4, tail = tailBytes / 4;
        uint used = Ctb.Used(head, tail, size);
        uint header = Ctb.LoadCmd(page, offset, head);
        int len = Ctb.Len(header);
        if (len < 1 || (uint)len + 1 > used) return Bad(out problem, $"message len {len} with {used} dwords between head and tail");
        if (len - 1 > data.Length) return Bad(out problem, $"message len {len} over {data.Length + 1}");
        head = (head + 1) % size;
        uint fence = Ctb.LoadCmd(page, offset, head);
        head = (head + 1) % size;
        for (int i = 0; i < len - 1; i++)
        {
            data[i] = Ctb.LoadCmd(page, offset, head);
            head = (head + 1) % size;
        }
        Ctb.Store(page, offset, Ctb.DescHead, head * 4);
        Consumed++;
        message = new CtbMessage(header, fence, len - 1);
        return CtbReadResult.Message;
    }

    /// <summary>Answers a message: status first, then (when the header asks) the fence the guest waits for.</summary>
    public void Complete(in CtbMessage message, uint status)
    {
        Ctb.Store(page, offset, Ctb.DescStatus, status);
        if (message.WritesFence) Ctb.Store(page, offset, Ctb.DescFence, message.Fence);
    }

    private static CtbReadResult Bad(out string? problem, string why)
    {
        problem = why;
        return CtbReadResult.Malformed;
    }
}
