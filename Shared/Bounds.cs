namespace XenDisplayWeb.Shared;

/// <summary>The one wording of a number's allowed range, for every check that answers a field's rule.</summary>
public static class Bounds
{
    /// <summary>
    /// Null when <paramref name="value"/> is within <paramref name="min"/>..<paramref name="max"/>, or absent and
    /// not <paramref name="required"/>; else the rule it breaks ("must be 1..4095, not 0", "is required (1..4095)").
    /// </summary>
    public static string? Rule(double? value, double min, double max, bool required = true) =>
        value is not { } v ? (required ? $"is required ({min}..{max})" : null)
        : v < min || v > max || double.IsNaN(v) ? $"must be {min}..{max}, not {v}"
        : null;
}
