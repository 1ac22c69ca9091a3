namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The outcome of <see cref="KanFormulaSearch.Discover"/>: the chosen formula with its test RMSE and the
/// symbolic model that computes it — or, when no candidate is exact (machine-precision RMSE on held-back rows),
/// "no formula found" with the best spline model. Every candidate tried is listed either way.
/// </summary>
public sealed class FormulaSearchResult
{
    internal FormulaSearchResult(
        KanFormula? formula,
        KanFormula? exactFormula,
        KanNetwork? symbolicModel,
        FormulaCandidate? chosen,
        double? testRmse,
        KanNetwork splineModel,
        double splineTestRmse,
        IReadOnlyList<FormulaCandidate> candidates,
        int retrains,
        TimeSpan elapsed,
        string message)
    {
        Formula = formula;
        ExactFormula = exactFormula;
        SymbolicModel = symbolicModel;
        Chosen = chosen;
        TestRmse = testRmse;
        SplineModel = splineModel;
        SplineTestRmse = splineTestRmse;
        Candidates = candidates;
        Retrains = retrains;
        Elapsed = elapsed;
        Message = message;
    }

    /// <summary>True when a formula was found (<see cref="Formula"/> is set and finite on the test rows).</summary>
    public bool Found => Formula is not null;

    /// <summary>The chosen formula, simplified and rounded where rounding keeps its accuracy; null when none was found.</summary>
    public KanFormula? Formula { get; }

    /// <summary>The chosen formula simplified but unrounded (what <see cref="SymbolicModel"/> computes); null when none was found.</summary>
    public KanFormula? ExactFormula { get; }

    /// <summary>
    /// <see cref="Formula"/> (or, with <paramref name="exact"/>, <see cref="ExactFormula"/>) printed with other
    /// variable names, e.g. names that are valid C# identifiers; null when no formula was found.
    /// </summary>
    /// <exception cref="ArgumentException">Not one name per input.</exception>
    public KanFormula? WithVariableNames(IReadOnlyList<string> variableNames, bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(variableNames);
        var formula = exact ? ExactFormula : Formula;
        if (formula is null)
        {
            return null;
        }

        if (variableNames.Count != formula.VariableNames.Count)
        {
            throw new ArgumentException($"Give one name per input: the formula has {formula.VariableNames.Count} inputs, got {variableNames.Count} names.", nameof(variableNames));
        }

        return new KanFormula(formula.Outputs, variableNames);
    }

    /// <summary>
    /// A fully symbolic model computing <see cref="ExactFormula"/> when the formula was read off a network's edges;
    /// null when none was found or when the structure search found it (its formula is not a network's; export it
    /// with <see cref="FormulaExport.ToCSharp"/>).
    /// </summary>
    public KanNetwork? SymbolicModel { get; }

    /// <summary>The chosen candidate as listed in <see cref="Candidates"/>; null when none was found.</summary>
    public FormulaCandidate? Chosen { get; }

    /// <summary>RMSE of <see cref="Formula"/> on the dataset's test rows (never used by the search); null when none was found.</summary>
    public double? TestRmse { get; }

    /// <summary>The spline model with the lowest test RMSE among those trained: the answer when no formula is found.</summary>
    public KanNetwork SplineModel { get; }

    /// <summary>Test RMSE of <see cref="SplineModel"/>.</summary>
    public double SplineTestRmse { get; }

    /// <summary>
    /// How the structure search split the law for the chosen formula (e.g. "multiplicatively separable: {a} × {b, c}",
    /// with its parts' structures below); null when the formula was read off a network's edges or none was found.
    /// </summary>
    public FormulaStructure? Structure { get; internal init; }

    /// <summary>
    /// Every split the structure search tried, in order, with its hypothesis-test score (lower is more plausible),
    /// indented by depth; splits whose tests failed were never solved and are not listed.
    /// </summary>
    public IReadOnlyList<string> StructuresTried { get; internal init; } = [];

    /// <summary>Every complete formula reached, in the order found.</summary>
    public IReadOnlyList<FormulaCandidate> Candidates { get; }

    /// <summary>Candidate retrainings performed (one per edge candidate tried).</summary>
    public int Retrains { get; }

    /// <summary>Wall-clock time of the search.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>One line saying what was found, e.g. "exact formula from [2,1,1]" or "no formula found: ...".</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => Found ? $"{Formula} (test RMSE {TestRmse:E2}; {Message})" : Message;
}
