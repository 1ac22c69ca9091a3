namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// One way to fix an edge: c·f(a·x + b) + d, or removing it (<see cref="Function"/> null), with how well it
/// reproduces the edge's current samples.
/// </summary>
/// <param name="Function">The library function; null removes the edge.</param>
/// <param name="A">Inner scale.</param>
/// <param name="B">Inner shift.</param>
/// <param name="C">Outer scale.</param>
/// <param name="D">Outer shift.</param>
/// <param name="RelativeError">RMS error over the samples divided by the edge's standard deviation (for removal:
/// the edge's standard deviation over its target node's).</param>
/// <param name="Score">w·complexity + (1 − w)·log2(1e-10 + error²): pykan's suggest loss with an unclamped error; lower is better.</param>
internal sealed record EdgeCandidate(SymbolicFunction? Function, double A, double B, double C, double D, double RelativeError, double Score)
{
    public string Name => Function?.Name ?? "0";

    public SearchEdge ToEdge() => Function is null ? SearchEdge.Zero() : SearchEdge.Symbolic(Function, A, B, C, D);
}

/// <summary>
/// Candidate generation: ranks every library function (and removal) for one spline edge of a
/// <see cref="SearchNetwork"/> from the edge's samples. Inputs and outputs are standardised before pykan's
/// (a, b) grid search, so the search ranges fit any node range and pykan's r² damping does not punish
/// small edges; the error is then measured exactly in the original units.
/// </summary>
internal static class EdgeCandidates
{
    /// <summary>pykan's weight_simple.</summary>
    private const double WeightSimple = 0.8;

    private static readonly SymbolicFitOptions FitOptions = SymbolicFitOptions.Pykan with { GridNumber = 15, Iterations = 3 };

    /// <summary>The best <paramref name="topK"/> candidates of edge (layer, input → output), best first.</summary>
    public static IReadOnlyList<EdgeCandidate> Rank(SearchNetwork network, int layer, int input, int output, SearchRows samples, SymbolicLibrary library, int topK)
    {
        int n = samples.Count;
        var x = new double[n];
        var y = new double[n];
        var target = new double[n];
        var nodes = network.CreateNodeBuffers();
        for (int s = 0; s < n; s++)
        {
            network.Forward(samples.Row(s), nodes);
            x[s] = nodes[layer][input];
            y[s] = network.EdgeValue(layer, input, output, x[s]);
            target[s] = network.Subnode(nodes, layer + 1, output);
        }

        var (xMean, xStd) = MeanStd(x);
        var (yMean, yStd) = MeanStd(y);
        var (_, targetStd) = MeanStd(target);
        var candidates = new List<EdgeCandidate>();
        double amplitude = yStd / Math.Max(targetStd, 1e-300);
        candidates.Add(new EdgeCandidate(null, 0, 0, 0, 0, amplitude, Score(0, amplitude)));
        if (xStd > 1e-12 * Math.Max(1.0, Math.Abs(xMean)) && yStd > 0.0)
        {
            var xs = new double[n];
            var ys = new double[n];
            for (int s = 0; s < n; s++)
            {
                xs[s] = (x[s] - xMean) / xStd;
                ys[s] = (y[s] - yMean) / yStd;
            }

            foreach (var function in library)
            {
                if (function.Complexity == 0)
                {
                    continue;
                }

                // A coarse pykan grid search for a start, then a few Gauss–Newton steps on (a, b, c, d).
                var fit = SymbolicFit.FitParameters(xs, ys, function, FitOptions);
                var (a, b, c, d) = Refine(function, xs, ys, fit);
                (a, b, c, d) = (a / xStd, b - a * xMean / xStd, c * yStd, d * yStd + yMean);
                double error = RelativeError(function, x, y, a, b, c, d, yStd);
                if (double.IsFinite(error))
                {
                    candidates.Add(new EdgeCandidate(function, a, b, c, d, error, Score(function.Complexity, error)));
                }
            }
        }

        // Stable: equal scores keep library order (removal first).
        return candidates.OrderBy(c => c.Score).Take(topK).ToArray();
    }

    /// <summary>pykan's suggest loss over the relative error instead of r² (1 − r² = error² for a least-squares fit).</summary>
    public static double Score(int complexity, double relativeError) =>
        WeightSimple * complexity + (1 - WeightSimple) * Math.Log2(1e-10 + relativeError * relativeError);

    /// <summary>Polishes a grid-search fit on the standardised samples with a one-edge Levenberg–Marquardt.</summary>
    private static (double A, double B, double C, double D) Refine(SymbolicFunction function, double[] xs, double[] ys, SymbolicFitResult fit)
    {
        var edge = SearchNetwork.SingleEdge(SearchEdge.Symbolic(function, fit.A, fit.B, fit.C, fit.D));
        SearchNetworkFitting.Train(edge, new SearchRows(xs, ys, 1, 1), RefineIterations);
        var affine = edge[0, 0, 0].Affine;
        return double.IsFinite(affine[0] + affine[1] + affine[2] + affine[3])
            ? (affine[0], affine[1], affine[2], affine[3])
            : (fit.A, fit.B, fit.C, fit.D);
    }

    private const int RefineIterations = 8;

    private static double RelativeError(SymbolicFunction function, double[] x, double[] y, double a, double b, double c, double d, double scale)
    {
        double sum = 0.0;
        for (int s = 0; s < x.Length; s++)
        {
            double error = c * function.Evaluate(a * x[s] + b) + d - y[s];
            sum += error * error;
        }

        return Math.Sqrt(sum / x.Length) / scale;
    }

    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(sum / Math.Max(1, values.Length)));
    }
}
