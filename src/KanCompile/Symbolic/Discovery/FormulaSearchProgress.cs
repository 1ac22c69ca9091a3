namespace KanCompile.Symbolic.Discovery;

/// <summary>What <see cref="KanFormulaSearch.Discover"/> is doing, reported after every stage.</summary>
/// <param name="Stage">A short description, e.g. "spline [2,2,1] seed 0" or "fixing".</param>
/// <param name="Widths">Shape of the model being searched.</param>
/// <param name="Retrains">Candidate retrainings so far (all models).</param>
/// <param name="CompleteFormulas">Complete formulas reached so far.</param>
/// <param name="BestValidationRmse">Lowest formula validation RMSE so far (+∞ before the first).</param>
/// <param name="Elapsed">Time since the search started.</param>
public sealed record FormulaSearchProgress(string Stage, IReadOnlyList<int> Widths, int Retrains, int CompleteFormulas, double BestValidationRmse, TimeSpan Elapsed);
