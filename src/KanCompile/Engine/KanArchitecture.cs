using KanCompile.Generators.Model;

namespace KanCompile;

/// <summary>
/// The fixed description of a model: widths, multiplication nodes, spline order, base function, initial grid
/// range, the behaviour beyond the grid and the grid sizes compiled ahead of time. Immutable; validated on construction with messages that say
/// what to fix.
/// <para>Multiplication nodes (pykan's MultKAN): <c>widths = [2, 5, 1]</c> with <c>multiplicationNodes = [0, 2, 0]</c>
/// is pykan's <c>width=[2,[5,2],1]</c> — the hidden layer has 5 addition and 2 multiplication nodes, each multiplying
/// <c>multiplicationArity</c> consecutive sub-nodes.</para>
/// </summary>
public sealed class KanArchitecture
{
    /// <summary>Highest spline order supported (the emitter unrolls O(k²) terms).</summary>
    public const int MaxSplineOrder = Generators.Model.KernelSpec.MaxSplineOrder;

    private readonly int[] _widths;
    private readonly int[] _gridExtensions;
    private readonly int[] _multiplicationNodes;
    private readonly int[] _nodeWidths;
    private readonly int[] _subnodeWidths;

    /// <summary>Creates and validates an architecture.</summary>
    public KanArchitecture(
        int[] widths,
        int gridSize = 5,
        int splineOrder = 3,
        KanBaseFunction baseFunction = KanBaseFunction.SiLU,
        double gridMin = -1.0,
        double gridMax = 1.0,
        int[]? gridExtensions = null,
        int[]? multiplicationNodes = null,
        int multiplicationArity = KernelSpec.DefaultMultiplicationArity,
        KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Length < 2)
        {
            throw new ArgumentException($"A KAN needs at least two widths (inputs and outputs); got {widths.Length}.", nameof(widths));
        }

        _multiplicationNodes = ValidateMultiplication(widths, multiplicationNodes, multiplicationArity);
        for (int l = 0; l < widths.Length; l++)
        {
            if (widths[l] < 0 || widths[l] + _multiplicationNodes[l] < 1)
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

        if (!Enum.IsDefined(beyondGrid))
        {
            throw new ArgumentOutOfRangeException(nameof(beyondGrid), beyondGrid, "Unknown behaviour beyond the grid; use KanBeyondGrid.Smooth or KanBeyondGrid.Pykan.");
        }

        _widths = (int[])widths.Clone();
        _gridExtensions = gridExtensions is null ? Array.Empty<int>() : (int[])gridExtensions.Clone();
        GridSize = gridSize;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
        BeyondGrid = beyondGrid;
        GridMin = gridMin;
        GridMax = gridMax;
        MultiplicationArity = HasMultiplication ? multiplicationArity : KernelSpec.DefaultMultiplicationArity;
        _nodeWidths = _widths.Select((w, l) => w + _multiplicationNodes[l]).ToArray();
        _subnodeWidths = _widths.Select((w, l) => w + MultiplicationArity * _multiplicationNodes[l]).ToArray();
    }

    private static int[] ValidateMultiplication(int[] widths, int[]? multiplicationNodes, int arity)
    {
        if (arity < 2)
        {
            throw new ArgumentOutOfRangeException("multiplicationArity", arity, "A multiplication node multiplies at least 2 sub-nodes; use multiplicationArity >= 2 (pykan's default is 2).");
        }

        if (multiplicationNodes is null)
        {
            return new int[widths.Length];
        }

        if (multiplicationNodes.Length != widths.Length)
        {
            throw new ArgumentException(
                $"multiplicationNodes has {multiplicationNodes.Length} entries but there are {widths.Length} widths; give one count per layer, inputs first (e.g. [0, 2, 0] for widths [2, 5, 1]).",
                nameof(multiplicationNodes));
        }

        for (int l = 0; l < multiplicationNodes.Length; l++)
        {
            if (multiplicationNodes[l] < 0)
            {
                throw new ArgumentException($"multiplicationNodes[{l}] is {multiplicationNodes[l]}; counts cannot be negative.", nameof(multiplicationNodes));
            }
        }

        if (multiplicationNodes[0] != 0 || multiplicationNodes[^1] != 0)
        {
            throw new ArgumentException(
                $"Only hidden layers can hold multiplication nodes; the input layer has {multiplicationNodes[0]} and the output layer {multiplicationNodes[^1]}. Set both to 0.",
                nameof(multiplicationNodes));
        }

        return (int[])multiplicationNodes.Clone();
    }

