using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class TracePageTests : FakeFeedTestContext
{
    private static TraceEntryView Entry(long seq, string op = "PG_FLIP", string kind = "Request", int status = 0, string? text = null, int domId = 1) =>
        new(seq, T0.AddMilliseconds(seq), domId, 0, 0, kind, (int)seq, op, status, null, text ?? $"{op} id={seq}");

    private IRenderedComponent<TracePage> RenderPage(params TraceEntryView[] entries)
    {
        SignIn(Roles.Viewer);
        Feed.Entries.AddRange(entries);
        return Render<TracePage>();
    }

    private static IEnumerable<string?> Seqs(IRenderedComponent<TracePage> cut) =>
        cut.FindAll("[data-testid=trace-row]").Select(r => r.GetAttribute("data-seq"));

    [Fact]
    public void Rows_are_newest_first_with_their_fields_and_failures_marked()
    {
        var cut = RenderPage(
            new(5, T0, 1, 0, 0, "Request", 7, "DBUF_CREATE", 0, null, "DBUF_CREATE id=7 dbuf_cookie=0x200"),
            new(6, T0.AddMilliseconds(2), 1, 0, 0, "Response", 7, "DBUF_CREATE", -12, 1834.26, "DBUF_CREATE id=7 status=-ENOMEM"));

        var rows = cut.FindAll("[data-testid=trace-row]");
        Assert.Equal(["6", "5"], rows.Select(r => r.GetAttribute("data-seq")));
        Assert.Equal("Response", rows[0].GetAttribute("data-kind"));
        Assert.Equal("DBUF_CREATE", rows[0].GetAttribute("data-op"));
        Assert.Equal("1", rows[0].GetAttribute("data-dom"));
        Assert.Contains("fail", rows[0].ClassList);
        Assert.DoesNotContain("fail", rows[1].ClassList);
        Assert.Contains("1834.3", rows[0].TextContent);
        Assert.Contains("17:00:00.002", rows[0].TextContent);
        Assert.Equal("2 of 2 rows", cut.Find("[data-testid=trace-count]").TextContent);
    }

    [Fact]
    public void Filters_pause_and_export_are_there()
    {
        var cut = RenderPage();
        Assert.NotNull(cut.Find("[data-testid=filter-op] option[value=PG_FLIP]"));
        Assert.NotNull(cut.Find("[data-testid=filter-kind] option[value=Event]"));
        Assert.NotNull(cut.Find("[data-testid=filter-kind] option[value=Input]"));
        Assert.Equal("checkbox", cut.Find("[data-testid=trace-pause]").GetAttribute("type"));
        Assert.Equal("/api/trace.jsonl", cut.Find("[data-testid=trace-export]").GetAttribute("href"));
    }

    [Fact]
    public void An_input_entry_shows_its_device_and_kind()
    {
        var cut = RenderPage(new TraceEntryView(9, T0, 1, 1, 1, "Input", 41, "XENKBD_TYPE_KEY", 0, null, "seq 41 KEY KEY_A press"));

        var row = cut.Find("[data-testid=trace-row]");
        Assert.Equal(("1", "Input", "XENKBD_TYPE_KEY"), (row.GetAttribute("data-dev"), row.GetAttribute("data-kind"), row.GetAttribute("data-op")));
        Assert.Contains("k-input", row.ClassList);
        Assert.Equal(["9", "17:00:00.000", "1", "1", "1", "Input", "41", "XENKBD_TYPE_KEY", "0", "", "seq 41 KEY KEY_A press"],
            row.QuerySelectorAll("td").Select(td => td.TextContent));
    }

    [Fact]
    public void New_entries_come_in_at_the_top_when_the_feed_says_so()
    {
        var cut = RenderPage(Entry(1), Entry(2));

        Feed.Entries.Add(Entry(3, "DBUF_DESTROY"));
        Feed.Raise(DashboardChange.Trace);

        Assert.Equal(["3", "2", "1"], Seqs(cut));
        Assert.Equal("DBUF_DESTROY", cut.Find("[data-testid=trace-row]").GetAttribute("data-op"));
    }

    [Fact]
    public void Typing_in_the_text_filter_keeps_only_the_rows_that_say_it()
    {
        var cut = RenderPage(Entry(1, text: "DBUF_CREATE id=1 status=0"), Entry(2, status: -12, text: "DBUF_CREATE id=2 status=-ENOMEM"), Entry(3));

        cut.Find("[data-testid=filter-text]").Input("enomem");

        Assert.Equal(["2"], Seqs(cut));
        Assert.Equal("1 of 3 rows", cut.Find("[data-testid=trace-count]").TextContent);

        cut.Find("[data-testid=filter-text]").Input("");
        Assert.Equal(["3", "2", "1"], Seqs(cut));
    }

    [Fact]
    public void The_op_kind_and_domain_filters_narrow_the_rows_and_new_rows_obey_them()
    {
        var cut = RenderPage(Entry(1, "DBUF_CREATE"), Entry(2, "PG_FLIP"), Entry(3, "PG_FLIP", "Response"), Entry(4, "PG_FLIP", domId: 2));

        cut.Find("[data-testid=filter-op]").Change("PG_FLIP");
        Assert.Equal(["4", "3", "2"], Seqs(cut));
        cut.Find("[data-testid=filter-kind]").Change("Request");
        Assert.Equal(["4", "2"], Seqs(cut));
        cut.Find("[data-testid=filter-domain]").Input("1");
        Assert.Equal(["2"], Seqs(cut));

        Feed.Entries.Add(Entry(5, "PG_FLIP"));
        Feed.Entries.Add(Entry(6, "DBUF_CREATE"));
        Feed.Raise(DashboardChange.Trace);

        Assert.Equal(["5", "2"], Seqs(cut));
    }

    [Fact]
    public void Pause_holds_new_rows_until_unpaused()
    {
        var cut = RenderPage(Entry(1), Entry(2));

        cut.Find("[data-testid=trace-pause]").Change(true);
        Feed.Entries.Add(Entry(3));
        Feed.Entries.Add(Entry(4));
        Feed.Raise(DashboardChange.Trace);

        Assert.Equal(["2", "1"], Seqs(cut));
        Assert.Equal("2 of 2 rows (2 new held)", cut.Find("[data-testid=trace-count]").TextContent);

        cut.Find("[data-testid=trace-pause]").Change(false);

        Assert.Equal(["4", "3", "2", "1"], Seqs(cut));
        Assert.Equal("4 of 4 rows", cut.Find("[data-testid=trace-count]").TextContent);
    }

    [Fact]
    public void A_change_that_is_not_the_trace_reads_nothing()
    {
        var cut = RenderPage(Entry(1));

        Feed.Entries.Add(Entry(2));
        Feed.Raise(DashboardChange.Topology | DashboardChange.XenStore);

        Assert.Equal(["1"], Seqs(cut));
    }

    [Fact]
    public void The_page_keeps_the_newest_rows_and_shows_the_newest_that_match()
    {
        var cut = RenderPage([Entry(1, text: "the oldest"), .. Enumerable.Range(2, TracePage.MaxRows - 1).Select(i => Entry(i))]);
        cut.Find("[data-testid=filter-text]").Input("the oldest");
        Assert.Equal(["1"], Seqs(cut));
        cut.Find("[data-testid=filter-text]").Input("");
        Assert.Equal(TracePage.MaxShown, cut.FindAll("[data-testid=trace-row]").Count);

        Feed.Entries.Add(Entry(TracePage.MaxRows + 1));
        Feed.Raise(DashboardChange.Trace);

        Assert.Equal($"{TracePage.MaxShown} of {TracePage.MaxRows} rows", cut.Find("[data-testid=trace-count]").TextContent);
        Assert.Equal((TracePage.MaxRows + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Seqs(cut).First());
        cut.Find("[data-testid=filter-text]").Input("the oldest");
        Assert.Empty(Seqs(cut)); // dropped for the newest
    }
}
