using KanCompile.Interpretability.Hypotheses;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The structure search's place in the formula search: trains one spline model (the surrogate whose derivatives the
/// hypothesis tests read), runs <see cref="StructureSearch"/> in passes of growing effort (iterative deepening:
/// short expressions and one split per part first, then longer expressions and alternative splits), and turns each
/// reading of the law into a complete formula — every constant refitted on the training rows, judged on the
/// held-back rows like every other candidate.
/// </summary>
internal sealed class StructureDiscovery
{
    /// <summary>The passes, cheapest first.</summary>
    private static readonly StructureStage[] Stages =
    [
        new(ExpressionSize: 5, Beam: 3, Alternatives: 1, Threshold: 0.05),
        new(ExpressionSize: 6, Beam: 4, Alternatives: 2, Threshold: 0.1),
        new(ExpressionSize: 7, Beam: 6, Alternatives: 3, Threshold: 0.2, FullSizeLeaves: 4, LeafNetworks: 3),
    ];

    /// <summary>Refit iterations of a whole formula on the training rows, and of a nearly exact one's final polish.</summary>
    private const int RefitIterations = 40;

    private const int PolishIterations = 400;

    /// <summary>Relative RMSE below which a formula gets the long polish (it is converging, not wrong).</summary>
    private const double NearExact = 1e-5;

    private readonly FormulaSearchOptions _options;
    private readonly CancellationToken _cancellationToken;

    public StructureDiscovery(FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        _options = options;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Complete formulas reached, in order.</summary>
    public List<CompleteFormula> Complete { get; } = [];

    /// <summary>Every split tried, in order, indented by depth.</summary>
    public List<string> Tried { get; } = [];

    /// <summary>The surrogate spline model (null before <see cref="Run"/>).</summary>
    public KanNetwork? Surrogate { get; private set; }

    /// <summary>One-variable searches run.</summary>
    public int LeafSearches { get; private set; }

    /// <summary>
    /// Trains the surrogate on <paramref name="fitData"/> and searches; true when an exact formula was found.
    /// <paramref name="report"/> is called after every pass.
    /// </summary>
    public bool Run(KanDataset fitData, SearchRows trainRows, SearchRows validationRows, string[] names, Action<string> report)
    {
        var surrogate = SurrogateModel.Train(fitData, trainRows, _options, _cancellationToken);
        Surrogate = surrogate;
        double splineError = KanFormulaSearch.ModelRmse(surrogate, validationRows) / Math.Max(validationRows.LabelSpread(), 1e-300);
        report($"surrogate [{string.Join(",", surrogate.Widths)}] (relative validation RMSE {splineError:0.0e+0})");

        // The root reads the model; its rows are the law's own, which parts that only rename inputs keep.
        var rows = new SearchRows(fitData.TrainInputs, fitData.TrainLabels, fitData.InputCount, 1);
        var root = new LawPart(DifferentiableFunction.FromModel(surrogate), Box(fitData), names, "root", rows: rows);
        var search = new StructureSearch(_options.ExpressionLibrary, _options.Seed, _cancellationToken,
            partRows => DifferentiableFunction.FromModel(SurrogateModel.Train(partRows, _options, _cancellationToken)), leafNetworks: _options);
        double exactRmse = _options.ExactTolerance * Math.Max(validationRows.LabelScale(), 1e-300);
        var judged = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var stage in Stages)
            {
                if (_cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                int before = search.Tried.Count, leavesBefore = search.LeafSearches, networksBefore = search.LeafNetworkSearches;
                var solutions = search.Solve(root, stage);
                Tried.AddRange(search.Tried.Skip(before));
                bool exact = false;
                foreach (var solution in solutions)
                {
                    if (judged.Add(solution.Expression.ToText()))
                    {
                        exact |= Judge(solution, trainRows, validationRows, exactRmse, surrogate);
                    }
                }

                report($"structure pass {Array.IndexOf(Stages, stage) + 1} (expressions up to {stage.ExpressionSize} nodes, {solutions.Count} reading(s), {search.LeafSearches - leavesBefore} one-variable search(es), {search.LeafNetworkSearches - networksBefore} as small KANs)");
                if (exact)
                {
                    return true;
                }
            }
        }
        finally
        {
            LeafSearches = search.LeafSearches;
        }

        return false;
    }

    /// <summary>Refits a reading of the law on the training rows and scores it on the held-back rows.</summary>
    private bool Judge(PartSolution solution, SearchRows trainRows, SearchRows validationRows, double exactRmse, KanNetwork surrogate)
    {
        var (outputs, rmse) = Fitted(solution.Expression);

        // An exponent that came from a fitted constant (exp(c·log b) = b^c) is stuck where the parts' samples, read
        // off the model, put it; the law's own rows decide whether the nearest multiple of 1/2 is the better reading.
        if (rmse > exactRmse && FormulaRefit.SnapExponents(outputs[0], NearHalfExponent) is var snapped && snapped.ToText() != outputs[0].ToText()
            && Fitted(snapped) is var other && other.Rmse < rmse)
        {
            (outputs, rmse) = other;
        }

        bool exact = rmse <= exactRmse;
        var report = new FormulaCandidate(surrogate.Widths.ToArray(), surrogate.Seed, solution.Structure.ToString(), SymbolicSimplifier.NodeCount(outputs[0]), outputs[0].ToText(), rmse, exact)
        {
            Shape = "structure",
            Structure = solution.Structure,
        };
        Complete.Add(new CompleteFormula(null, outputs, report));
        return exact;

        (IReadOnlyList<SymbolicExpression> Outputs, double Rmse) Fitted(SymbolicExpression start)
        {
            var formula = FormulaRefit.Refit(start, 0, trainRows, RefitIterations) ?? start.Simplify();
            double trainRmse = FormulaRefit.Rmse(formula, 0, trainRows);
            double scale = trainRows.LabelScale();
            if (trainRmse > _options.ExactTolerance * scale && trainRmse <= NearExact * scale)
            {
                formula = FormulaRefit.Refit(formula, 0, trainRows, PolishIterations, stallTolerance: 0.0) ?? formula;
            }

            IReadOnlyList<SymbolicExpression> fitted = [FormulaSimplification.Simplify(formula)];
            return (fitted, FormulaSelection.Rmse(fitted, validationRows));
        }
    }

    /// <summary>Relative distance within which a fitted exponent is also tried as the nearest multiple of 1/2.</summary>
    private const double NearHalfExponent = 1e-2;

    /// <summary>The training inputs' range per variable, pulled in by 1% at each end (the splines are least sure at the edges).</summary>
    private static (double Min, double Max)[] Box(KanDataset data)
    {
        int n = data.InputCount;
        var box = new (double Min, double Max)[n];
        for (int i = 0; i < n; i++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int s = 0; s < data.TrainCount; s++)
            {
                min = Math.Min(min, data.TrainInputs[s * n + i]);
                max = Math.Max(max, data.TrainInputs[s * n + i]);
            }

            double margin = 0.01 * (max - min);
            box[i] = (min + margin, max - margin);
        }

        return box;
    }
}
