namespace KanCompile.Symbolic;

public static partial class SymbolicFit
{
    /// <summary>
    /// pykan's <c>suggest_symbolic</c> over samples: fits every library function with <see cref="FitParameters"/>,
    /// scores loss = w·complexity + (1 − w)·log2(1 + 1e-5 − r²) and returns the <paramref name="topK"/> lowest,
    /// best first (ties keep library order).
    /// </summary>
    /// <param name="x">Inputs of the edge.</param>
    /// <param name="y">Outputs of the edge, same length.</param>
    /// <param name="library">Candidates; <see cref="SymbolicLibrary.Default"/> when null.</param>
    /// <param name="topK">How many candidates to return (at most the library size).</param>
    /// <param name="weightSimple">w in [0, 1]: weight of complexity against fit quality.</param>
    /// <param name="options">Fit ranges and grid; pykan's defaults when null.</param>
    /// <exception cref="ArgumentException">Bad sample lengths, empty library, <paramref name="topK"/> &lt; 1 or w outside [0, 1].</exception>
    public static IReadOnlyList<SymbolicCandidate> SuggestSymbolic(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y,
        SymbolicLibrary? library = null,
        int topK = 5,
        double weightSimple = 0.8,
        SymbolicFitOptions? options = null)
    {
        library ??= SymbolicLibrary.Default;
        if (library.Count == 0)
        {
            throw new ArgumentException("SuggestSymbolic needs a non-empty library.", nameof(library));
        }

        if (topK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be >= 1.");
        }

        if (!(weightSimple >= 0 && weightSimple <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weightSimple), weightSimple, "weightSimple must lie in [0, 1].");
        }

        var candidates = new SymbolicCandidate[library.Count];
        for (int k = 0; k < library.Count; k++)
        {
            var function = library[k];
            var fit = FitParameters(x, y, function, options);
            candidates[k] = new SymbolicCandidate(function, fit, Loss(function.Complexity, fit.RSquared, weightSimple));
        }

        // OrderBy is stable: equal losses keep library order.
        return candidates.OrderBy(c => c.Loss).Take(topK).ToArray();
    }

    /// <summary>pykan's suggest_symbolic loss: w·c + (1 − w)·log2(1 + 1e-5 − r²).</summary>
    public static double Loss(int complexity, double rSquared, double weightSimple = 0.8) =>
        weightSimple * complexity + (1 - weightSimple) * Math.Log2(1 + 1e-5 - rSquared);
}