    /// <summary>Addition-node counts per layer, inputs first (pykan's n_sum; all nodes of a model without multiplication nodes).</summary>
    public IReadOnlyList<int> Widths => _widths;

    /// <summary>Multiplication-node counts per layer, inputs first (zero on the input and output layers).</summary>
    public IReadOnlyList<int> MultiplicationNodes => _multiplicationNodes;

    /// <summary>Sub-nodes each multiplication node multiplies (pykan's <c>mult_arity</c>, default 2).</summary>
    public int MultiplicationArity { get; }

    /// <summary>True when some hidden layer has multiplication nodes.</summary>
    public bool HasMultiplication => _multiplicationNodes.Any(m => m != 0);

    /// <summary>Nodes per layer, addition plus multiplication (pykan's <c>width_in</c>): the inputs of each layer's edges.</summary>
    public IReadOnlyList<int> NodeWidths => _nodeWidths;

    /// <summary>Sub-nodes per layer, addition plus arity × multiplication (pykan's <c>width_out</c>): where the edges feeding a layer end.</summary>
    public IReadOnlyList<int> SubnodeWidths => _subnodeWidths;

    /// <summary>Number of layers of edges (widths − 1).</summary>
    public int Depth => _widths.Length - 1;

    /// <summary>Initial grid intervals G.</summary>
    public int GridSize { get; }

    /// <summary>Spline order k.</summary>
    public int SplineOrder { get; }

    /// <summary>Residual function b(x).</summary>
    public KanBaseFunction BaseFunction { get; }

    /// <summary>What the splines do for inputs beyond the grid's real range [t_k, t_{G+k}] (docs/grids.md).</summary>
    public KanBeyondGrid BeyondGrid { get; }

    /// <summary>Lower end of the initial grid.</summary>
    public double GridMin { get; }

    /// <summary>Upper end of the initial grid.</summary>
    public double GridMax { get; }

    /// <summary>Grid sizes with kernels compiled ahead of time.</summary>
    public IReadOnlyList<int> GridExtensions => _gridExtensions;

    /// <summary>A copy of this architecture with other widths (e.g. after pruning) and optionally another grid size.</summary>
    public KanArchitecture WithWidths(int[] widths, int? gridSize = null) =>
        new KanArchitecture(widths, gridSize ?? GridSize, SplineOrder, BaseFunction, GridMin, GridMax, beyondGrid: BeyondGrid);

    /// <summary>A copy with other addition- and multiplication-node counts (e.g. after pruning a MultKAN) and optionally another grid size.</summary>
    public KanArchitecture WithWidths(int[] widths, int[] multiplicationNodes, int? gridSize = null) =>
        new KanArchitecture(widths, gridSize ?? GridSize, SplineOrder, BaseFunction, GridMin, GridMax, null, multiplicationNodes, MultiplicationArity, BeyondGrid);

    internal int[] WidthArray => _widths;

    internal int[] MultiplicationArray => _multiplicationNodes;

    internal KernelSpec KernelSpecFor(int gridSize) =>
        new KernelSpec(_widths, gridSize, SplineOrder, (KernelBaseFunction)(int)BaseFunction, _multiplicationNodes, MultiplicationArity, (KernelBeyondGrid)(int)BeyondGrid);
}
