namespace KanCompile.Pde;

/// <summary>
/// Collocation points of one loss term: row-major coordinates and, on a boundary, each point's outward unit normal
/// (what Neumann conditions read). Made by <see cref="Collocation"/>; random and low-discrepancy sets remember how they
/// were drawn, so a fit can draw them afresh (<see cref="PdeFitOptions.ResampleEvery"/>).
/// </summary>
public sealed class PdePoints
{
    private readonly double[] _coordinates;
    private readonly double[]? _normals;
    private readonly Func<int, PdePoints>? _redraw;

    internal PdePoints(int dimensions, double[] coordinates, double[]? normals, Func<int, PdePoints>? redraw)
    {
        Dimensions = dimensions;
        _coordinates = coordinates;
        _normals = normals;
        _redraw = redraw;
    }

    /// <summary>Coordinates per point.</summary>
    public int Dimensions { get; }

    /// <summary>Number of points.</summary>
    public int Count => _coordinates.Length / Dimensions;

    /// <summary>The points, row-major (<see cref="Count"/> × <see cref="Dimensions"/>).</summary>
    public ReadOnlySpan<double> Coordinates => _coordinates;

    /// <summary>The outward unit normals, row-major, or empty for interior points.</summary>
    public ReadOnlySpan<double> Normals => _normals;

    /// <summary>Whether <see cref="Resampled"/> draws a new set (random and low-discrepancy sets) or returns this one (meshes, given points).</summary>
    public bool CanResample => _redraw is not null;

    /// <summary>Point <paramref name="index"/>'s coordinates.</summary>
    public ReadOnlySpan<double> this[int index] => _coordinates.AsSpan(index * Dimensions, Dimensions);

    /// <summary>A new draw of the same kind and size from <paramref name="seed"/>, or this set when it cannot be redrawn.</summary>
    public PdePoints Resampled(int seed) => _redraw?.Invoke(seed) ?? this;

    internal double[] CoordinateArray => _coordinates;

    internal double[]? NormalArray => _normals;
}
