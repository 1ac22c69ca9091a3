using SkiaSharp;

namespace KanCompile.Plotting.Scene;

/// <summary>
/// The typeface for labels in PNGs. SkiaSharp's self-contained Linux build has no fontconfig, so a family
/// lookup can come back empty; well-known font files are tried next, so labels render on a bare machine too.
/// </summary>
internal static class DiagramFont
{
    private static readonly string[] Families = ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans", "Segoe UI"];

    private static readonly string[] Files =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ];

    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    /// <summary>Shared for the process lifetime (typefaces are immutable and cheap to keep).</summary>
    public static SKTypeface Typeface => Loaded.Value;

    private static SKTypeface Load()
    {
        foreach (string family in Families)
        {
            SKTypeface? typeface = SKTypeface.FromFamilyName(family);
            if (typeface is { GlyphCount: > 0 } && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                return typeface;
            }
        }

        foreach (string file in Files)
        {
            if (File.Exists(file) && SKTypeface.FromFile(file) is { GlyphCount: > 0 } typeface)
            {
                return typeface;
            }
        }

        return SKTypeface.Default;
    }
}
