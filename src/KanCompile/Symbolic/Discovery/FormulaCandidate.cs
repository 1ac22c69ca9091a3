namespace KanCompile.Symbolic.Discovery;

/// <summary>One complete formula the search reached (every edge fixed or removed), as reported.</summary>
/// <param name="Widths">Shape of the network it came from, inputs first.</param>
/// <param name="ModelSeed">Seed of that spline model.</param>
/// <param name="Edges">The function per live edge, "(layer,input,output)=name ...".</param>
/// <param name="Complexity">Sum of the edges' complexities (pykan's c).</param>
/// <param name="Formula">The simplified formula as text (variables x1..xn unless names were given).</param>
/// <param name="ValidationRmse">RMSE of the formula itself on the held-back training rows.</param>
/// <param name="IsExact">Whether <paramref name="ValidationRmse"/> is at machine-precision level
/// (<see cref="FormulaSearchOptions.ExactTolerance"/>).</param>
public sealed record FormulaCandidate(IReadOnlyList<int> Widths, int ModelSeed, string Edges, int Complexity, string Formula, double ValidationRmse, bool IsExact)
{
    /// <summary>
    /// The network's shape as pykan writes it, [n_sum,n_mult] for a layer with multiplication nodes (e.g.
    /// "[2,[0,1],1]"); <see cref="Widths"/> counts every node of a layer.
    /// </summary>
    public string Shape { get; init; } = "[" + string.Join(",", Widths) + "]";

    /// <summary>How the structure search split the law for this candidate; null for a candidate read off a network's edges.</summary>
    public FormulaStructure? Structure { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Structure is not null
        ? $"structure ({Structure}): {Formula}  (validation RMSE {ValidationRmse:E2}{(IsExact ? ", exact" : "")})"
        : $"{Shape} seed {ModelSeed}: {Formula}  (validation RMSE {ValidationRmse:E2}, complexity {Complexity}{(IsExact ? ", exact" : "")})";
}
