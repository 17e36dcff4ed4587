using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class TracePageTests : BunitContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rows_are_newest_first_with_filter_hooks_and_failures_marked()
    {
        var entries = new List<TraceEntryView>
        {
            new(5, T0, 1, 0, 0, "Request", 7, "DBUF_CREATE", 0, null, "DBUF_CREATE id=7 dbuf_cookie=0x200"),
            new(6, T0.AddMilliseconds(2), 1, 0, 0, "Response", 7, "DBUF_CREATE", -12, 1834.26, "DBUF_CREATE id=7 status=-ENOMEM"),
        };
        var cut = Render<TracePage>(p => p.Add(x => x.Entries, entries).Add(x => x.Operations, ["DBUF_CREATE", "PG_FLIP"]));

        var rows = cut.FindAll("[data-testid=trace-row]");
        Assert.Equal(["6", "5"], rows.Select(r => r.GetAttribute("data-seq")));
        Assert.Equal("Response", rows[0].GetAttribute("data-kind"));
        Assert.Equal("DBUF_CREATE", rows[0].GetAttribute("data-op"));
        Assert.Equal("1", rows[0].GetAttribute("data-dom"));
        Assert.Contains("fail", rows[0].ClassList);
        Assert.Contains("1834.3", rows[0].TextContent);
        Assert.Contains("17:00:00.002", rows[0].TextContent);
        Assert.Equal("2000", cut.Find("table[data-trace]").GetAttribute("data-max-rows"));
    }

    [Fact]
    public void Filters_pause_and_export_are_there()
    {
        var cut = Render<TracePage>(p => p.Add(x => x.Operations, ["DBUF_CREATE", "PG_FLIP"]));
        Assert.Equal(["domId", "devId", "connector", "operation", "kind", "text"],
            cut.FindAll("[data-trace-filter]").Select(f => f.GetAttribute("data-trace-filter")));
        Assert.NotNull(cut.Find("[data-testid=filter-op] option[value=PG_FLIP]"));
        Assert.NotNull(cut.Find("[data-testid=filter-kind] option[value=Event]"));
        Assert.NotNull(cut.Find("[data-testid=filter-kind] option[value=Input]"));
        Assert.Equal("checkbox", cut.Find("[data-trace-pause]").GetAttribute("type"));
        Assert.Equal("/api/trace.jsonl", cut.Find("[data-testid=trace-export]").GetAttribute("href"));
    }

    [Fact]
    public void An_input_entry_shows_its_device_and_kind()
    {
        var entries = new List<TraceEntryView> { new(9, T0, 1, 1, 1, "Input", 41, "XENKBD_TYPE_KEY", 0, null, "seq 41 KEY KEY_A press") };
        var cut = Render<TracePage>(p => p.Add(x => x.Entries, entries));

        var row = cut.Find("[data-testid=trace-row]");
        Assert.Equal(("1", "Input", "XENKBD_TYPE_KEY"), (row.GetAttribute("data-dev"), row.GetAttribute("data-kind"), row.GetAttribute("data-op")));
        Assert.Contains("k-input", row.ClassList);
        Assert.Equal(["9", "17:00:00.000", "1", "1", "1", "Input", "41", "XENKBD_TYPE_KEY", "0", "", "seq 41 KEY KEY_A press"],
            row.QuerySelectorAll("td").Select(td => td.TextContent));
    }
}
