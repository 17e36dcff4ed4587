using System.Text;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// What was typed into the desktop's editor, as screen rows of at most <see cref="Columns"/> characters: a row that
/// fills wraps at once onto a new row, so the caret is always at the end of the last row. Only the last
/// <see cref="MaxRows"/> rows are kept.
/// </summary>
internal sealed class EditorText
{
    /// <summary>Rows kept (scrolled out of sight above the visible ones); older ones are forgotten.</summary>
    internal const int MaxRows = 1000;

    // Continues: the row continues the one above it (a wrap, not Enter).
    private readonly List<(StringBuilder Text, bool Continues)> _rows = [(new StringBuilder(), false)];

    public EditorText(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Columns = columns;
    }

    public int Columns { get; }

    public int RowCount => _rows.Count;

    /// <summary>The caret: the end of the last row.</summary>
    public (int Row, int Column) Caret => (_rows.Count - 1, _rows[^1].Text.Length);

    public string Row(int index) => _rows[index].Text.ToString();

    public void Type(char c)
    {
        _rows[^1].Text.Append(c);
        if (_rows[^1].Text.Length == Columns)
            AddRow(continues: true);
    }

    /// <summary>Enter: a new line; right after a wrap the empty wrapped row becomes that line.</summary>
    public void NewLine()
    {
        if (_rows.Count > 1 && _rows[^1].Continues && _rows[^1].Text.Length == 0)
            _rows[^1] = (_rows[^1].Text, false);
        else
            AddRow(continues: false);
    }

    /// <summary>Deletes the character before the caret, or joins the line with the one above.</summary>
    public void Backspace()
    {
        var (text, continues) = _rows[^1];
        if (text.Length > 0)
        {
            text.Length--;
            return;
        }
        if (_rows.Count == 1)
            return;
        _rows.RemoveAt(_rows.Count - 1);
        if (continues)
            _rows[^1].Text.Length--; // the wrapped row was the end of a full one: delete its last character
        else if (_rows[^1].Text.Length == Columns)
            AddRow(continues: true); // joined onto a full row: the caret goes after it, at the start of its wrap
    }

    private void AddRow(bool continues)
    {
        _rows.Add((new StringBuilder(Columns), continues));
        if (_rows.Count > MaxRows)
            _rows.RemoveAt(0);
    }
}
