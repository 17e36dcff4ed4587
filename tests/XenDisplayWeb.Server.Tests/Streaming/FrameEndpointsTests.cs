using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>
/// The lossless pictures: a dbuf's pixels and a connector's snapshot, written as downloads. The buffer PNG reads a
/// dbuf's pages outside its ring threads: only while it holds a reference.
/// </summary>
public class FrameEndpointsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Theory]
    [InlineData(1)] // frontend-allocated
    [InlineData(2)] // be-alloc
    public async Task A_buffer_png_is_the_fbs_pixels_written_as_a_download(int domId)
    {
        const int width = 64, height = 32;
        var system = factory.Services.GetRequiredService<SimulatedHostService>().System!;
        var device = (await Poll.UntilAsync(() => Task.FromResult(system.Guest(domId)?.Front.Device), d => d is not null, what: $"guest {domId}'s display device"))!;
        var dumb = await device.CreateDumbAsync(width, height, 32);
        new Random(domId).NextBytes(dumb.Pixels);
        var bgrx = new byte[width * 4 * height];
        for (int y = 0; y < height; y++) dumb.Pixels.Slice(y * dumb.Pitch, width * 4).CopyTo(bgrx.AsSpan(y * width * 4));
        var drmFb = await device.AddFbAsync(dumb, PixelFormat.Xrgb8888);
        try
        {
            var png = FrameEndpoints.BufferPng(system.Backend.Device(domId)!.Buffers.Fb(drmFb.Cookie)!)!;
            Assert.Equal(Rgb(bgrx, width, 0, 0, width, height), DecodePng(png).Rgb);
            Assert.Equal(PngWriter.Encode(bgrx, width * 4, width, height, PngWriter.Downloads), png);
        }
        finally
        {
            Assert.Equal(0, await device.RemoveFbAsync(drmFb));
            Assert.Equal(0, await device.DestroyDumbAsync(dumb));
        }
    }

    [Fact]
    public void A_snapshot_is_the_shown_pictures_pixels_written_as_a_download()
    {
        using var stream = Stream(new RecordingSender(), new FakeTimeProvider());
        var px = new byte[256 * 128 * 4];
        new Random(7).NextBytes(px);
        stream.Show(View(px, 256, 128, 1));
        var png = stream.SnapshotPng()!;
        Assert.Equal(Rgb(px, 256, 0, 0, 256, 128), DecodePng(png).Rgb);
        Assert.Equal(PngWriter.Encode(px, 256 * 4, 256, 128, PngWriter.Downloads), png);
    }

    [Theory]
    [InlineData(1)] // frontend-allocated
    [InlineData(2)] // be-alloc
    public async Task A_buffer_png_read_after_the_guest_destroyed_the_dbuf_it_looked_up_reads_nothing(int domId)
    {
        var system = factory.Services.GetRequiredService<SimulatedHostService>().System!;
        var device = (await Poll.UntilAsync(() => Task.FromResult(system.Guest(domId)?.Front.Device), d => d is not null, what: $"guest {domId}'s display device"))!;
        var dumb = await device.CreateDumbAsync(64, 32, 32);
        var drmFb = await device.AddFbAsync(dumb, PixelFormat.Xrgb8888);
        var fb = system.Backend.Device(domId)!.Buffers.Fb(drmFb.Cookie)!; // the endpoint's lookup
        Assert.NotNull(FrameEndpoints.BufferPng(fb));

        // A DBUF_DESTROY on the guest's ring between the lookup and the read: the pages are gone.
        Assert.Equal(0, await device.RemoveFbAsync(drmFb));
        Assert.Equal(0, await device.DestroyDumbAsync(dumb));
        Assert.Null(FrameEndpoints.BufferPng(fb));
    }
}
