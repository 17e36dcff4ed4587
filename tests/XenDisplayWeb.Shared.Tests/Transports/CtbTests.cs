using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Transports.Ctb;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Tests.Transports;

public class CtbTests
{
    private readonly byte[] _page = new byte[8192];
    private const int Ofs = 4096; // a page within a larger block, as guest memory hands them out

    public CtbTests() => Ctb.Init(_page, Ofs);

    private uint Dw(int byteOffset) => BinaryPrimitives.ReadUInt32LittleEndian(_page.AsSpan(Ofs + byteOffset));

    [Fact]
    public void The_page_has_the_version_at_0_the_descriptor_at_16_and_a_2048_byte_command_ring_at_2048()
    {
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(_page.AsSpan(Ofs)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(_page.AsSpan(Ofs + 2)));
        Assert.Equal(2048u, Dw(16)); // addr
        Assert.Equal(2048u, Dw(20)); // size
        Assert.Equal(0u, Dw(24)); // head
        Assert.Equal(0u, Dw(28)); // tail
        Assert.Equal(0u, Dw(32)); // fence
        Assert.Equal(0u, Dw(36)); // status
    }

    [Fact]
    public void A_message_is_header_fence_data_with_len_in_bits_0_to_4_write_fence_at_bit_8_and_action_in_bits_16_to_31()
    {
        var s = new CtbSender(_page, Ofs, () => { });
        Assert.Equal(0, s.Write(0x15, [0xAABBCCDD, 0x11223344], fence: 7));
        // len = fence + 2 data dwords = 3; 3 | 1<<8 | 0x15<<16
        Assert.Equal(0x0015_0103u, Dw(2048));
        Assert.Equal(3, Ctb.Len(Dw(2048)));
        Assert.True(Ctb.WritesFence(Dw(2048)));
        Assert.Equal((ushort)0x15, Ctb.Action(Dw(2048)));
        Assert.Equal(7u, Dw(2052));
        Assert.Equal(0xAABBCCDDu, Dw(2056));
        Assert.Equal(0x11223344u, Dw(2060));
        Assert.Equal(16u, Dw(28)); // tail in bytes: 4 dwords
        Assert.Equal(0x001F_0000u | 31, Ctb.Header(31, 0x1F, writeFence: false) | 0);
        Assert.Equal(0xFFFF_011Fu, Ctb.Header(31, 0xFFFF));
    }

    [Fact]
    public void Writing_is_refused_with_ENOSPC_exactly_when_used_plus_len_plus_1_reaches_the_size()
    {
        var s = new CtbSender(_page, Ofs, () => { });
        var data = new uint[14]; // a displif request body: len 15, 16 dwords a message, 512 dwords a ring
        for (int i = 0; i < 31; i++) Assert.Equal(0, s.Write(0x15, data, (uint)i + 1)); // 31 * 16 = 496 used
        Assert.Equal(-ENOSPC, s.Write(0x15, data, 32)); // 496 + 15 + 1 >= 512
        Assert.Equal(0, s.Write(0x15, new uint[13], 32)); // 496 + 14 + 1 = 511 < 512 still fits
        Assert.Equal(-ENOSPC, s.Write(0x15, [], 33)); // 511 + 1 + 1 >= 512

        var r = new CtbReceiver(_page, Ofs);
        var got = new uint[30];
        Assert.Equal(CtbReadResult.Message, r.TryRead(got, out var m, out _));
        Assert.Equal(1u, m.Fence);
        Assert.Equal(0, s.Write(0x15, [], 33)); // the host consumed 16 dwords: room again
    }

