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

/// <summary>
/// Everything a kernel is specialised to: layer widths, multiplication nodes, grid size, spline order and
/// base function. Contract: immutable and structurally equatable (it flows through the incremental pipeline
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

    private readonly int[] _widths;
    private readonly int[] _multiplication;

    public KernelSpec(int[] widths, int gridSize, int splineOrder, KernelBaseFunction baseFunction, int[]? multiplicationNodes = null, int multiplicationArity = DefaultMultiplicationArity)
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

    /// <summary>
    /// A stable text key such as <c>2x5x1_G5_k3_SiLU</c> (with multiplication nodes <c>2x5x1_M0x2x0a2_G5_k3_SiLU</c>),
    /// used in type names and cache keys.
    /// </summary>
    public string Key => string.Join("x", _widths)
        + (HasMultiplication ? "_M" + string.Join("x", _multiplication) + "a" + MultiplicationArity : string.Empty)
        + "_G" + GridSize + "_k" + SplineOrder + "_" + BaseFunction;

    public bool Equals(KernelSpec? other) =>
        other is not null
        && GridSize == other.GridSize
        && SplineOrder == other.SplineOrder
        && BaseFunction == other.BaseFunction
        && MultiplicationArity == other.MultiplicationArity
        && _widths.SequenceEqual(other._widths)
        && _multiplication.SequenceEqual(other._multiplication);

    public override bool Equals(object? obj) => Equals(obj as KernelSpec);

    public override int GetHashCode()
    {
        int hash = GridSize * 397 ^ SplineOrder * 31 ^ (int)BaseFunction;
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
