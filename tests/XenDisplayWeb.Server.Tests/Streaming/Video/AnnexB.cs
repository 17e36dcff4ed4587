namespace XenDisplayWeb.Server.Tests.Streaming.Video;

/// <summary>Splits an Annex B byte stream into its NAL units (without start codes).</summary>
internal static class AnnexB
{
    public static List<byte[]> Units(ReadOnlySpan<byte> stream)
    {
        var starts = new List<(int Code, int Payload)>();
        for (int i = 0; i + 2 < stream.Length; i++)
        {
            if (stream[i] != 0 || stream[i + 1] != 0 || stream[i + 2] != 1) continue;
            int code = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
            starts.Add((code, i + 3));
            i += 2;
        }
        var units = new List<byte[]>();
        for (int k = 0; k < starts.Count; k++)
        {
            int end = k + 1 < starts.Count ? starts[k + 1].Code : stream.Length;
            units.Add(stream[starts[k].Payload..end].ToArray());
        }
        return units;
    }

    public static int Type(byte[] unit) => unit[0] & 0x1F;

    public static List<int> Types(ReadOnlySpan<byte> stream) => Units(stream).Select(Type).ToList();

    public const int NonIdrSlice = 1, IdrSlice = 5, Sei = 6, Sps = 7, Pps = 8;
}
