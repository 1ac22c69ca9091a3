namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// The edge-fixing search on one trained spline network: repeatedly rank every remaining spline edge's
/// candidates, take the edge whose best candidate fits most closely (the most confident), and try its top-k
/// candidates in order — each on a copy, retraining the remaining splines and every affine parameter
/// (<see cref="SearchNetworkFitting"/>). A candidate whose RMSE rises beyond
/// <see cref="FormulaSearchOptions.BacktrackFactor"/> times the spline network's is abandoned (backtracking to
/// the next candidate); a network with no spline left is a complete formula, scored on held-back rows.
/// The search ends at the first exact formula or when the retraining budget is spent.
/// </summary>
internal sealed class EdgeFixingSearch
{
    private const int PartialIterations = 12;

    /// <summary>Separated multiplication nodes tried per spline network (<see cref="FactorSeparation"/>): the best assignment (with two inputs and two factors the other one only swaps the factors).</summary>
    private const int MaxSeparations = 1;

    /// <summary>Iterations that retrain a separated network (its remaining splines start far off).</summary>
    private const int SeparationIterations = 100;
    private const int FinalIterations = 200;

    private readonly FormulaSearchOptions _options;
    private const int RetrainsAfterExact = 12;

    /// <summary>Relative RMSE below which a complete formula gets a long final polish.</summary>
    private const double NearExact = 1e-5;

    private const int PolishIterations = 1000;

    private readonly SearchRows _validationRows;
    private SearchRows _trainRows = null!;
    private SearchRows _sampleRows = null!;
    private SearchRows _labelRows = null!;
    private OutputTransform? _outer;
    private ShapePlan _plan = null!;
    private int _bestExactComplexity;
    private readonly double _exactRmse;
    private readonly CancellationToken _cancellationToken;
    private double _acceptRmse;
    private int _budget;
    private readonly Dictionary<(int, int, int), double> _confidence = [];

