namespace XenDisplayWeb.Server.Streaming;

/// <summary>A rectangle of the connector's picture in pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int W, int H);

/// <summary>The picture cut into square tiles (the last column and row may be partial).</summary>
public readonly record struct TileGrid(int Width, int Height, int TileSize)
{
    public int Columns => (Width + TileSize - 1) / TileSize;
    public int Rows => (Height + TileSize - 1) / TileSize;
    public int Count => Columns * Rows;

    /// <summary>The pixels of a run of tiles, clipped to the picture.</summary>
    public PixelRect Pixels(int column, int row, int columns, int rows)
    {
        int x = column * TileSize, y = row * TileSize;
        return new PixelRect(x, y, Math.Min(columns * TileSize, Width - x), Math.Min(rows * TileSize, Height - y));
    }
}

/// <summary>Merges dirty tiles into rectangles of at most <c>maxTiles</c> x <c>maxTiles</c> tiles covering exactly the dirty tiles.</summary>
public static class DamageMerger
{
    /// <summary>
    /// Greedy: from the first dirty tile not yet covered, extend right while dirty, then down while the
    /// whole span is dirty, each up to <paramref name="maxTiles"/>. <paramref name="dirty"/> is row-major.
    /// </summary>
    public static List<PixelRect> Merge(TileGrid grid, ReadOnlySpan<bool> dirty, int maxTiles)
    {
        var rects = new List<PixelRect>();
        int cols = grid.Columns, rows = grid.Rows;
        var used = new bool[grid.Count];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int t = r * cols + c;
                if (!dirty[t] || used[t]) continue;
                int w = 1;
                while (c + w < cols && w < maxTiles && dirty[t + w] && !used[t + w]) w++;
                int h = 1;
                while (r + h < rows && h < maxTiles && SpanFree(dirty, used, (r + h) * cols + c, w)) h++;
                for (int dy = 0; dy < h; dy++) used.AsSpan((r + dy) * cols + c, w).Fill(true);
                rects.Add(grid.Pixels(c, r, w, h));
            }
        }
        return rects;
    }

    private static bool SpanFree(ReadOnlySpan<bool> dirty, bool[] used, int start, int w)
    {
        for (int i = start; i < start + w; i++) if (!dirty[i] || used[i]) return false;
        return true;
    }
}
