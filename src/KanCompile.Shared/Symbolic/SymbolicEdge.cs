namespace KanCompile.Symbolic;

/// <summary>
/// A symbolic edge c·f(a·x + b) + d, with f named in a <see cref="SymbolicLibrary"/> (pykan's <c>funs_name</c>
/// and <c>affine</c> = (a, b, c, d)).
/// </summary>
/// <param name="FunctionName">Library name of f, e.g. <c>"sin"</c>.</param>
/// <param name="A">Inner scale a.</param>
/// <param name="B">Inner shift b.</param>
/// <param name="C">Outer scale c.</param>
/// <param name="D">Outer shift d.</param>
public readonly record struct SymbolicEdge(string FunctionName, double A, double B, double C, double D)
{
    /// <summary>The edge f with the affine parameters of a fit.</summary>
    public static SymbolicEdge FromFit(SymbolicFunction function, SymbolicFitResult fit) =>
        new(function.Name, fit.A, fit.B, fit.C, fit.D);
}
