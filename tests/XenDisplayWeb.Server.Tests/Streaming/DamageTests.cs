using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class DamageTests
{
    [Fact]
    public void A_changed_pixel_dirties_exactly_its_tile_and_an_unchanged_frame_nothing()
    {
        var inbox = new FrameInbox(64);
        var px = Picture(256, 128);
        inbox.Show(View(px, 256, 128, 1));
        byte[] picture = [];
        bool[] dirty = [];
        var first = inbox.Take(ref picture, ref dirty);
        Assert.True(first.Reset);
        Assert.Equal(8, first.DirtyTiles);

        inbox.Show(View(px, 256, 128, 2));
        Assert.Equal(0, inbox.Take(ref picture, ref dirty).DirtyTiles);

        Fill(px, 256, 130, 70, 1, 1, 0xFF00FF00); // tile column 2, row 1
        inbox.Show(View(px, 256, 128, 3));
        var take = inbox.Take(ref picture, ref dirty);
        Assert.Equal(1, take.DirtyTiles);
        Assert.Equal(3, take.GuestFrame);
        Assert.Equal([1 * 4 + 2], Enumerable.Range(0, dirty.Length).Where(t => dirty[t]));
        Assert.Equal(px, picture);
    }

    [Fact]
    public void Rows_straddling_pages_at_any_offset_and_padded_stride_are_copied_exactly()
    {
        var rnd = new Random(7);
        var px = new byte[100 * 37 * 4];
        rnd.NextBytes(px);
        var inbox = new FrameInbox(64);
        inbox.Show(View(px, 100, 37, 1, dataOffset: 4000, stride: 100 * 4 + 52));
        byte[] picture = [];
        bool[] dirty = [];
        inbox.Take(ref picture, ref dirty);
        Assert.Equal(px, picture);

        // Change bytes right at a page boundary of the source (row 9 straddles 4096*2).
        px[(9 * 100 + 50) * 4] ^= 0xFF;
        inbox.Show(View(px, 100, 37, 2, dataOffset: 4000, stride: 100 * 4 + 52));
        var take = inbox.Take(ref picture, ref dirty);
        Assert.Equal(1, take.DirtyTiles);
        Assert.Equal(px, picture);
    }

    [Fact]
    public void Frames_shown_before_the_encoder_takes_them_merge_and_count()
    {
        var inbox = new FrameInbox(64);
        var px = Picture(128, 64);
        inbox.Show(View(px, 128, 64, 1));
        byte[] picture = [];
        bool[] dirty = [];
        inbox.Take(ref picture, ref dirty);
        Fill(px, 128, 0, 0, 1, 1, 0xFF0000FF);
        inbox.Show(View(px, 128, 64, 2));
        Fill(px, 128, 100, 0, 1, 1, 0xFF0000FF);
        inbox.Show(View(px, 128, 64, 3));
        inbox.Show(View(px, 128, 64, 4)); // no change
        var take = inbox.Take(ref picture, ref dirty);
        Assert.Equal(2, take.DirtyTiles);
        Assert.Equal(2, take.FramesWithDamage);
        Assert.Equal(4, take.GuestFrame);
        Assert.Equal(px, picture);
    }

    [Fact]
    public void A_whole_1080p_picture_merges_into_rectangles_of_at_most_512_that_tile_it_exactly()
    {
        var grid = new TileGrid(1920, 1080, 64);
        var dirty = Enumerable.Repeat(true, grid.Count).ToArray();
        var rects = DamageMerger.Merge(grid, dirty, 8);
        Assert.All(rects, r => Assert.True(r.W <= 512 && r.H <= 512 && r.X + r.W <= 1920 && r.Y + r.H <= 1080, r.ToString()));
        Assert.Equal(1920L * 1080, rects.Sum(r => (long)r.W * r.H));
        Assert.Equal(12, rects.Count); // 4 columns (512,512,512,384) x 3 rows (512,512,56)
        Assert.Contains(new PixelRect(1536, 1024, 384, 56), rects);
    }

    [Fact]
    public void Merged_rectangles_cover_exactly_the_dirty_tiles()
    {
        var grid = new TileGrid(640, 640, 64);
        var rnd = new Random(3);
        for (int round = 0; round < 50; round++)
        {
            var dirty = Enumerable.Range(0, grid.Count).Select(_ => rnd.Next(3) == 0).ToArray();
            var covered = new int[grid.Count];
            foreach (var r in DamageMerger.Merge(grid, dirty, 8))
            {
                Assert.True(r.W <= 512 && r.H <= 512);
                for (int y = r.Y / 64; y < (r.Y + r.H) / 64; y++)
                    for (int x = r.X / 64; x < (r.X + r.W) / 64; x++)
                        covered[y * grid.Columns + x]++;
            }
            Assert.Equal(dirty.Select(d => d ? 1 : 0), covered);
        }
    }

    [Fact]
    public void A_stream_sends_only_the_changed_tile_after_the_full_frame()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender();
        using var stream = Stream(sender, time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("a");
        stream.Pump();
        var full = Assert.Single(sender.To("a"));
        Assert.True(full.Full);
        Assert.Equal(256L * 128, full.Rects.Sum(r => (long)r.W * r.H));

        stream.Ack("a", full.Id);
        Fill(px, 256, 200, 100, 3, 3, 0xFFFFFFFF);
        stream.Show(View(px, 256, 128, 2));
        stream.Pump();
        var next = sender.To("a")[1];
        Assert.False(next.Full);
        var rect = Assert.Single(next.Rects);
        Assert.Equal((192, 64, 64, 64, "png"), (rect.X, rect.Y, rect.W, rect.H, rect.Codec));
        Assert.Equal(Rgb(px, 256, 192, 64, 64, 64), DecodePng(rect.Data).Rgb);
    }
}