    [Fact]
    public void Messages_wrap_around_the_end_of_the_ring_and_the_host_reads_them_back_in_order()
    {
        var s = new CtbSender(_page, Ofs, () => { });
        var r = new CtbReceiver(_page, Ofs);
        var data = new uint[30];
        for (uint f = 1; f <= 100; f++)
        {
            for (int i = 0; i < 7; i++) data[i] = f * 100 + (uint)i;
            Assert.Equal(0, s.Write((ushort)(f & 0xFFFF), data.AsSpan(0, 7), f)); // 9 dwords: does not divide 512
            Assert.Equal(CtbReadResult.Message, r.TryRead(data, out var m, out _));
            Assert.Equal((f, (ushort)f, 7), (m.Fence, m.Action, m.DataDwords));
            Assert.Equal(f * 100 + 6, data[6]);
            r.Complete(m, 0);
        }
        Assert.Equal(CtbReadResult.Empty, r.TryRead(data, out _, out _));
        Assert.Equal(100u, r.Descriptor.Fence);
    }

    [Fact]
    public void The_host_writes_status_and_fence_and_the_guest_sees_0_for_status_0_and_EIO_for_any_other()
    {
        var r = new CtbReceiver(_page, Ofs);
        uint answer = 0;
        var s = new CtbSender(_page, Ofs, () =>
        {
            var data = new uint[30];
            Assert.Equal(CtbReadResult.Message, r.TryRead(data, out var m, out _));
            r.Complete(m, answer); // answered within the notification: the guest finds its fence at once
        });
        Assert.Equal(0, s.Send(0x10, [1, 2], out uint status));
        Assert.Equal(0u, status);
        Assert.Equal(1u, r.Descriptor.Fence);
        answer = 95;
        Assert.Equal(-EIO, s.Send(0x16, [], out status));
        Assert.Equal(95u, status);
        Assert.Equal(2u, r.Descriptor.Fence);
        Assert.Equal(95u, r.Descriptor.Status);
    }

    [Fact]
    public void Without_an_answer_the_guest_spins_then_polls_10_ms_and_gives_ETIMEDOUT()
    {
        var time = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMicroseconds(100) };
        var s = new CtbSender(_page, Ofs, () => { }, time);
        var start = time.GetUtcNow();
        Assert.Equal(-ETIMEDOUT, s.Send(0x15, [], out _));
        var waited = time.GetUtcNow() - start;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(11));
        Assert.Equal(1, s.TimedOut);
    }

    [Fact]
    public void A_fence_written_late_by_the_host_still_completes_the_wait_within_the_poll()
    {
        var time = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMicroseconds(1) };
        var r = new CtbReceiver(_page, Ofs);
        var s = new CtbSender(_page, Ofs, () => { }, time);
        Assert.Equal(0, s.Write(0x15, [], 1));
        var host = new Thread(() =>
        {
            Thread.Sleep(5);
            r.TryRead(new uint[30], out var m, out _);
            r.Complete(m, 0);
        });
        host.Start();
        Assert.Equal(0, s.WaitForDescUpdate(1, out uint status)); // 1 us a clock read: the poll lasts far beyond 5 ms of real time
        host.Join();
        Assert.Equal(0u, status);
    }

    [Theory]
    [InlineData(Ctb.DescTail, 6u)] // not a dword offset
    [InlineData(Ctb.DescTail, 2048u)] // past the ring
    [InlineData(Ctb.DescSize, 4096u)] // a size the page does not have
    public void A_descriptor_the_guest_broke_is_malformed_to_the_host(int field, uint value)
    {
        Ctb.Store(_page, Ofs, field, value);
        Assert.Equal(CtbReadResult.Malformed, new CtbReceiver(_page, Ofs).TryRead(new uint[30], out _, out var why));
        Assert.NotNull(why);
    }

    [Fact]
    public void A_message_longer_than_what_lies_between_head_and_tail_is_malformed()
    {
        Ctb.Store(_page, Ofs, Ctb.DescTail, 8); // 2 dwords published
        BinaryPrimitives.WriteUInt32LittleEndian(_page.AsSpan(Ofs + 2048), Ctb.Header(5, 0x15));
        Assert.Equal(CtbReadResult.Malformed, new CtbReceiver(_page, Ofs).TryRead(new uint[30], out _, out _));
    }
}
