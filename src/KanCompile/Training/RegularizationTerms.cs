namespace KanCompile.Training;

/// <summary>
/// One layer's regulariser terms before weighting, as pykan's <c>reg</c> sums them: Σv, the row and column entropies,
/// and the coefficients' L1 and first-difference L1 (each averaged over the layer's outputs).
/// </summary>
internal readonly record struct RegularizationTerms(double L1, double RowEntropy, double ColumnEntropy, double CoefficientL1, double CoefficientDifferenceL1);
