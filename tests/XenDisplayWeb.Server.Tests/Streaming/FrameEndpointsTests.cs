using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>The buffer PNG reads a dbuf's pages outside its ring threads: only while it holds a reference.</summary>
public class FrameEndpointsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
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
