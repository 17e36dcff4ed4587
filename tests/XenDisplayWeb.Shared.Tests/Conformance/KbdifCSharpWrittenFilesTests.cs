using System.Buffers.Binary;
using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>A kbdif page the C# code filled, checked field by field by the C program through kbdif.h's structs and macros.</summary>
[Collection(KbdifCCollection.Name)]
public sealed class KbdifCSharpWrittenFilesTests(KbdifC c)
{
    [Fact]
    public void TheCProgramReadsWhatCSharpWrote()
    {
        var files = new KbdifCSharpWrittenFiles();
        var r = Read(files);
        Assert.True(r.ExitCode == 0, $"the C reader disagrees with the C# encoding:\n{r}");
        Assert.DoesNotContain("FAIL", r.Stdout);
        Assert.Contains("ok in.records 51\n", r.Stdout);
        Assert.Contains("ok out.records 25\n", r.Stdout);
        // Every slot's type and reserved bytes were looked at, and every kind of event was among them.
        var lines = r.Stdout.Split('\n');
        Assert.Equal(51, lines.Count(l => l.StartsWith("ok in[", StringComparison.Ordinal) && l.Contains("].reserved 0")));
        Assert.Equal(25, lines.Count(l => l.StartsWith("ok out[", StringComparison.Ordinal) && l.Contains("].fill_bytes 40")));
        foreach (var field in new[] { "rel_x", "keycode", "abs_y", "major", "minor", "orientation", "contact_id" })
            Assert.Contains(lines, l => l.StartsWith("ok in[", StringComparison.Ordinal) && l.Contains($"].{field} "));
    }

    [Fact]
    public void TheCProgramCatchesAFieldAtTheWrongOffset()
    {
        // A key's keycode where the header's diagram would put it if "pressed" were followed by no padding: @2.
        var files = new KbdifCSharpWrittenFiles();
        uint idx = files.InSlots.First(s => s.Line.Contains(" type=3 ", StringComparison.Ordinal)).Idx;
        var slot = files.Page.AsSpan(XenkbdPage.InRing.SlotOffset(idx), XenDisplayWeb.Shared.Kbdif.Kbdif.InEventSize);
        uint keycode = BinaryPrimitives.ReadUInt32LittleEndian(slot[XenkbdKey.KeycodeOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[XenkbdKey.KeycodeOffset..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(slot[2..], (ushort)keycode);

        var r = Read(files);
        Assert.True(r.ExitCode != 0, $"the C reader missed the moved field:\n{r}");
        Assert.Contains($"FAIL in[{idx}].keycode expected {keycode} actual 0", r.Stdout);
        Assert.Contains($"FAIL in[{idx}].reserved expected 0 actual 1", r.Stdout);
    }

    [Fact]
    public void TheCProgramCatchesACorruptTouchAndOutEvent()
    {
        var files = new KbdifCSharpWrittenFiles();
        uint idx = files.InSlots.First(s => s.Line.Contains(" type=5 event_type=4 ", StringComparison.Ordinal)).Idx; // SHAPE
        files.Page[XenkbdPage.InRing.SlotOffset(idx) + XenkbdMtouch.MinorOffset + 3] ^= 0x80;
        uint outProd = XenkbdPage.OutRing.Prod(files.Page);
        files.Page[XenkbdPage.OutRing.SlotOffset(outProd - 1) + 39] ^= 1;

        var r = Read(files);
        Assert.True(r.ExitCode != 0, $"the C reader missed the corruption:\n{r}");
        Assert.Contains($"FAIL in[{idx}].minor", r.Stdout);
        Assert.Contains($"FAIL out[{outProd - 1}].fill_bytes expected 40 actual 39", r.Stdout);
    }

    private ProcessResult Read(KbdifCSharpWrittenFiles files)
    {
        string dir = c.NewDirectory("csharp-wrote");
        files.SaveTo(dir);
        return c.Run("read", dir);
    }
}
