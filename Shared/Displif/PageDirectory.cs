namespace XenDisplayWeb.Shared.Displif;

/// <summary>
/// xendispl_page_directory: each directory page holds gref_dir_next_page (0 ends the chain) at @0
/// and 1023 data grefs after it. The number of data grefs is not sent: it is ceil(buffer_sz / 4096).
/// </summary>
public static class PageDirectory
{
    public const int PageSize = 4096;
    public const int NextOffset = 0;
    public const int GrefsOffset = 4;
    public const int GrefsPerPage = (PageSize - GrefsOffset) / sizeof(uint);

    public static int DataPageCount(uint bufferSz) => (int)((bufferSz + (ulong)PageSize - 1) / PageSize);

    public static int DirectoryPageCount(int dataPages) => Math.Max(1, (dataPages + GrefsPerPage - 1) / GrefsPerPage);

    public static uint Next(ReadOnlySpan<byte> dirPage) => PacketHeader.U32(dirPage, NextOffset);

    public static uint Gref(ReadOnlySpan<byte> dirPage, int index) => PacketHeader.U32(dirPage, GrefsOffset + index * 4);

    /// <summary>Fills one directory page: the next page's gref and up to 1023 data grefs; the rest is zeroed.</summary>
    public static void Write(Span<byte> dirPage, uint nextDirGref, ReadOnlySpan<uint> grefs)
    {
        if (grefs.Length > GrefsPerPage) throw new ArgumentException($"a directory page holds at most {GrefsPerPage} grefs", nameof(grefs));
        dirPage[..PageSize].Clear();
        PacketHeader.U32(dirPage, NextOffset, nextDirGref);
        for (int i = 0; i < grefs.Length; i++) PacketHeader.U32(dirPage, GrefsOffset + i * 4, grefs[i]);
    }

    /// <summary>Copies the data grefs of one directory page into <paramref name="destination"/> (at most 1023).</summary>
    public static void ReadGrefs(ReadOnlySpan<byte> dirPage, Span<uint> destination)
    {
        if (destination.Length > GrefsPerPage) throw new ArgumentException($"a directory page holds at most {GrefsPerPage} grefs", nameof(destination));
        for (int i = 0; i < destination.Length; i++) destination[i] = Gref(dirPage, i);
    }
}
