namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// An output edge fixed before anything else: y = f(z), where the network below learns z = f⁻¹(y). This is how
/// the search reaches three-layer formulas such as 1/(1 + a·b) or asin(a/b) without training deep spline
/// networks: the inner [n,h,1] network is trained on the transformed labels, searched as usual, and the output
/// edge is appended (and retrained with everything else) before the formula is scored on the original labels.
/// </summary>
/// <param name="Function">The library function of the output edge.</param>
/// <param name="Inverse">f⁻¹, applied to the labels.</param>
/// <param name="Applies">Whether every label lies where f⁻¹ is defined and f is its inverse.</param>
internal sealed record OutputTransform(SymbolicFunction Function, Func<double, double> Inverse, Func<double, bool> Applies)
{
    public override string ToString() => Function.Name;

    /// <summary>
    /// The transforms tried, in order, for the invertible functions of <paramref name="library"/> (the same list
    /// for every problem; which ones apply depends only on the range of the labels).
    /// </summary>
    public static IReadOnlyList<OutputTransform> For(SymbolicLibrary library)
    {
        var all = new (string Name, Func<double, double> Inverse, Func<double, bool> Applies)[]
        {
            ("1/x", y => 1.0 / y, y => Math.Abs(y) > 1e-6),
            ("exp", Math.Log, y => y > 1e-12),
            ("arcsin", Math.Sin, y => Math.Abs(y) <= Math.PI / 2),
            ("sqrt", y => y * y, y => y >= 0.0),
            ("1/sqrt(x)", y => 1.0 / (y * y), y => y > 1e-6),
        };
        return all.Where(t => library.Contains(t.Name)).Select(t => new OutputTransform(library.Get(t.Name), t.Inverse, t.Applies)).ToArray();
    }

    /// <summary>The labels transformed, or null when some label is outside the transform's domain (or 1/x would change sign).</summary>
    public SearchRows? Apply(SearchRows rows)
    {
        if (!rows.Labels.All(Applies))
        {
            return null;
        }

        if (Function.Name == "1/x" && rows.Labels.Any(y => y > 0) && rows.Labels.Any(y => y < 0))
        {
            return null;
        }

        var labels = rows.Labels.Select(Inverse).ToArray();
        return labels.All(double.IsFinite) ? new SearchRows(rows.Inputs, labels, rows.InputCount, rows.OutputCount) : null;
    }
}
