namespace KanCompile.Symbolic;

/// <summary>One ranked entry of <see cref="SymbolicFit.SuggestSymbolic"/>.</summary>
/// <param name="Function">The library function.</param>
/// <param name="Fit">Its fitted affine parameters and r².</param>
/// <param name="Loss">w·complexity + (1 − w)·log2(1 + 1e-5 − r²); lower is better.</param>
public sealed record SymbolicCandidate(SymbolicFunction Function, SymbolicFitResult Fit, double Loss)
{
    /// <summary>The function's library name.</summary>
    public string Name => Function.Name;

    /// <summary>The fit's r².</summary>
    public double RSquared => Fit.RSquared;

    /// <summary>The function's complexity.</summary>
    public int Complexity => Function.Complexity;

    /// <summary>Inner scale a.</summary>
    public double A => Fit.A;

    /// <summary>Inner shift b.</summary>
    public double B => Fit.B;

    /// <summary>Outer scale c.</summary>
    public double C => Fit.C;

    /// <summary>Outer shift d.</summary>
    public double D => Fit.D;
}
