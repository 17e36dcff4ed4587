namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>displif_conformance.c compiled against the real Xen headers (/usr/include/xen/io/displif.h).</summary>
public sealed class DisplifC : ConformanceProgram
{
    public const string Header = "/usr/include/xen/io/displif.h";

    private readonly Lazy<CWrittenFiles> _cWritten;

    public DisplifC() : base("displif_conformance", Header)
    {
        _cWritten = new(() => new CWrittenFiles(WriteFiles()));
    }

    /// <summary>The files of one <c>write</c> run.</summary>
    public CWrittenFiles CWritten => _cWritten.Value;
}

/// <summary>ring.bin, events.bin, pgdir.bin and manifest.txt as the C program wrote them.</summary>
public sealed class CWrittenFiles(string dir)
{
    public string Directory { get; } = dir;
    public byte[] Ring { get; } = File.ReadAllBytes(Path.Combine(dir, "ring.bin"));
    public byte[] Events { get; } = File.ReadAllBytes(Path.Combine(dir, "events.bin"));
    public byte[] PageDirectory { get; } = File.ReadAllBytes(Path.Combine(dir, "pgdir.bin"));
    public IReadOnlyList<ManifestRecord> Manifest { get; } = ManifestRecord.Load(Path.Combine(dir, "manifest.txt"));
}

[CollectionDefinition(Name)]
public sealed class DisplifCCollection : ICollectionFixture<DisplifC>
{
    public const string Name = "displif C conformance";
}
