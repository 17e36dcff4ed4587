using XenDisplayWeb.Shared.Workloads.Fonts;

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

    /// <summary>The console font the desktop types in: loaded once, from <see cref="PsfFontLocator"/>'s default paths; a failure stays the answer.</summary>
    private static readonly Lazy<PsfFont> DesktopFont = new(() => new PsfFontLocator().Load());

    /// <summary>Creates a renderer for one connector of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    /// <param name="name">A workload name from <see cref="Names"/>, case-insensitive.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive size.</exception>
    /// <exception cref="IOException">The desktop's console font is missing (<see cref="PsfFontNotFoundException"/>, which says what to install) or broken.</exception>
    public static IWorkloadRenderer Create(string name, int width, int height)
    {
        string workload = Known(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return workload switch
        {
            TestPattern => new TestPatternRenderer(width, height),
            Desktop => new DesktopRenderer(width, height, DesktopFont.Value),
            _ => new MotionRenderer(width, height),
        };
    }

    /// <summary>Loads what workload <paramref name="name"/> needs (the desktop's font) now, so a missing font is an error at start.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="IOException">As <see cref="Create"/>.</exception>
    public static void CheckAvailable(string name)
    {
        if (Known(name) == Desktop)
            _ = DesktopFont.Value;
    }

    private static string Known(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string workload = name.Trim().ToLowerInvariant();
        return Names.Contains(workload)
            ? workload
            : throw new ArgumentException($"Unknown workload '{name}'. Valid workloads: {string.Join(", ", Names)}.", nameof(name));
    }
}
