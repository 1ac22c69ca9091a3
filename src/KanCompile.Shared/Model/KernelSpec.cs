using System;
using System.Linq;

namespace KanCompile.Generators.Model;

/// <summary>The residual function b(x) of every edge; values match <c>KanCompile.KanBaseFunction</c>.</summary>
internal enum KernelBaseFunction
{
    SiLU = 0,
    Identity = 1,
    Zero = 2,
}

/// <summary>What a spline does beyond its grid's real range [t_k, t_{G+k}]; values match <c>KanCompile.KanBeyondGrid</c>.</summary>
internal enum KernelBeyondGrid
{
    /// <summary>pykan's padding zone (the basis decays over k intervals), then 0.</summary>
    Pykan = 0,

    /// <summary>The value and slope at the nearer end of the range, continued as a straight line (C¹).</summary>
    Smooth = 1,
}

/// <summary>
/// Everything a kernel is specialised to: layer widths, multiplication nodes, grid size, spline order, base
/// function and the behaviour beyond the grid. Contract: immutable and structurally equatable (it flows through the incremental pipeline
/// and keys the runtime's kernel cache), and free of Roslyn types (the runtime links this file).
/// <para>Multiplication nodes (pykan's MultKAN, kan-math §2.4): layer l holds <c>widths[l]</c> addition nodes
/// and <c>multiplicationNodes[l]</c> multiplication nodes, so <see cref="Width"/> (its nodes, pykan's
/// <c>width_in</c>) is their sum, while the edges feeding it end in <see cref="SubnodeWidth"/> sub-nodes
/// (pykan's <c>width_out</c>): one per addition node, then <c>arity</c> per multiplication node.</para>
/// </summary>
internal sealed class KernelSpec : IEquatable<KernelSpec>
{
    /// <summary>pykan's default <c>mult_arity</c>.</summary>
    public const int DefaultMultiplicationArity = 2;

    /// <summary>The highest spline order the emitters (and a model file) support.</summary>
    public const int MaxSplineOrder = 7;

    private readonly int[] _widths;
    private readonly int[] _multiplication;

    public KernelSpec(int[] widths, int gridSize, int splineOrder, KernelBaseFunction baseFunction, int[]? multiplicationNodes = null, int multiplicationArity = DefaultMultiplicationArity, KernelBeyondGrid beyondGrid = KernelBeyondGrid.Pykan)
    {
        _widths = (int[])widths.Clone();
        _multiplication = new int[_widths.Length];
        if (multiplicationNodes is not null)
        {
            Array.Copy(multiplicationNodes, _multiplication, Math.Min(multiplicationNodes.Length, _multiplication.Length));
        }

        GridSize = gridSize;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
        BeyondGrid = beyondGrid;

        // Without multiplication nodes the arity means nothing; fixing it keeps equal shapes equal.
        HasMultiplication = _multiplication.Any(m => m != 0);
        MultiplicationArity = HasMultiplication ? multiplicationArity : DefaultMultiplicationArity;
    }

    /// <summary>Addition-node counts per layer, inputs first, outputs last (the declared widths).</summary>
    public int[] Widths => (int[])_widths.Clone();

    /// <summary>Multiplication-node counts per layer (zero on the input and output layers).</summary>
    public int[] MultiplicationNodes => (int[])_multiplication.Clone();

    /// <summary>Sub-nodes each multiplication node multiplies.</summary>
    public int MultiplicationArity { get; }

    /// <summary>True when some layer has multiplication nodes.</summary>
    public bool HasMultiplication { get; }

    /// <summary>Nodes of layer l (addition + multiplication): the inputs of layer l's edges.</summary>
    public int Width(int layer) => _widths[layer] + _multiplication[layer];

    /// <summary>Addition nodes of layer l: the first sub-nodes, passed through unchanged.</summary>
    public int SumWidth(int layer) => _widths[layer];

    /// <summary>Multiplication nodes of layer l.</summary>
    public int MultiplicationWidth(int layer) => _multiplication[layer];

    /// <summary>Sub-nodes of layer l (addition + arity × multiplication): the outputs of the edges feeding it.</summary>
    public int SubnodeWidth(int layer) => _widths[layer] + MultiplicationArity * _multiplication[layer];

    /// <summary>Number of layer boundaries (widths.Length - 1).</summary>
    public int Depth => _widths.Length - 1;

    public int GridSize { get; }

    public int SplineOrder { get; }

    public KernelBaseFunction BaseFunction { get; }

    /// <summary>What the splines do beyond [t_k, t_{G+k}].</summary>
    public KernelBeyondGrid BeyondGrid { get; }

    /// <summary>True when the splines continue linearly beyond [t_k, t_{G+k}] (<see cref="KernelBeyondGrid.Smooth"/>).</summary>
    public bool Continues => BeyondGrid == KernelBeyondGrid.Smooth;

    /// <summary>
    /// A stable text key such as <c>2x5x1_G5_k3_SiLU</c> (with multiplication nodes <c>2x5x1_M0x2x0a2_G5_k3_SiLU</c>,
    /// continuing beyond the grid <c>2x5x1_G5_k3_SiLU_C1</c>), used in type names and cache keys.
    /// </summary>
    public string Key => string.Join("x", _widths)
        + (HasMultiplication ? "_M" + string.Join("x", _multiplication) + "a" + MultiplicationArity : string.Empty)
        + "_G" + GridSize + "_k" + SplineOrder + "_" + BaseFunction
        + (Continues ? "_C1" : string.Empty);

    public bool Equals(KernelSpec? other) =>
        other is not null
        && GridSize == other.GridSize
        && SplineOrder == other.SplineOrder
        && BaseFunction == other.BaseFunction
        && BeyondGrid == other.BeyondGrid
        && MultiplicationArity == other.MultiplicationArity
        && _widths.SequenceEqual(other._widths)
        && _multiplication.SequenceEqual(other._multiplication);

    public override bool Equals(object? obj) => Equals(obj as KernelSpec);

    public override int GetHashCode()
    {
        int hash = GridSize * 397 ^ SplineOrder * 31 ^ (int)BaseFunction ^ (int)BeyondGrid << 8;
        foreach (int width in _widths)
        {
            hash = hash * 31 + width;
        }

        foreach (int count in _multiplication)
        {
            hash = hash * 17 + count;
        }

        return hash * 7 + MultiplicationArity;
    }

    public override string ToString() => Key;
}
