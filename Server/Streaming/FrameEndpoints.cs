using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>The lossless picture endpoints: a connector's current picture and a dbuf's pixels.</summary>
public static class FrameEndpoints
{
    public static IEndpointRouteBuilder MapFrameEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/domains/{domId:int}/connectors/{index:int}/snapshot.png", (int domId, int index, FrameStreamRegistry streams) =>
        {
            if (streams.Find(domId, index) is not { } stream)
                return Results.Problem($"no connector {domId}/{index}", statusCode: StatusCodes.Status404NotFound);
            return stream.SnapshotPng() is { } png
                ? Results.File(png, "image/png")
                : Results.Problem($"connector {domId}/{index} shows nothing", statusCode: StatusCodes.Status404NotFound);
        });

        app.MapGet("/api/domains/{domId:int}/buffers/{dbufCookie}.png", (int domId, string dbufCookie, SimulatedHostService host) =>
        {
            if (!TryParseCookie(dbufCookie, out ulong cookie))
                return Results.Problem($"'{dbufCookie}' is not a cookie (decimal, or hex with 0x)", statusCode: StatusCodes.Status404NotFound);
            var store = host.System?.Backend.Device(domId)?.Buffers;
            if (store?.Dbuf(cookie) is not { } dbuf)
                return Results.Problem($"domain {domId} has no dbuf {dbufCookie}", statusCode: StatusCodes.Status404NotFound);
            var fb = store.Fbs.FirstOrDefault(f => f.Dbuf == dbuf);
            if (fb is null)
                return Results.Problem($"no fb is attached to dbuf {dbufCookie}, so nothing says how to read its pixels", statusCode: StatusCodes.Status409Conflict);
            return BufferPng(fb) is { } png
                ? Results.File(png, "image/png")
                : Results.Problem($"dbuf {dbufCookie} went away before it was read", statusCode: StatusCodes.Status404NotFound);
        });
        return app;
    }

    /// <summary>
    /// The fb's pixels read from its dbuf's pages, converted to BGRX and encoded losslessly (ImageSharp); null when the guest
    /// destroyed the dbuf first. A reference on the dbuf is held while its pages are read: a DBUF_DESTROY on one
    /// of the guest's rings meanwhile waits for it (the guest's pages) or leaves the pages to it (be-alloc).
    /// </summary>
    internal static byte[]? BufferPng(Framebuffer fb)
    {
        int width = (int)fb.Width, height = (int)fb.Height;
        int stride = width * 4;
        var bgrx = new byte[stride * height];
        if (!fb.Dbuf.Retain()) return null;
        try
        {
            var view = fb.View(0, 0, width, height, 0);
            var raw = new byte[view.RowBytes];
            for (int y = 0; y < height; y++)
                PixelConverter.ToBgra(fb.Format, view.Row(y, raw), bgrx.AsSpan(y * stride, stride), width);
        }
        finally { fb.Dbuf.Release(); }
        return PngWriter.Encode(bgrx, stride, width, height, PngWriter.Downloads);
    }

    private static bool TryParseCookie(string text, out ulong cookie) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out cookie)
            : ulong.TryParse(text, out cookie);
}