    public EdgeFixingSearch(FormulaSearchOptions options, SearchRows validationRows, CancellationToken cancellationToken)
    {
        _options = options;
        _validationRows = validationRows;
        _exactRmse = options.ExactTolerance * Math.Max(validationRows.LabelScale(), 1e-300);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Complete formulas reached, in order.</summary>
    public List<CompleteFormula> Complete { get; } = [];

    /// <summary>Candidate retrainings so far.</summary>
    public int Retrains { get; private set; }

    /// <summary>
    /// Searches one spline network (already retrained; <paramref name="splineRmse"/> is its RMSE on
    /// <paramref name="trainRows"/>, the labels it learns — transformed when <paramref name="outer"/> is set).
    /// After the first exact formula only a few more retrainings look for a simpler one (branch and bound on
    /// complexity).
    /// </summary>
    /// <returns>True when an exact formula was found.</returns>
    public bool Run(SearchNetwork spline, double splineRmse, ShapePlan plan, SearchRows trainRows, OutputTransform? outer, SearchRows labelRows)
    {
        _plan = plan;
        _trainRows = trainRows;
        _sampleRows = trainRows.Take(_options.EdgeSampleRows);
        _outer = outer;
        _labelRows = labelRows;
        _budget = Math.Min(_options.MaxRetrainsPerModel, _options.MaxRetrains - Retrains);
        _bestExactComplexity = int.MaxValue;
        _acceptRmse = Math.Max(
            Math.Max(_options.BacktrackFactor * splineRmse, _options.BacktrackFloor * trainRows.LabelSpread()),
            _options.ExactTolerance * trainRows.LabelScale());
        // Multiplication nodes first get their sparse readings (each input on one factor), which hold library edges.
        foreach (var separated in FactorSeparation.Candidates(spline, _sampleRows, MaxSeparations))
        {
            if (_budget <= 0 || _cancellationToken.IsCancellationRequested)
            {
                break;
            }

            _budget--;
            Retrains++;
            _confidence.Clear();
            if (SearchNetworkFitting.Train(separated, _trainRows, SeparationIterations, _cancellationToken) <= _acceptRmse)
            {
                Explore(separated);
            }
        }

        _confidence.Clear();
        Explore(spline);
        return _bestExactComplexity < int.MaxValue;
    }

    private void Explore(SearchNetwork state)
    {
        if (state.SplineEdgeCount == 0)
        {
            Finish(state);
            return;
        }

        var (layer, input, output, candidates) = MostConfidentEdge(state);
        foreach (var candidate in candidates)
        {
            if (_budget <= 0 || _cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Branch and bound: once an exact formula is known, only simpler ones are worth completing.
            if (state.Complexity + (candidate.Function?.Complexity ?? 0) >= _bestExactComplexity)
            {
                continue;
            }

            var child = state.Copy();
            child[layer, input, output] = candidate.ToEdge();
            _budget--;
            Retrains++;
            bool complete = child.SplineEdgeCount == 0;
            double rmse = SearchNetworkFitting.Train(child, _trainRows, complete ? FinalIterations : PartialIterations, _cancellationToken);

            if (complete)
            {
                Finish(child);
            }
            else if (rmse <= _acceptRmse)
            {
                Explore(child);
            }
        }
    }

    /// <summary>
    /// Scores a complete network (with the output edge appended and everything retrained on the original labels
    /// under an output transform) by its formula on the held-back rows.
    /// </summary>
    private void Finish(SearchNetwork network)
    {
        if (_outer is not null)
        {
            network = network.AppendOutput(SearchEdge.Symbolic(_outer.Function, 1.0, 0.0, 1.0, 0.0));
            SearchNetworkFitting.Train(network, _labelRows, FinalIterations, _cancellationToken);
        }

        // Nearly exact but still converging (ill-conditioned, e.g. log near its singularity): polish until it stops moving.
        double trainRmse = SearchNetworkFitting.Rmse(network, _labelRows);
        double scale = _labelRows.LabelScale();
        if (trainRmse > _options.ExactTolerance * scale && trainRmse <= NearExact * scale)
        {
            SearchNetworkFitting.Train(network, _labelRows, PolishIterations, _cancellationToken, stallTolerance: 0.0);
        }

        var outputs = FormulaSelection.Compose(network, _options.Library);
        double rmse = FormulaSelection.Rmse(outputs, _validationRows);
        bool exact = rmse <= _exactRmse;
        string text = string.Join("; ", outputs.Select(o => o.ToText()));
        var report = new FormulaCandidate(network.Widths, _plan.Seed, network.Describe(), network.Complexity, text, rmse, exact) { Shape = network.Shape };
        Complete.Add(new CompleteFormula(network, outputs, report));
        if (exact && network.Complexity < _bestExactComplexity)
        {
            _bestExactComplexity = network.Complexity;
            _budget = Math.Min(_budget, RetrainsAfterExact);
        }
    }

    /// <summary>
    /// The spline edge whose best candidate reproduced it most closely when the model was first ranked (the most
    /// confident), with its top-k candidates ranked afresh on the current state (the retrained splines moved).
    /// Ranking every edge once per model and only the chosen one per step keeps candidate generation cheap.
    /// </summary>
    private (int Layer, int Input, int Output, IReadOnlyList<EdgeCandidate> Candidates) MostConfidentEdge(SearchNetwork state)
    {
        (int Layer, int Input, int Output) best = default;
        double bestError = double.PositiveInfinity;
        bool any = false;
        foreach (var (l, i, j) in state.Edges())
        {
            if (state[l, i, j].Kind != SearchEdgeKind.Spline)
            {
                continue;
            }

            if (!_confidence.TryGetValue((l, i, j), out double error))
            {
                var ranked = EdgeCandidates.Rank(state, l, i, j, _sampleRows, _options.Library, _options.TopK);
                error = ranked.Count == 0 ? double.PositiveInfinity : ranked[0].RelativeError;
                _confidence[(l, i, j)] = error;
            }

            if (!any || error < bestError)
            {
                (best, bestError, any) = ((l, i, j), error, true);
            }
        }

        return (best.Layer, best.Input, best.Output, EdgeCandidates.Rank(state, best.Layer, best.Input, best.Output, _sampleRows, _options.Library, _options.TopK));
    }
}
