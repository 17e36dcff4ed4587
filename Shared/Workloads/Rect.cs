namespace XenDisplayWeb.Shared.Workloads;

/// <summary>An axis-aligned pixel rectangle; non-positive width or height means empty.</summary>
internal readonly record struct Rect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public bool IsEmpty => Width <= 0 || Height <= 0;

    public Rect Intersect(Rect other)
    {
        int x0 = Math.Max(X, other.X), y0 = Math.Max(Y, other.Y);
        int x1 = Math.Min(Right, other.Right), y1 = Math.Min(Bottom, other.Bottom);
        return x1 <= x0 || y1 <= y0 ? default : new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    public bool Intersects(Rect other) => !Intersect(other).IsEmpty;

    /// <summary>The smallest rectangle holding both (an empty one adds nothing).</summary>
    public Rect Union(Rect other)
    {
        if (IsEmpty)
            return other;
        if (other.IsEmpty)
            return this;
        int x0 = Math.Min(X, other.X), y0 = Math.Min(Y, other.Y);
        return new Rect(x0, y0, Math.Max(Right, other.Right) - x0, Math.Max(Bottom, other.Bottom) - y0);
    }

    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    public Rect Offset(int dx, int dy) => this with { X = X + dx, Y = Y + dy };

    /// <summary>Shrinks by <paramref name="d"/> on every side.</summary>
    public Rect Inset(int d) => new(X + d, Y + d, Width - 2 * d, Height - 2 * d);
}
