namespace KanCompile.Symbolic;

/// <summary>
/// The symbolic branch of every edge of a model (pykan's <c>Symbolic_KANLayer</c>s, flattened): per edge, in the
/// kernel's edge order (layer's edge offset + i·out + j), a symbolic mask, a function and the affine (a, b, c, d).
/// pykan starts every edge with the zero function, affine 0 and mask 0; a null function here is that zero function.
/// Kernels read it live, so fixing an edge needs no rebuild.
/// </summary>
internal sealed class SymbolicEdgeTable
{
    /// <summary>Number of affine parameters per edge: a, b, c, d.</summary>
    public const int AffinePerEdge = 4;

    public SymbolicEdgeTable(int edgeCount)
    {
        Masks = new double[edgeCount];
        Functions = new SymbolicFunction?[edgeCount];
        Affine = new double[edgeCount * AffinePerEdge];
    }

    /// <summary>Symbolic masks (1 live, 0 off).</summary>
    public double[] Masks { get; }

    /// <summary>The function of each edge; null is pykan's initial zero function.</summary>
    public SymbolicFunction?[] Functions { get; }

    /// <summary>(a, b, c, d) of each edge, four values per edge.</summary>
    public double[] Affine { get; }

    public int EdgeCount => Masks.Length;

    /// <summary>True when at least one symbolic mask is non-zero.</summary>
    public bool AnyActive => ((ReadOnlySpan<double>)Masks).IndexOfAnyExcept(0.0) >= 0;

    /// <summary>ψ = mask·(c·f(a·x + b) + d) of one edge, 0 when its mask is 0 (a dormant f is never evaluated, so a
    /// singular f left behind by an unfixed edge cannot turn 0·∞ into NaN).</summary>
    public double Value(int edge, double x, ReadOnlySpan<double> affine)
    {
        double mask = Masks[edge];
        if (mask == 0.0)
        {
            return 0.0;
        }

        var function = Functions[edge];
        int p = edge * AffinePerEdge;
        double f = function is null ? 0.0 : function.Evaluate(affine[p] * x + affine[p + 1]);
        return mask * (affine[p + 2] * f + affine[p + 3]);
    }
}
