using System.Globalization;

namespace KanCompile.Plotting.Scene;

/// <summary>An opaque RGB colour; transparency lives on the group that draws it.</summary>
internal readonly record struct SceneColor(byte Red, byte Green, byte Blue)
{
    public static SceneColor Black => new(0, 0, 0);

    public static SceneColor White => new(255, 255, 255);

    /// <summary><c>#rrggbb</c>, as SVG attributes take it.</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{Red:x2}{Green:x2}{Blue:x2}");
}
