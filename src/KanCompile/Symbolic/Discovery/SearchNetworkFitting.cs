using System.Buffers;
using KanCompile.Numerics;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Least squares on the trainable values of a <see cref="SearchNetwork"/> (spline weights and symbolic affine
/// parameters) over the given rows, by <see cref="LevenbergMarquardt"/>. Gauss–Newton converges quadratically when the
/// formula is exact, which is what lets a correct candidate reach machine precision in a few iterations and a wrong one
/// show its error at once.
/// </summary>
internal static class SearchNetworkFitting
{
    /// <summary>Trains in place; returns the RMSE over the rows (+∞ when the network is not finite on them).</summary>
    /// <param name="network">Trained in place.</param>
    /// <param name="rows">Rows and labels.</param>
    /// <param name="maxIterations">Upper bound on Gauss–Newton steps.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="stallTolerance">Stop after two steps that lower the cost by less than this fraction.</param>
    public static double Train(SearchNetwork network, SearchRows rows, int maxIterations, CancellationToken cancellationToken = default, double stallTolerance = 1e-10) =>
        LevenbergMarquardt.Train(new SearchProblem(network, rows), maxIterations, cancellationToken, stallTolerance);

    /// <summary>Sum of squared errors over the rows; +∞ when some output is not finite.</summary>
    public static double Cost(SearchNetwork network, SearchRows rows, double[][] nodes)
    {
        double sum = 0.0;
        int outputs = rows.OutputCount;
        var terms = network.InputTerms(rows);
        for (int s = 0; s < rows.Count; s++)
        {
            network.Forward(rows, s, terms, nodes);
            for (int o = 0; o < outputs; o++)
            {
                double error = nodes[^1][o] - rows.Labels[s * outputs + o];
                sum += error * error;
            }
        }

        return double.IsFinite(sum) ? sum : double.PositiveInfinity;
    }

    /// <summary>RMSE over the rows; +∞ when not finite.</summary>
    public static double Rmse(SearchNetwork network, SearchRows rows) =>
        Math.Sqrt(Cost(network, rows, network.CreateNodeBuffers()) / (rows.Count * rows.OutputCount));

    /// <summary>
    /// A search network over rows. Its Jacobian rows are sparse (a spline edge touches order + 1 weights), so
    /// each row is added to JᵀJ over its non-zero entries only, as it is computed: no n×p Jacobian is stored.
    /// The sums are those of the dense product without its zero terms, in the same order.
    /// </summary>
    private sealed class SearchProblem(SearchNetwork network, SearchRows rows) : LevenbergMarquardt.INormalEquationsProblem
    {
        private readonly double[][] _nodes = network.CreateNodeBuffers();
        private readonly double[][] _gradients = network.CreateNodeBuffers();

        public int ParameterCount => network.ParameterCount;

        public int ResidualCount => rows.Count * rows.OutputCount;

        public void ReadParameters(Span<double> destination) => network.ReadParameters(destination);

        public void WriteParameters(ReadOnlySpan<double> source) => network.WriteParameters(source);

        public double Cost() => SearchNetworkFitting.Cost(network, rows, _nodes);

        public void NormalEquations(Span<double> normal, Span<double> gradient)
        {
            int p = ParameterCount, outputs = rows.OutputCount;
            var pool = ArrayPool<double>.Shared;
            double[] rowBuffer = pool.Rent(p);
            int[] nonZero = ArrayPool<int>.Shared.Rent(p);
            try
            {
                var row = rowBuffer.AsSpan(0, p);
                var terms = network.InputTerms(rows);
                normal.Clear();
                gradient.Clear();
                for (int s = 0; s < rows.Count; s++)
                {
                    for (int o = 0; o < outputs; o++)
                    {
                        double residual = network.Gradient(rows, s, terms, o, _nodes, _gradients, row) - rows.Labels[s * outputs + o];
                        int count = 0;
                        for (int k = 0; k < p; k++)
                        {
                            if (row[k] != 0.0)
                            {
                                nonZero[count++] = k;
                            }
                        }

                        for (int q = 0; q < count; q++)
                        {
                            int a = nonZero[q];
                            double value = row[a];
                            gradient[a] += value * residual;
                            var target = normal.Slice(a * p, p);
                            for (int w = q; w < count; w++)
                            {
                                int b = nonZero[w];
                                target[b] += value * row[b];
                            }
                        }
                    }
                }

                LevenbergMarquardt.Symmetrize(normal, p);
            }
            finally
            {
                pool.Return(rowBuffer);
                ArrayPool<int>.Shared.Return(nonZero);
            }
        }

        public void Dispose()
        {
        }
    }
}
