namespace XenDisplayWeb.Shared.Workloads;

/// <summary>Creates workload renderers by name.</summary>
public static class WorkloadRenderers
{
    /// <summary>SMPTE-like colour bars with a sliding box.</summary>
    public const string TestPattern = "testpattern";

    /// <summary>A mostly static desktop with a few small changing regions.</summary>
    public const string Desktop = "desktop";

    /// <summary>Every pixel changes every frame.</summary>
    public const string Motion = "motion";

    /// <summary>The valid workload names.</summary>
    public static IReadOnlyList<string> Names { get; } = [TestPattern, Desktop, Motion];

    /// <summary>Creates a renderer for one connector of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    /// <param name="name">A workload name from <see cref="Names"/>, case-insensitive.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive size.</exception>
    public static IWorkloadRenderer Create(string name, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return name.Trim().ToLowerInvariant() switch
        {
            TestPattern => new TestPatternRenderer(width, height),
            Desktop => new DesktopRenderer(width, height),
            Motion => new MotionRenderer(width, height),
            _ => throw new ArgumentException($"Unknown workload '{name}'. Valid workloads: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
