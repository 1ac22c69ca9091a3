using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// One-variable parts as small KANs (issue 18 item 2): a [1,1,1] and then a [1,2,1] spline network trained on the
/// part's samples, their edges fixed to library functions by the edge-fixing search. Each edge carries its own
/// affine constants (c·f(a·x + b) + d), so compositions such as c·sin(a·exp(b·x) + d) + e are reached that the
/// short-expression search cannot hold in its node count. Bounded by a count of retrainings, not a time: the same
/// seed gives the same readings on any host.
/// </summary>
internal sealed class LeafNetworkSearch
{
    /// <summary>The networks tried, simplest first.</summary>
    private static readonly int[][] Shapes = [[1, 1, 1], [1, 2, 1]];

    /// <summary>Edge-fixing retrainings per network.</summary>
    private const int RetrainsPerShape = 16;

    /// <summary>Iterations that retrain the spline network on the part's samples before its edges are fixed.</summary>
    private const int SplineIterations = 20;

    /// <summary>Complete networks per shape whose constants are all refitted together, and the refit's iterations.</summary>
    private const int RefittedReadings = 3;

    private const int RefitIterations = 200;

    private readonly FormulaSearchOptions _options;
    private readonly CancellationToken _cancellationToken;

    public LeafNetworkSearch(FormulaSearchOptions options, CancellationToken cancellationToken)
    {
        _options = options;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Readings of y(x) over the variable x₁ (index 0), best first, each with its RMS error on held-back samples
    /// (every second one) divided by the samples' standard deviation; stops at the first exact network.
    /// </summary>
    public IReadOnlyList<ShortExpression> Search(double[] x, double[] y)
    {
        var train = Enumerable.Range(0, x.Length).Where(k => k % 2 == 0).ToArray();
        var held = Enumerable.Range(0, x.Length).Where(k => k % 2 == 1).ToArray();
        if (held.Length < 10)
        {
            return [];
        }

        double[] Pick(double[] values, int[] indices) => indices.Select(k => values[k]).ToArray();
        var data = new KanDataset(Pick(x, train), Pick(y, train), Pick(x, held), Pick(y, held), 1, 1);
        var trainRows = new SearchRows(Pick(x, train), Pick(y, train), 1, 1);
        var heldRows = new SearchRows(Pick(x, held), Pick(y, held), 1, 1);
        double deviation = new SearchRows(x, y, 1, 1).LabelSpread();
        if (!(deviation > 0.0))
        {
            return [];
        }

        var readings = new List<ShortExpression>();
        foreach (var widths in Shapes)
        {
            if (_cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var plan = new ShapePlan(widths, _options.Seed);
            var network = SearchNetwork.FromModel(ShapeSearch.Train(plan, data, _options, _cancellationToken));
            double splineRmse = SearchNetworkFitting.Train(network, trainRows, SplineIterations, _cancellationToken);
            if (!(splineRmse <= _options.MaxSplineError * trainRows.LabelScale()))
            {
                continue;
            }

            var search = new EdgeFixingSearch(_options, heldRows, _cancellationToken);
            bool exact = search.Run(network, splineRmse, plan, trainRows, null, trainRows, RetrainsPerShape);
            // The network's own retraining stops short of machine precision on a composition (its constants are
            // coupled through the inner edge): the best few get every constant refitted together, as the short
            // expressions do.
            foreach (var complete in search.Complete.Where(c => double.IsFinite(c.Report.ValidationRmse)).OrderBy(c => c.Report.ValidationRmse).Take(RefittedReadings))
            {
                var expression = FormulaRefit.Refit(complete.Outputs[0], 0, trainRows, RefitIterations, stallTolerance: 0.0) ?? complete.Outputs[0];
                double error = FormulaRefit.Rmse(expression, 0, heldRows);
                if (!(error <= complete.Report.ValidationRmse))
                {
                    (expression, error) = (complete.Outputs[0], complete.Report.ValidationRmse);
                }

                readings.Add(new ShortExpression(expression, error / deviation, SymbolicSimplifier.NodeCount(expression)));
                exact |= error <= _options.ExactTolerance * heldRows.LabelScale();
            }

            if (exact)
            {
                break;
            }
        }

        return readings.OrderBy(r => r.RelativeError).ThenBy(r => r.Size).ToArray();
    }
}
