using KanCompile.Symbolic;

namespace KanCompile.Cli.Symbolic;

/// <summary>
/// The closed form of a model after <c>--symbolic</c>: the formula as printed (constants rounded to
/// <see cref="Digits"/> decimal places) and unrounded, with each one's RMSE on the test rows (for a classifier: the logit
/// formulas and each one's test accuracy) — or why there is none.
/// </summary>
internal sealed record FormulaReport(KanFormula? Printed, KanFormula? Exact, double? TestRmse, double? ExactTestRmse, string? Error, int? Digits = null, double? TestAccuracy = null, double? ExactTestAccuracy = null)
{
    /// <summary>Decimal places of the printed formula's constants (pykan's <c>ex_round</c>), at least.</summary>
    public const int PrintDigits = 4;

    /// <summary>The most decimal places the printed formula gets when rounding would change its predictions.</summary>
    public const int MaxPrintDigits = 15;

    /// <summary>pykan's quick-start library, the default of <c>--lib</c>.</summary>
    public static readonly string[] DefaultLibrary = ["x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs"];

    /// <summary>
    /// Composes the model's formula with <paramref name="variableNames"/>. A model that still has a spline edge
    /// (auto-symbolic found no function good enough) gets <see cref="Error"/> naming the edges instead.
    /// </summary>
    public static FormulaReport Compute(KanModel model, IReadOnlyList<string> variableNames, double[] testInputs, double[] testLabels)
    {
        string[] splines = SplineEdges(model);
        if (splines.Length > 0)
        {
            return new FormulaReport(null, null, null, null, $"no formula: {DescribeEdges(splines)} still spline(s) after auto-symbolic (no library function fitted them); try a larger --lib.");
        }

        KanFormula exact = model.SymbolicFormula(variableNames);
        double? unrounded = Rmse(exact, model.InputCount, testInputs, testLabels);

        // 4 decimals as pykan prints, unless rounding visibly changes the predictions: a tiny factor in front of a
        // large one (4.879e-5·exp(a + 9.928)) rounds to 0. Then more decimals, so the printed formula stays true.
        int digits = PrintDigits;
        KanFormula printed = model.SymbolicFormula(variableNames, digits);
        double? rounded = Rmse(printed, model.InputCount, testInputs, testLabels);
        while (digits < MaxPrintDigits && unrounded is double target && !(rounded <= 2 * target + 1e-9))
        {
            digits++;
            printed = model.SymbolicFormula(variableNames, digits);
            rounded = Rmse(printed, model.InputCount, testInputs, testLabels);
        }

        string? error = rounded is null || unrounded is null
            ? "the formula is not finite on some test rows (e.g. log or division outside its domain), so its test RMSE is left out."
            : null;
        return new FormulaReport(printed, exact, rounded, unrounded, error, digits);
    }

    /// <summary>
    /// A classifier's logits as formulas (<c>--classify --symbolic</c>): the printed one with 4 decimals, or more until its
    /// test accuracy matches the unrounded one's, each with its test accuracy under the model's <see cref="KanClasses"/>.
    /// </summary>
    public static FormulaReport ComputeClassifier(KanModel model, IReadOnlyList<string> variableNames, double[] testInputs, int[] testClasses)
    {
        string[] splines = SplineEdges(model);
        if (splines.Length > 0)
        {
            return new FormulaReport(null, null, null, null, $"no formula: {DescribeEdges(splines)} still spline(s) after auto-symbolic (no library function fitted them); try a larger --lib.");
        }

        KanClasses classes = model.Classes ?? throw new InvalidOperationException("A classifier's formula needs the model's classes.");
        KanFormula exact = model.SymbolicFormula(variableNames);
        double? unrounded = Accuracy(exact, classes, model.InputCount, testInputs, testClasses);
        int digits = PrintDigits;
        KanFormula printed = model.SymbolicFormula(variableNames, digits);
        double? rounded = Accuracy(printed, classes, model.InputCount, testInputs, testClasses);
        while (digits < MaxPrintDigits && unrounded is double target && !(rounded >= target))
        {
            digits++;
            printed = model.SymbolicFormula(variableNames, digits);
            rounded = Accuracy(printed, classes, model.InputCount, testInputs, testClasses);
        }

        string? error = rounded is null || unrounded is null
            ? "the formula is not finite on some test rows (e.g. log or division outside its domain), so its test accuracy is left out."
            : null;
        return new FormulaReport(printed, exact, null, null, error, digits, rounded, unrounded);
    }

