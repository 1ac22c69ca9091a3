namespace KanCompile.Cli.Fitting;

/// <summary>The result of <c>kan fit</c>: what <c>--json</c> prints (camelCase) and the text summary shows.</summary>
internal sealed class FitSummary
{
    /// <summary>Final node counts per layer, inputs first (pruning may have shrunk the hidden layers).</summary>
    public required int[] Widths { get; init; }

    /// <summary>Final grid intervals G.</summary>
    public required int Grid { get; init; }

    /// <summary>Spline order k.</summary>
    public required int Order { get; init; }

    /// <summary>Trainable parameters of the final model.</summary>
    public required int Parameters { get; init; }

    /// <summary>RMSE of the final model on the training rows (null for a classifier).</summary>
    public required double? TrainRmse { get; init; }

    /// <summary>RMSE of the final model on the held-out test rows (null for a classifier).</summary>
    public required double? TestRmse { get; init; }

    /// <summary>Share of training rows whose predicted class is right (--classify), or null.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Share of held-out test rows whose predicted class is right (--classify), or null.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The loss a classifier was trained with (<c>logistic</c> or <c>cross_entropy</c>), or null for the default squared error.</summary>
    public string? Loss { get; init; }

    /// <summary>The class names, index by index (--classify), or null.</summary>
    public string[]? Classes { get; init; }

    /// <summary>Wall-clock seconds of the whole command (reading, training, saving).</summary>
    public required double Seconds { get; init; }

    /// <summary>Input column names, in the model's input order.</summary>
    public required string[] Inputs { get; init; }

    /// <summary>Target column names, in the model's output order.</summary>
    public required string[] Targets { get; init; }

    /// <summary>Training and test row counts.</summary>
    public required int TrainRows { get; init; }

    /// <summary>Held-out test row count.</summary>
    public required int TestRows { get; init; }

    /// <summary>Each recipe step in order.</summary>
    public required FitPhaseSummary[] Phases { get; init; }

    /// <summary>Where the model was saved (--save), or null.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The symbolic formula as printed, constants rounded to <see cref="FormulaDigits"/> decimals (--symbolic); "y = ...; z = ..."
    /// for several targets. Null (left out) without --symbolic or when there is no formula (see <see cref="FormulaError"/>).
    /// </summary>
    public string? Formula { get; init; }

    /// <summary>RMSE of the printed (rounded) formula itself on the test rows (--symbolic), or null.</summary>
    public double? FormulaTestRmse { get; init; }

    /// <summary>Decimal places of the printed formula's constants: 4, or more where 4 would change its predictions.</summary>
    public int? FormulaDigits { get; init; }

    /// <summary>RMSE of the unrounded formula on the test rows (--symbolic), or null.</summary>
    public double? ExactFormulaTestRmse { get; init; }

    /// <summary>Test accuracy of the printed (rounded) logit formulas (--classify --symbolic), or null.</summary>
    public double? FormulaTestAccuracy { get; init; }

    /// <summary>Test accuracy of the unrounded logit formulas (--classify --symbolic), or null.</summary>
    public double? ExactFormulaTestAccuracy { get; init; }

    /// <summary>Why <see cref="Formula"/> or its RMSE is missing (--symbolic), or null.</summary>
    public string? FormulaError { get; init; }

    /// <summary>Where the formula's C# class was written (--export-cs), or null.</summary>
    public string? ExportCs { get; init; }

    /// <summary>How the formula was found (--symbolic): "discovery" or "pykan"; null without --symbolic.</summary>
    public string? Recipe { get; init; }

    /// <summary>What the formula search did (--recipe discovery), or null.</summary>
    public SearchSummary? Search { get; init; }
}

/// <summary>The formula search in the JSON output.</summary>
internal sealed class SearchSummary
{
    /// <summary>Whether a formula was found.</summary>
    public required bool Found { get; init; }

    /// <summary>One line: what was found, or "no formula found: ..." with the reason.</summary>
    public required string Message { get; init; }

    /// <summary>Shape the formula came from, inputs first; null when none was found.</summary>
    public int[]? Widths { get; init; }

    /// <summary>Whether the chosen formula is exact (machine-precision validation RMSE); null when none was found.</summary>
    public bool? Exact { get; init; }

