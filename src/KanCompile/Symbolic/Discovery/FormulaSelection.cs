using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>A complete candidate: the fully symbolic network (null for a formula of the structure search), its simplified formula and the report entry.</summary>
internal sealed record CompleteFormula(SearchNetwork? Network, IReadOnlyList<SymbolicExpression> Outputs, FormulaCandidate Report);

/// <summary>
/// Final selection: composes a fully symbolic network into simplified formulas, scores them by their own RMSE on
/// held-back rows (not by r² per edge), and picks the simplest exact one, or none.
/// </summary>
internal static class FormulaSelection
{
    /// <summary>The simplified formula of every output.</summary>
    public static IReadOnlyList<SymbolicExpression> Compose(SearchNetwork network, SymbolicLibrary library) =>
        SymbolicFormula.Compose(network.ToSymbolicLayers(), library).Select(FormulaSimplification.Simplify).ToArray();

    /// <summary>RMSE of the formulas over the rows; +∞ when some value is not finite (a formula is never NaN-scored).</summary>
    public static double Rmse(IReadOnlyList<SymbolicExpression> outputs, SearchRows rows, int firstOutput = 0)
    {
        double rmse = FormulaError.Rmse(outputs, rows.Inputs, rows.InputCount, rows.Count, rows.Labels, rows.OutputCount, firstOutput);
        return double.IsFinite(rmse) ? rmse : double.PositiveInfinity;
    }

    /// <summary>
    /// The simplest exact candidate — fewest expression nodes after simplification (equal reparametrisations
    /// simplify to the same or a shorter form), then lowest edge complexity, then lowest RMSE — or null when no
    /// candidate is exact: an approximate closed form is not reported as the law (it stays listed among the candidates).
    /// </summary>
    public static CompleteFormula? Choose(IEnumerable<CompleteFormula> candidates) =>
        candidates
            .Where(c => c.Report.IsExact && double.IsFinite(c.Report.ValidationRmse))
            .OrderBy(c => c.Outputs.Sum(SymbolicSimplifier.NodeCount))
            .ThenBy(c => c.Report.Complexity)
            .ThenBy(c => c.Report.ValidationRmse)
            .FirstOrDefault();
}