    /// <summary>
    /// The formula the search found (<c>--recipe discovery</c>), printed with <paramref name="variableNames"/>:
    /// its tidied form (constants rounded only where that keeps its accuracy) and the unrounded one, each with its
    /// RMSE on the test rows.
    /// </summary>
    public static FormulaReport FromSearch(KanCompile.Symbolic.Discovery.FormulaSearchResult search, IReadOnlyList<string> variableNames, double[] testInputs, double[] testLabels)
    {
        KanFormula printed = search.WithVariableNames(variableNames) ?? throw new ArgumentException("The search found no formula.", nameof(search));
        KanFormula exact = search.WithVariableNames(variableNames, exact: true)!;
        double? rounded = Rmse(printed, printed.VariableNames.Count, testInputs, testLabels);
        double? unrounded = Rmse(exact, exact.VariableNames.Count, testInputs, testLabels);
        string? error = rounded is null || unrounded is null
            ? "the formula is not finite on some test rows (e.g. log or division outside its domain), so its test RMSE is left out."
            : null;
        return new FormulaReport(printed, exact, rounded, unrounded, error);
    }

    /// <summary>Edges whose spline branch is still live, as "(layer,input,output)".</summary>
    public static string[] SplineEdges(KanModel model) =>
        model.Edges.Where(edge => model.GetMask(edge) != 0.0).Select(edge => edge.ToString()).ToArray();

    /// <summary>"edges (0,1,0), (1,0,0) (layer, input, output) are", at most ten edges named.</summary>
    public static string DescribeEdges(string[] edges)
    {
        const int Shown = 10;
        string list = string.Join(", ", edges.Take(Shown)) + (edges.Length > Shown ? $" and {edges.Length - Shown} more" : "");
        return edges.Length == 1 ? $"edge {list} (layer, input, output) is" : $"{edges.Length} edges {list} (layer, input, output) are";
    }

    /// <summary>One text per output: the expression alone, or "name = expression" when there are several.</summary>
    public static string Text(KanFormula formula, IReadOnlyList<string>? targets) =>
        formula.Outputs.Count == 1
            ? formula.ToText(0)
            : string.Join("; ", Enumerable.Range(0, formula.Outputs.Count).Select(o => $"{TargetName(targets, o)} = {formula.ToText(o)}"));

    private static string TargetName(IReadOnlyList<string>? targets, int output) =>
        targets is not null && output < targets.Count ? targets[output] : "y" + (output + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Share of test rows whose class the formula's logits decide right; null when some logit is not finite.</summary>
    private static double? Accuracy(KanFormula formula, KanClasses classes, int inputCount, double[] inputs, int[] labels)
    {
        var logits = new double[formula.Outputs.Count];
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            formula.Evaluate(inputs.AsSpan(r * inputCount, inputCount), logits);
            if (!logits.All(double.IsFinite))
            {
                return null;
            }

            correct += classes.Decide(logits) == labels[r] ? 1 : 0;
        }

        return correct / (double)Math.Max(1, labels.Length);
    }

    /// <summary>RMSE of the formula over every test row and output; null when it is not finite (JSON has no NaN).</summary>
    private static double? Rmse(KanFormula formula, int inputCount, double[] inputs, double[] labels)
    {
        int outputs = formula.Outputs.Count;
        var predicted = new double[outputs];
        double sum = 0.0;
        int rows = inputs.Length / inputCount;
        for (int r = 0; r < rows; r++)
        {
            formula.Evaluate(inputs.AsSpan(r * inputCount, inputCount), predicted);
            for (int o = 0; o < outputs; o++)
            {
                double error = predicted[o] - labels[r * outputs + o];
                sum += error * error;
            }
        }

        double rmse = Math.Sqrt(sum / Math.Max(1, labels.Length));
        return double.IsFinite(rmse) ? rmse : null;
    }
}
