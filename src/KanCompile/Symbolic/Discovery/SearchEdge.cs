namespace KanCompile.Symbolic.Discovery;

/// <summary>What an edge of a <see cref="SearchNetwork"/> currently is.</summary>
internal enum SearchEdgeKind
{
    /// <summary>Removed: contributes 0.</summary>
    Zero,

    /// <summary>Still the trained spline: scale_base·b(x) + Σ w_m B_m(x), with w = scale_sp·coef.</summary>
    Spline,

    /// <summary>Fixed to c·f(a·x + b) + d.</summary>
    Symbolic,
}

/// <summary>
/// One edge of a <see cref="SearchNetwork"/>. Spline edges keep their knots and weights (trainable); symbolic
/// edges their function and affine (a, b, c, d) (trainable). Instances are copied, never shared, between states.
/// </summary>
internal sealed class SearchEdge
{
    private SearchEdge(SearchEdgeKind kind) => Kind = kind;

    public SearchEdgeKind Kind { get; private set; }

    /// <summary>Extended knot row of the input node (shared read-only between copies).</summary>
    public double[]? Knots { get; private init; }

    /// <summary>scale_sp·coef, one weight per basis function.</summary>
    public double[]? Weights { get; private set; }

    /// <summary>scale_base.</summary>
    public double ScaleBase { get; set; }

    /// <summary>The symbolic function when <see cref="Kind"/> is Symbolic.</summary>
    public SymbolicFunction? Function { get; private set; }

    /// <summary>Affine (a, b, c, d) of the symbolic function.</summary>
    public double[] Affine { get; private set; } = [];

    /// <summary>Number of trainable values: 1 + weights for a spline, 4 for a symbolic edge, 0 for a zero edge.</summary>
    public int ParameterCount => Kind switch
    {
        SearchEdgeKind.Spline => 1 + Weights!.Length,
        SearchEdgeKind.Symbolic => 4,
        _ => 0,
    };

    public static SearchEdge Zero() => new(SearchEdgeKind.Zero);

    public static SearchEdge Spline(double[] knots, double[] weights, double scaleBase) =>
        new(SearchEdgeKind.Spline) { Knots = knots, Weights = weights, ScaleBase = scaleBase };

    public static SearchEdge Symbolic(SymbolicFunction function, double a, double b, double c, double d) =>
        new(SearchEdgeKind.Symbolic) { Function = function, Affine = [a, b, c, d] };

    public SearchEdge Copy() => new(Kind)
    {
        Knots = Knots,
        Weights = Weights is null ? null : (double[])Weights.Clone(),
        ScaleBase = ScaleBase,
        Function = Function,
        Affine = (double[])Affine.Clone(),
    };

    /// <summary>Copies the trainable values into <paramref name="destination"/>.</summary>
    public void Read(Span<double> destination)
    {
        if (Kind == SearchEdgeKind.Spline)
        {
            destination[0] = ScaleBase;
            Weights.AsSpan().CopyTo(destination[1..]);
        }
        else if (Kind == SearchEdgeKind.Symbolic)
        {
            Affine.AsSpan().CopyTo(destination);
        }
    }

    /// <summary>Sets the trainable values from <paramref name="source"/>.</summary>
    public void Write(ReadOnlySpan<double> source)
    {
        if (Kind == SearchEdgeKind.Spline)
        {
            ScaleBase = source[0];
            source.Slice(1, Weights!.Length).CopyTo(Weights);
        }
        else if (Kind == SearchEdgeKind.Symbolic)
        {
            source[..4].CopyTo(Affine);
        }
    }
}
