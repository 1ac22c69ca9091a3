using KanCompile.Numerics;
using KanCompile.Splines;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// The search's fast paths give the plain computation's numbers bit for bit: the basis window against the dense
/// recursion, cached first-layer terms against recomputing them, and the sparse normal equations against the
/// stored Jacobian.
/// </summary>
public sealed class SearchSpeedTests
{
    [Fact]
    public void BasisWindowWithSlopesEqualsTheDenseRecursionBitForBit()
    {
        var model = new KanNetwork([2, 2, 1], 7, 3, seed: 5, engine: KanEngine.Reference);
        var random = new KanRandom(11);
        foreach (int node in new[] { 0, 1 })
        {
            double[] knots = model.GetKnots(0, node).ToArray();
            int count = knots.Length - 1 - 3;
            var points = Enumerable.Range(0, 400).Select(_ => knots[0] - 0.3 + (knots[^1] - knots[0] + 0.6) * random.NextDouble())
                .Concat(knots).Append(double.NaN);
            foreach (double x in points)
            {
                var dense = new double[count];
                var denseSlopes = new double[count];
                BSplineBasis.Evaluate(x, knots, 3, dense, denseSlopes);
                var window = new double[4];
                var slopes = new double[4];
                int first = SearchNetwork.WindowStart(x, knots, 3, window, slopes);
                var expanded = new double[count];
                var expandedSlopes = new double[count];
                if (first != SearchNetwork.OutsideKnots)
                {
                    for (int t = 0; t < 4; t++)
                    {
                        if (first + t >= 0 && first + t < count)
                        {
                            expanded[first + t] = window[t];
                            expandedSlopes[first + t] = slopes[t];
                        }
                    }
                }

                // == on doubles: a dense entry the window skips is ±0, equal to the window's 0.
                for (int k = 0; k < count; k++)
                {
                    Assert.True(dense[k] == expanded[k], $"x = {x:R}: basis {k} is {expanded[k]:R}, dense {dense[k]:R}");
                    Assert.True(denseSlopes[k] == expandedSlopes[k], $"x = {x:R}: slope {k} is {expandedSlopes[k]:R}, dense {denseSlopes[k]:R}");
                }
            }
        }
    }

    [Fact]
    public void CachedFirstLayerTermsGiveTheSameForwardAndGradient()
    {
        var (network, rows) = PartlySymbolicNetwork();
        var terms = network.InputTerms(rows);
        int p = network.ParameterCount;
        var nodes = network.CreateNodeBuffers();
        var cachedNodes = network.CreateNodeBuffers();
        var gradients = network.CreateNodeBuffers();
        var row = new double[p];
        var cachedRow = new double[p];
        for (int s = 0; s < rows.Count; s++)
        {
            double y = network.Gradient(rows.Row(s), 0, nodes, gradients, row);
            double cachedY = network.Gradient(rows, s, terms, 0, cachedNodes, gradients, cachedRow);
            Assert.Equal(BitConverter.DoubleToInt64Bits(y), BitConverter.DoubleToInt64Bits(cachedY));
            Assert.Equal(row, cachedRow);
            network.Forward(rows, s, terms, cachedNodes);
            Assert.Equal(BitConverter.DoubleToInt64Bits(y), BitConverter.DoubleToInt64Bits(cachedNodes[^1][0]));
        }
    }

