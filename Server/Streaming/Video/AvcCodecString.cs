namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>The WebCodecs codec string of an H.264 stream, "avc1.PPCCLL", from its sequence parameter set.</summary>
public static class AvcCodecString
{
    /// <summary>
    /// From one SPS NAL unit with or without its Annex B start code: profile_idc, the constraint flags byte and
    /// level_idc follow the NAL header. profile_idc is never zero, so no emulation-prevention byte can fall among them.
    /// </summary>
    public static string FromAnnexBSps(ReadOnlySpan<byte> nal)
    {
        int start = nal switch
        {
            [0, 0, 0, 1, ..] => 4,
            [0, 0, 1, ..] => 3,
            _ => 0,
        };
        var sps = nal[start..];
        if (sps.Length < 4 || (sps[0] & 0x1F) != 7)
            throw new ArgumentException("not a sequence parameter set NAL unit", nameof(nal));
        return $"avc1.{sps[1]:X2}{sps[2]:X2}{sps[3]:X2}";
    }
}
