namespace XenDisplayWeb.Shared.Workloads.Fonts;

/// <summary>No font at any of the paths tried.</summary>
public sealed class PsfFontNotFoundException(string message) : FileNotFoundException(message);

/// <summary>
/// Finds the console font the workloads draw text with: a path the operator set, or the first of Debian's
/// console fonts (console-setup-linux installs them in /usr/share/consolefonts) that is there.
/// </summary>
public sealed class PsfFontLocator
{
    public const string FontsFolder = "/usr/share/consolefonts";
    /// <summary>The Debian package that installs the fonts of <see cref="DefaultPaths"/>.</summary>
    public const string DebianPackage = "console-setup-linux";

    /// <summary>8x16 fonts with a Unicode table, Terminus first.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths =
    [
        Path.Combine(FontsFolder, "Uni2-Terminus16.psf.gz"),
        Path.Combine(FontsFolder, "Lat15-Terminus16.psf.gz"),
        Path.Combine(FontsFolder, "Uni2-Fixed16.psf.gz"),
        Path.Combine(FontsFolder, "Uni2-VGA16.psf.gz"),
    ];

    /// <summary>Looks only at <paramref name="path"/> when it is set, else at <see cref="DefaultPaths"/> in turn.</summary>
    public PsfFontLocator(string? path = null)
        : this(string.IsNullOrWhiteSpace(path) ? DefaultPaths : [path])
    {
    }

    public PsfFontLocator(IEnumerable<string> searchPaths)
    {
        SearchPaths = [.. searchPaths];
        if (SearchPaths.Count == 0) throw new ArgumentException("no paths to look for a font at", nameof(searchPaths));
    }

    public IReadOnlyList<string> SearchPaths { get; }

    /// <summary>The first path that holds a file.</summary>
    public string Locate() =>
        SearchPaths.FirstOrDefault(File.Exists) ?? throw new PsfFontNotFoundException(
            $"No PSF console font found; tried {string.Join(", ", SearchPaths)}. " +
            $"Install Debian's {DebianPackage} (apt-get install -y {DebianPackage}) or set the font path to a .psf or .psf.gz file.");

    /// <summary>Loads the first font found. A font that is there but broken is an error, not a reason to look further.</summary>
    public PsfFont Load() => PsfFont.Load(Locate());
}
