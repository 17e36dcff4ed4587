namespace XenDisplayWeb.Server.Streaming;

/// <summary>CRC-32 as PNG chunks use it (polynomial 0xEDB88320, reflected, initial and final XOR 0xFFFFFFFF).</summary>
public static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Continues a running CRC (start with 0xFFFFFFFF, finish with <see cref="Finish"/>).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var table = s_table;
        foreach (byte b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(0xFFFFFFFFu, data));
}
