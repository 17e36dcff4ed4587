using System.Buffers.Binary;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Displif would hide the class of the same name.
using Displif = global::XenDisplayWeb.Shared.Displif.Displif;

/// <summary>Pages the C# code wrote, checked field by field by the C program through the real structs and macros.</summary>
[Collection(DisplifCCollection.Name)]
public sealed class CSharpWrittenFilesTests(DisplifC c)
{
    [Fact]
    public void TheCProgramReadsWhatCSharpWrote()
    {
        var files = new CSharpWrittenFiles();
        var r = Read(files);
        Assert.True(r.ExitCode == 0, $"the C reader disagrees with the C# encoding:\n{r}");
        Assert.DoesNotContain("FAIL", r.Stdout);
        Assert.Contains(" 0 failed, 2025 grefs", r.Stdout);
        // Every pending request of every op, every response and every event slot was looked at.
        foreach (var (op, idx) in files.PendingByOp)
            Assert.True(r.Stdout.Contains($"ok req[{idx}].op {(byte)op}\n"), $"{op} at {idx} not checked:\n{r}");
        Assert.Equal(SharedRing.Size, r.Stdout.Split('\n').Count(l => l.StartsWith("ok req[") && l.Contains("].id ")
            || l.StartsWith("ok rsp[") && l.Contains("].id ")));
        Assert.Equal(EventPage.RingLength, r.Stdout.Split('\n').Count(l => l.StartsWith("ok evt[") && l.Contains("].fb_cookie ")));
    }

    [Fact]
    public void TheCProgramCatchesAFieldAtTheWrongOffset()
    {
        // SET_CONFIG's bpp where the header's ASCII diagram draws it (40) instead of where the struct has it (32).
        var files = new CSharpWrittenFiles();
        uint idx = files.PendingByOp[XendisplOp.SetConfig];
        var slot = files.Ring.AsSpan(SharedRing.SlotOffset(idx), Displif.PacketSize);
        uint bpp = BinaryPrimitives.ReadUInt32LittleEndian(slot[SetConfigRequest.BppOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[SetConfigRequest.BppOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[40..], bpp);

        var r = Read(files);
        Assert.True(r.ExitCode != 0, $"the C reader missed the moved field:\n{r}");
        Assert.Contains($"FAIL req[{idx}].bpp expected {bpp} actual 0", r.Stdout);
    }

    [Fact]
    public void TheCProgramCatchesACorruptEventAndGref()
    {
        var files = new CSharpWrittenFiles();
        uint inProd = EventPage.InProd(files.Events);
        files.Events[EventPage.SlotOffset(inProd - 1) + PgFlipEvent.FbCookieOffset + 7] ^= 0x80;
        files.PageDirectoryPages[PageDirectory.PageSize + PageDirectory.GrefsOffset] ^= 1;

        var r = Read(files);
        Assert.True(r.ExitCode != 0, $"the C reader missed the corruption:\n{r}");
        Assert.Contains($"FAIL evt[{inProd - 1}].fb_cookie", r.Stdout);
        Assert.Contains($"FAIL pgdir[1].gref[0]", r.Stdout);
    }

    private ProcessResult Read(CSharpWrittenFiles files)
    {
        string dir = c.NewDirectory("csharp-wrote");
        files.SaveTo(dir);
        return c.Run("read", dir);
    }
}
