namespace KanCompile.Symbolic;

/// <summary>The result of <see cref="SymbolicFit.FitParameters"/>: y ≈ C·f(A·x + B) + D with quality r².</summary>
/// <param name="A">Inner scale a.</param>
/// <param name="B">Inner shift b.</param>
/// <param name="C">Outer scale c (least squares).</param>
/// <param name="D">Outer shift d (least squares intercept).</param>
/// <param name="RSquared">pykan's damped squared Pearson correlation at (a, b).</param>
public readonly record struct SymbolicFitResult(double A, double B, double C, double D, double RSquared);
