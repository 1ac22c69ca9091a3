namespace KanCompile.Symbolic;

/// <summary>How <see cref="SymbolicFit.FitParameters"/> searches (a, b).</summary>
public enum SymbolicFitMethod
{
    /// <summary>A coarse grid, then a bounded Newton ascent of the same r² (about 100× less work than pykan's grid, r² as high or higher).</summary>
    Fast = 0,

    /// <summary>pykan's <c>fit_params</c> exactly: a <see cref="SymbolicFitOptions.GridNumber"/>² grid zoomed <see cref="SymbolicFitOptions.Iterations"/> times.</summary>
    Grid = 1,
}

/// <summary>The search settings of <see cref="SymbolicFit.FitParameters"/>; ranges and grid are pykan's by default.</summary>
public sealed record SymbolicFitOptions
{
    /// <summary>The fast search over pykan's box: a, b ∈ [−10, 10].</summary>
    public static SymbolicFitOptions Default { get; } = new();

    /// <summary>pykan's <c>fit_params</c> exactly: a, b ∈ [−10, 10], a 101×101 grid, 3 zoom iterations.</summary>
    public static SymbolicFitOptions Pykan { get; } = new() { Method = SymbolicFitMethod.Grid };

    /// <summary>How (a, b) are searched; <see cref="SymbolicFitMethod.Fast"/> unless set.</summary>
    public SymbolicFitMethod Method { get; init; } = SymbolicFitMethod.Fast;

    /// <summary>Lower end of the initial range of a (pykan <c>a_range[0]</c>).</summary>
    public double AMin { get; init; } = -10.0;

    /// <summary>Upper end of the initial range of a (pykan <c>a_range[1]</c>).</summary>
    public double AMax { get; init; } = 10.0;

    /// <summary>Lower end of the initial range of b (pykan <c>b_range[0]</c>).</summary>
    public double BMin { get; init; } = -10.0;

    /// <summary>Upper end of the initial range of b (pykan <c>b_range[1]</c>).</summary>
    public double BMax { get; init; } = 10.0;

    /// <summary>Grid points per axis (pykan <c>grid_number</c>), at least 3; <see cref="SymbolicFitMethod.Grid"/> only.</summary>
    public int GridNumber { get; init; } = 101;

    /// <summary>Zoom iterations (pykan <c>iteration</c>), at least 1; <see cref="SymbolicFitMethod.Grid"/> only.</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>Threads used over rows of a; −1 lets the runtime decide, 1 runs on the calling thread.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (!(double.IsFinite(AMin) && double.IsFinite(AMax) && AMin <= AMax))
        {
            throw new ArgumentException($"SymbolicFitOptions: the a range [{AMin}, {AMax}] must be finite with AMin <= AMax.");
        }

        if (!(double.IsFinite(BMin) && double.IsFinite(BMax) && BMin <= BMax))
        {
            throw new ArgumentException($"SymbolicFitOptions: the b range [{BMin}, {BMax}] must be finite with BMin <= BMax.");
        }

        // Not Enum.IsDefined: it reads the enum's values through the type's reflection cache, which the runtime holds
        // only weakly, so the first call after any GC rebuilds it (240 bytes); FitParameters, run per edge by
        // AutoSymbolic, would allocate whenever other threads had triggered a GC.
        if (Method is not (SymbolicFitMethod.Fast or SymbolicFitMethod.Grid))
        {
            throw new ArgumentException($"SymbolicFitOptions.Method is {Method}; use SymbolicFitMethod.Fast or Grid.");
        }

        if (GridNumber < 3)
        {
            throw new ArgumentException($"SymbolicFitOptions.GridNumber is {GridNumber}; the zoom needs at least 3 grid points per axis.");
        }

        if (Iterations < 1)
        {
            throw new ArgumentException($"SymbolicFitOptions.Iterations is {Iterations}; at least 1 is needed.");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentException($"SymbolicFitOptions.MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; use -1 (automatic) or a positive count.");
        }
    }
}