    [Fact]
    public void SparseNormalEquationsTrainExactlyAsTheStoredJacobian()
    {
        var (network, rows) = PartlySymbolicNetwork();
        var copy = network.Copy();
        double sparse = SearchNetworkFitting.Train(network, rows, 8);
        double dense = LevenbergMarquardt.Train(new DenseProblem(copy, rows), 8);
        Assert.Equal(BitConverter.DoubleToInt64Bits(dense), BitConverter.DoubleToInt64Bits(sparse));
        var expected = new double[copy.ParameterCount];
        var actual = new double[network.ParameterCount];
        copy.ReadParameters(expected);
        network.ReadParameters(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TrainingAllocatesOnlyItsPerCallBuffers()
    {
        var (network, rows) = PartlySymbolicNetwork();
        SearchNetworkFitting.Train(network.Copy(), rows, 3);
        var copy = network.Copy();
        long before = GC.GetAllocatedBytesForCurrentThread();
        SearchNetworkFitting.Train(copy, rows, 6);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Node buffers and the first-layer term lookup per call; nothing proportional to rows × parameters.
        Assert.True(allocated < 8_000, $"one training allocated {allocated} bytes");
    }

    [Fact]
    public void SpentWorkBudgetEndsWithNoFormulaAndAFiniteSplineModel()
    {
        // J0 is not in the library: the search can only run out of work. Four retrainings end it inside the first model searched.
        var data = KanDataset.FromFunction(x => Bessel.J0(6 * x[0]) + x[1], 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 300, testCount: 200);
        var stages = new List<FormulaSearchProgress>();
        var result = KanFormulaSearch.Discover(data, new FormulaSearchOptions { MaxRetrains = 4 }, new SynchronousProgress(stages.Add));
        Assert.False(result.Found, result.ToString());
        Assert.Null(result.Formula);
        Assert.Equal(4, result.Retrains);
        Assert.StartsWith("no formula found within the work budget (MaxRetrains = 4", result.Message);
        Assert.Equal(4, stages[^1].Retrains);
        Assert.True(stages.Count(s => s.Retrains > 0) == 1, "no further model is searched once the budget is spent");
        Assert.All(result.Candidates, c => Assert.False(double.IsNaN(c.ValidationRmse)));
        var predictions = new double[data.TestCount];
        result.SplineModel.Predict(data.TestInputs, predictions);
        Assert.All(predictions, p => Assert.True(double.IsFinite(p)));
        Assert.True(double.IsFinite(result.SplineTestRmse), result.Message);
    }

    [Fact]
    public void WorkBudgetMustBePositive()
    {
        var data = KanDataset.FromFunction(x => x[0] + x[1], 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 50, testCount: 10);
        var error = Assert.Throws<ArgumentException>(() => KanFormulaSearch.Discover(data, new FormulaSearchOptions { MaxRetrains = 0 }));
        Assert.Contains("MaxRetrains", error.Message);
    }

    private sealed class SynchronousProgress(Action<FormulaSearchProgress> report) : IProgress<FormulaSearchProgress>
    {
        public void Report(FormulaSearchProgress value) => report(value);
    }

    /// <summary>A trained [2,2,1] with one symbolic edge per layer (splines with cached and recomputed terms, symbolic edges on both sides).</summary>
    private static (SearchNetwork Network, SearchRows Rows) PartlySymbolicNetwork()
    {
        var data = KanDataset.FromFunction(x => Math.Exp(Math.Sin(x[0]) + x[1] * x[1]), 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 120, testCount: 10);
        var model = new KanNetwork([2, 2, 1], 5, 3, seed: 3, engine: KanEngine.Reference);
        model.Fit(data, new FitOptions { Steps = 3 });
        var network = SearchNetwork.FromModel(model);
        network[0, 1, 0] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("x^2"), 0.9, 0.1, 1.2, -0.2);
        network[1, 0, 0] = SearchEdge.Symbolic(SymbolicLibrary.Default.Get("exp"), 0.7, 0.0, 1.1, 0.3);
        return (network, new SearchRows(data.TrainInputs, data.TrainLabels, 2, 1));
    }

    /// <summary>The search network as a plain least-squares problem: a stored Jacobian from the uncached gradient.</summary>
    private sealed class DenseProblem(SearchNetwork network, SearchRows rows) : ILeastSquaresProblem
    {
        private readonly double[][] _nodes = network.CreateNodeBuffers();
        private readonly double[][] _gradients = network.CreateNodeBuffers();

        public int ParameterCount => network.ParameterCount;

        public int ResidualCount => rows.Count;

        public void ReadParameters(Span<double> destination) => network.ReadParameters(destination);

        public void WriteParameters(ReadOnlySpan<double> source) => network.WriteParameters(source);

        public double Cost()
        {
            double sum = 0.0;
            for (int s = 0; s < rows.Count; s++)
            {
                network.Forward(rows.Row(s), _nodes);
                double error = _nodes[^1][0] - rows.Labels[s];
                sum += error * error;
            }

            return double.IsFinite(sum) ? sum : double.PositiveInfinity;
        }

        public void Linearize(Span<double> jacobian, Span<double> residuals)
        {
            int p = ParameterCount;
            for (int s = 0; s < rows.Count; s++)
            {
                residuals[s] = network.Gradient(rows.Row(s), 0, _nodes, _gradients, jacobian.Slice(s * p, p)) - rows.Labels[s];
            }
        }
    }
}
