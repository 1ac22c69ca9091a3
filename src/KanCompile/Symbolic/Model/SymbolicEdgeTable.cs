using KanCompile.Compilation;

namespace KanCompile.Symbolic;

/// <summary>
/// The symbolic branch of every edge of a model (pykan's <c>Symbolic_KANLayer</c>s, flattened): per edge, in the
/// kernel's edge order (layer's edge offset + i·out + j), a symbolic mask, a function (with its dispatcher id) and the
/// affine (a, b, c, d). pykan starts every edge with the zero function, affine 0 and mask 0; a null function here is
/// that zero function. Kernels read it live through <see cref="Spans"/>, so fixing an edge needs no rebuild.
/// </summary>
internal sealed class SymbolicEdgeTable
{
    /// <summary>Number of affine parameters per edge: a, b, c, d.</summary>
    public const int AffinePerEdge = SymbolicEdgeSpans.AffinePerEdge;

    private readonly SymbolicFunction?[] _functions;

    public SymbolicEdgeTable(int edgeCount)
    {
        Masks = new double[edgeCount];
        _functions = new SymbolicFunction?[edgeCount];
        FunctionIds = new int[edgeCount];
        FunctionIds.AsSpan().Fill(SymbolicDispatch.Zero);
        Affine = new double[edgeCount * AffinePerEdge];
    }

    /// <summary>Symbolic masks (1 live, 0 off).</summary>
    public double[] Masks { get; }

    /// <summary>The function of each edge; null is pykan's initial zero function. Set with <see cref="SetFunction"/>.</summary>
    public ReadOnlySpan<SymbolicFunction?> Functions => _functions;

    /// <summary>The dispatcher id of each edge's function (<see cref="SymbolicDispatch.IdOf"/>).</summary>
    public int[] FunctionIds { get; }

    /// <summary>(a, b, c, d) of each edge, four values per edge.</summary>
    public double[] Affine { get; }

    /// <summary>pykan's y_th when evaluating the singularity-safe variants; 0 evaluates the plain functions.</summary>
    public double SingularityThreshold { get; set; }

    public int EdgeCount => Masks.Length;

    /// <summary>True when at least one symbolic mask is non-zero.</summary>
    public bool AnyActive => ((ReadOnlySpan<double>)Masks).IndexOfAnyExcept(0.0) >= 0;

    /// <summary>Sets an edge's function and its dispatcher id together.</summary>
    public void SetFunction(int edge, SymbolicFunction? function)
    {
        _functions[edge] = function;
        FunctionIds[edge] = SymbolicDispatch.IdOf(function);
    }

    /// <summary>The configuration a mixed kernel reads, with the affine parameters from <paramref name="affine"/>
    /// (the model's own, or the tail of the vector Fit trains).</summary>
    public SymbolicEdgeSpans Spans(ReadOnlySpan<double> affine) =>
        new SymbolicEdgeSpans(Masks, FunctionIds, affine, _functions, SingularityThreshold);
}
