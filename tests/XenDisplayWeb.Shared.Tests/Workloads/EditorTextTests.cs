using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Shared.Tests.Workloads;

public class EditorTextTests
{
    private static EditorText Typed(int columns, string text)
    {
        var t = new EditorText(columns);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': t.NewLine(); break;
                case '\b': t.Backspace(); break;
                default: t.Type(c); break;
            }
        }
        return t;
    }

    private static string[] Rows(EditorText t) => Enumerable.Range(0, t.RowCount).Select(t.Row).ToArray();

    [Fact]
    public void Typing_appends_and_enter_starts_a_row()
    {
        var t = Typed(10, "Hi\nthere");
        Assert.Equal(["Hi", "there"], Rows(t));
        Assert.Equal((1, 5), t.Caret);
    }

    [Fact]
    public void A_full_row_wraps_at_once_and_enter_there_makes_no_extra_row()
    {
        var t = Typed(4, "abcd");
        Assert.Equal(["abcd", ""], Rows(t));
        Assert.Equal((1, 0), t.Caret);
        t.NewLine();
        Assert.Equal(["abcd", ""], Rows(t));
        t.Type('e');
        Assert.Equal(["abcd", "e"], Rows(t));
    }

    [Fact]
    public void Backspace_deletes_back_across_a_wrap()
    {
        var t = Typed(4, "abcdef\b\b");
        Assert.Equal(["abcd", ""], Rows(t));
        t.Backspace();
        Assert.Equal(["abc"], Rows(t));
        Assert.Equal((0, 3), t.Caret);
    }

    [Fact]
    public void Backspace_at_the_start_of_a_line_joins_it_to_the_one_above()
    {
        var t = Typed(8, "ab\n\b");
        Assert.Equal(["ab"], Rows(t));
        // Joined onto a full row, the caret stands after it: at the start of its wrap.
        t = Typed(4, "abcd\n\n\b");
        Assert.Equal(["abcd", ""], Rows(t));
        t.Backspace();
        Assert.Equal(["abcd", ""], Rows(t));
        Assert.Equal((1, 0), t.Caret);
        t.Backspace();
        Assert.Equal(["abc"], Rows(t));
    }

    [Fact]
    public void Backspace_on_nothing_does_nothing()
    {
        var t = Typed(4, "\b\b");
        Assert.Equal([""], Rows(t));
    }

    [Fact]
    public void Only_the_last_rows_are_kept()
    {
        var t = new EditorText(3);
        for (int i = 0; i < EditorText.MaxRows + 10; i++)
            t.NewLine();
        t.Type('z');
        Assert.Equal(EditorText.MaxRows, t.RowCount);
        Assert.Equal("z", t.Row(t.RowCount - 1));
    }
}