    /// <summary>Test RMSE of the search's best spline model (the fallback when no formula is found).</summary>
    public required double SplineTestRmse { get; init; }

    /// <summary>Candidate retrainings performed.</summary>
    public required int Retrains { get; init; }

    /// <summary>Seconds the search took.</summary>
    public required double Seconds { get; init; }

    /// <summary>Every complete formula the search compared, in the order found.</summary>
    public required SearchCandidateSummary[] Candidates { get; init; }

    /// <summary>Converts a search result.</summary>
    public static SearchSummary From(KanCompile.Symbolic.Discovery.FormulaSearchResult result) => new()
    {
        Found = result.Found,
        Message = result.Message,
        Widths = result.Chosen?.Widths.ToArray(),
        Exact = result.Chosen?.IsExact,
        SplineTestRmse = result.SplineTestRmse,
        Retrains = result.Retrains,
        Seconds = result.Elapsed.TotalSeconds,
        Candidates = result.Candidates.Select(c => new SearchCandidateSummary
        {
            Widths = c.Widths.ToArray(),
            Seed = c.ModelSeed,
            Formula = c.Formula,
            Complexity = c.Complexity,
            ValidationRmse = c.ValidationRmse,
            Exact = c.IsExact,
        }).ToArray(),
    };
}

/// <summary>One complete formula the search compared.</summary>
internal sealed class SearchCandidateSummary
{
    /// <summary>Shape of the network it came from.</summary>
    public required int[] Widths { get; init; }

    /// <summary>Seed of that spline model.</summary>
    public required int Seed { get; init; }

    /// <summary>The simplified formula over x1..xn.</summary>
    public required string Formula { get; init; }

    /// <summary>Sum of the edges' complexities.</summary>
    public required int Complexity { get; init; }

    /// <summary>RMSE of the formula on the held-back training rows ("Infinity" when not finite there).</summary>
    public required double ValidationRmse { get; init; }

    /// <summary>Whether the validation RMSE is at machine-precision level.</summary>
    public required bool Exact { get; init; }
}

/// <summary>One recipe step in the JSON output.</summary>
internal sealed class FitPhaseSummary
{
    /// <summary>fit, prune or refine.</summary>
    public required string Kind { get; init; }

    /// <summary>Widths after the step.</summary>
    public required int[] Widths { get; init; }

    /// <summary>Grid intervals after the step.</summary>
    public required int Grid { get; init; }

    /// <summary>Optimiser steps run (fit only).</summary>
    public int? Steps { get; init; }

    /// <summary>Training RMSE of the last step as the fit logged it (fit only; null for a classifier).</summary>
    public double? TrainRmse { get; init; }

    /// <summary>Test RMSE after the last step (fit only; null for a classifier).</summary>
    public double? TestRmse { get; init; }

    /// <summary>Training accuracy after the last step (classifier fits only).</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Test accuracy after the last step (classifier fits only).</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Why the fit stopped (fit only).</summary>
    public FitExitReason? ExitReason { get; init; }

    /// <summary>Seconds the step took.</summary>
    public required double Seconds { get; init; }

    /// <summary>Converts a recipe outcome.</summary>
    public static FitPhaseSummary From(RecipeOutcome outcome) => new()
    {
        Kind = outcome.Step.Kind.ToString().ToLowerInvariant(),
        Widths = outcome.Widths,
        Grid = outcome.GridSize,
        Steps = outcome.Fit?.Steps,
        TrainRmse = outcome.Fit is { Steps: > 0 } fit && !double.IsNaN(fit.TrainRmse[^1]) ? fit.TrainRmse[^1] : null,
        TestRmse = outcome.Fit is { Steps: > 0 } fitted && !double.IsNaN(fitted.TestRmse[^1]) ? fitted.TestRmse[^1] : null,
        TrainAccuracy = LastMetric(outcome.Fit, KanMetric.TrainAccuracy.Name),
        TestAccuracy = LastMetric(outcome.Fit, KanMetric.TestAccuracy.Name),
        ExitReason = outcome.Fit?.ExitReason,
        Seconds = outcome.Elapsed.TotalSeconds,
    };

    private static double? LastMetric(FitResult? fit, string name) =>
        fit is { Steps: > 0 } && fit.Metrics.TryGetValue(name, out IReadOnlyList<double>? values) ? values[^1] : null;
}
