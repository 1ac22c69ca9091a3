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
/// Everything a kernel is specialised to: layer widths, grid size, spline order and base function.
/// Contract: immutable and structurally equatable (it flows through the incremental pipeline and keys the
/// runtime's kernel cache), and free of Roslyn types (the runtime links this file).
/// </summary>
internal sealed class KernelSpec : IEquatable<KernelSpec>
{
    private readonly int[] _widths;

    public KernelSpec(int[] widths, int gridSize, int splineOrder, KernelBaseFunction baseFunction)
    {
        _widths = (int[])widths.Clone();
        GridSize = gridSize;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
    }

    /// <summary>Node counts per layer, inputs first, outputs last.</summary>
    public int[] Widths => (int[])_widths.Clone();

    public int Width(int layer) => _widths[layer];

    /// <summary>Number of layer boundaries (widths.Length - 1).</summary>
    public int Depth => _widths.Length - 1;

    public int GridSize { get; }

    public int SplineOrder { get; }

    public KernelBaseFunction BaseFunction { get; }

    /// <summary>A stable text key such as <c>2x5x1_G5_k3_SiLU</c>, used in type names and cache keys.</summary>
    public string Key => string.Join("x", _widths) + "_G" + GridSize + "_k" + SplineOrder + "_" + BaseFunction;

    public bool Equals(KernelSpec? other) =>
        other is not null
        && GridSize == other.GridSize
        && SplineOrder == other.SplineOrder
        && BaseFunction == other.BaseFunction
        && _widths.SequenceEqual(other._widths);

    public override bool Equals(object? obj) => Equals(obj as KernelSpec);

    public override int GetHashCode()
    {
        int hash = GridSize * 397 ^ SplineOrder * 31 ^ (int)BaseFunction;
        foreach (int width in _widths)
        {
            hash = hash * 31 + width;
        }

        return hash;
    }

    public override string ToString() => Key;
}
