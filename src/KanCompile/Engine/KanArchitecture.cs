using KanCompile.Generators.Model;

namespace KanCompile;

/// <summary>
/// The fixed description of a model: widths, spline order, base function, initial grid range and the grid
/// sizes compiled ahead of time. Immutable; validated on construction with messages that say what to fix.
/// </summary>
public sealed class KanArchitecture
{
    /// <summary>Highest spline order supported (the emitter unrolls O(k²) terms).</summary>
    public const int MaxSplineOrder = 7;

    private readonly int[] _widths;
    private readonly int[] _gridExtensions;

    /// <summary>Creates and validates an architecture.</summary>
    public KanArchitecture(
        int[] widths,
        int gridSize = 5,
        int splineOrder = 3,
        KanBaseFunction baseFunction = KanBaseFunction.SiLU,
        double gridMin = -1.0,
        double gridMax = 1.0,
        int[]? gridExtensions = null)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Length < 2)
        {
            throw new ArgumentException($"A KAN needs at least two widths (inputs and outputs); got {widths.Length}.", nameof(widths));
        }

        for (int l = 0; l < widths.Length; l++)
        {
            if (widths[l] < 1)
            {
                throw new ArgumentException($"Width {l} is {widths[l]}; every layer needs at least one node.", nameof(widths));
            }
        }

        if (gridSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, "The grid needs at least one interval.");
        }

        if (splineOrder < 0 || splineOrder > MaxSplineOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(splineOrder), splineOrder, $"The spline order must be between 0 and {MaxSplineOrder}.");
        }

        if (!double.IsFinite(gridMin) || !double.IsFinite(gridMax) || gridMin >= gridMax)
        {
            throw new ArgumentException($"The grid range [{gridMin}, {gridMax}] must be finite with GridMin < GridMax.", nameof(gridMin));
        }

        if (!Enum.IsDefined(baseFunction))
        {
            throw new ArgumentOutOfRangeException(nameof(baseFunction), baseFunction, "Unknown base function.");
        }

        _widths = (int[])widths.Clone();
        _gridExtensions = gridExtensions is null ? Array.Empty<int>() : (int[])gridExtensions.Clone();
        GridSize = gridSize;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
        GridMin = gridMin;
        GridMax = gridMax;
    }

    /// <summary>Node counts per layer, inputs first.</summary>
    public IReadOnlyList<int> Widths => _widths;

    /// <summary>Number of layers of edges (widths − 1).</summary>
    public int Depth => _widths.Length - 1;

    /// <summary>Initial grid intervals G.</summary>
    public int GridSize { get; }

    /// <summary>Spline order k.</summary>
    public int SplineOrder { get; }

    /// <summary>Residual function b(x).</summary>
    public KanBaseFunction BaseFunction { get; }

    /// <summary>Lower end of the initial grid.</summary>
    public double GridMin { get; }

    /// <summary>Upper end of the initial grid.</summary>
    public double GridMax { get; }

    /// <summary>Grid sizes with kernels compiled ahead of time.</summary>
    public IReadOnlyList<int> GridExtensions => _gridExtensions;

    /// <summary>A copy of this architecture with other widths (e.g. after pruning) and optionally another grid size.</summary>
    public KanArchitecture WithWidths(int[] widths, int? gridSize = null) =>
        new KanArchitecture(widths, gridSize ?? GridSize, SplineOrder, BaseFunction, GridMin, GridMax);

    internal int[] WidthArray => _widths;

    internal KernelSpec KernelSpecFor(int gridSize) =>
        new KernelSpec(_widths, gridSize, SplineOrder, (KernelBaseFunction)(int)BaseFunction);
}
