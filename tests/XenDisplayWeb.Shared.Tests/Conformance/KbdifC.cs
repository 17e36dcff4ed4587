namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>kbdif_conformance.c compiled against the real headers (io/kbdif.h, linux/input-event-codes.h).</summary>
public sealed class KbdifC : ConformanceProgram
{
    public const string Header = "/usr/include/xen/io/kbdif.h";
    public const string InputHeader = "/usr/include/linux/input-event-codes.h";

    private readonly Lazy<KbdifCWrittenFiles> _cWritten;

    public KbdifC() : base("kbdif_conformance", Header, InputHeader)
    {
        _cWritten = new(() => new KbdifCWrittenFiles(WriteFiles()));
    }

    /// <summary>The files of one <c>write</c> run.</summary>
    public KbdifCWrittenFiles CWritten => _cWritten.Value;
}

/// <summary>page.bin and manifest.txt as the C program wrote them.</summary>
public sealed class KbdifCWrittenFiles(string dir)
{
    public byte[] Page { get; } = File.ReadAllBytes(Path.Combine(dir, "page.bin"));
    public IReadOnlyList<ManifestRecord> Manifest { get; } = ManifestRecord.Load(Path.Combine(dir, "manifest.txt"));
}

[CollectionDefinition(Name)]
public sealed class KbdifCCollection : ICollectionFixture<KbdifC>
{
    public const string Name = "kbdif C conformance";
}
