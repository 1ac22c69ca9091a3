using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KanCompile.Generators.Model;

/// <summary>A source location as plain values (a <see cref="Location"/> holds a syntax tree, which would defeat caching).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
