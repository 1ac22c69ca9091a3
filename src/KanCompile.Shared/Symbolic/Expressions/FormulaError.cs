namespace KanCompile.Symbolic.Expressions;

/// <summary>
/// How far formulas are from labelled rows: the one RMSE that constant rounding's accuracy check, the formula refit
/// and the search's selection share (same order of summation, so every caller gets the same bits).
/// </summary>
internal static class FormulaError
{
    /// <summary>
    /// The RMSE of <paramref name="outputs"/> over <paramref name="count"/> rows of <paramref name="inputs"/>
    /// (row-major, <paramref name="width"/> per row): output o is compared with label column
    /// <paramref name="firstLabel"/> + o of <paramref name="labels"/> (row-major, <paramref name="labelWidth"/> per row).
    /// Summed row by row, the outputs within a row; NaN or +∞ when a value is (callers decide what that means).
    /// </summary>
    public static double Rmse(
        IReadOnlyList<SymbolicExpression> outputs, ReadOnlySpan<double> inputs, int width, int count,
        ReadOnlySpan<double> labels, int labelWidth, int firstLabel)
    {
        double sum = 0.0;
        for (int s = 0; s < count; s++)
        {
            var row = inputs.Slice(s * width, width);
            for (int o = 0; o < outputs.Count; o++)
            {
                double error = outputs[o].Evaluate(row) - labels[s * labelWidth + firstLabel + o];
                sum += error * error;
            }
        }

        return Math.Sqrt(sum / Math.Max(1, count * outputs.Count));
    }
}
