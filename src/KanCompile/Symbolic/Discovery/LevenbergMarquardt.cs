using KanCompile.Numerics;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// Levenberg–Marquardt on the trainable values of a <see cref="SearchNetwork"/> (spline weights and symbolic
/// affine parameters), least squares over the given rows. Gauss–Newton converges quadratically when the formula
/// is exact, which is what lets a correct candidate reach machine precision in a few iterations and a wrong one
/// show its error at once.
/// </summary>
internal static class LevenbergMarquardt
{
    /// <summary>Trains in place; returns the RMSE over the rows (+∞ when the network is not finite on them).</summary>
    /// <param name="network">Trained in place.</param>
    /// <param name="rows">Rows and labels.</param>
    /// <param name="maxIterations">Upper bound on Gauss–Newton steps.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="stallTolerance">Stop after two steps that lower the cost by less than this fraction.</param>
    public static double Train(SearchNetwork network, SearchRows rows, int maxIterations, CancellationToken cancellationToken = default, double stallTolerance = 1e-10) =>
        Train(new SearchProblem(network, rows), maxIterations, cancellationToken, stallTolerance);

    /// <summary>Moves the problem's parameters in place; returns the root mean squared residual (+∞ when not finite).</summary>
    /// <param name="problem">Its parameters are trained in place.</param>
    /// <param name="maxIterations">Upper bound on Gauss–Newton steps.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="stallTolerance">Stop after two steps that lower the cost by less than this fraction.</param>
    public static double Train(ILeastSquaresProblem problem, int maxIterations, CancellationToken cancellationToken = default, double stallTolerance = 1e-10)
    {
        int p = problem.ParameterCount;
        int n = problem.ResidualCount;
        double cost = problem.Cost();
        if (p == 0 || !double.IsFinite(cost))
        {
            return Math.Sqrt(cost / n);
        }

        var theta = new double[p];
        problem.ReadParameters(theta);
        var jacobian = new double[n * p];
        var residuals = new double[n];
        var normal = new double[p * p];
        var system = new double[p * p];
        var gradient = new double[p];
        var step = new double[p];
        var trial = new double[p];
        double lambda = 1e-3;
        int stalls = 0;
        for (int iteration = 0; iteration < maxIterations && !cancellationToken.IsCancellationRequested; iteration++)
        {
            problem.Linearize(jacobian, residuals);
            NormalEquations(jacobian, residuals, n, p, normal, gradient);
            double trace = 0.0;
            for (int k = 0; k < p; k++)
            {
                trace += normal[k * p + k];
            }

            double floor = 1e-12 * Math.Max(trace / p, 1e-300);
            bool improved = false;
            double previous = cost;
            while (lambda < 1e12)
            {
                Array.Copy(normal, system, normal.Length);
                for (int k = 0; k < p; k++)
                {
                    system[k * p + k] += lambda * (normal[k * p + k] + floor) + floor;
                }

                if (!CholeskySolve(system, gradient, step, p))
                {
                    lambda *= 10;
                    continue;
                }

                for (int k = 0; k < p; k++)
                {
                    trial[k] = theta[k] - step[k];
                }

                problem.WriteParameters(trial);
                double trialCost = problem.Cost();
                if (double.IsFinite(trialCost) && trialCost < cost)
                {
                    (theta, trial) = (trial, theta);
                    cost = trialCost;
                    lambda = Math.Max(lambda * 0.3, 1e-12);
                    improved = true;
                    break;
                }

                lambda *= 10;
            }

            problem.WriteParameters(theta);
            if (!improved)
            {
                break;
            }

            // Stop once the cost no longer moves (converged, exact or stuck).
            stalls = previous - cost <= stallTolerance * previous ? stalls + 1 : 0;
            if (stalls >= 2 || cost <= 1e-30 * n)
            {
                break;
            }
        }

        return Math.Sqrt(cost / n);
    }

    /// <summary>Sum of squared errors over the rows; +∞ when some output is not finite.</summary>
    public static double Cost(SearchNetwork network, SearchRows rows, double[][] nodes)
    {
        double sum = 0.0;
        int outputs = rows.OutputCount;
        for (int s = 0; s < rows.Count; s++)
        {
            network.Forward(rows.Row(s), nodes);
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

    /// <summary>A search network over rows, as a least-squares problem.</summary>
    private sealed class SearchProblem(SearchNetwork network, SearchRows rows) : ILeastSquaresProblem
    {
        private readonly double[][] _nodes = network.CreateNodeBuffers();
        private readonly double[][] _gradients = network.CreateNodeBuffers();

        public int ParameterCount => network.ParameterCount;

        public int ResidualCount => rows.Count * rows.OutputCount;

        public void ReadParameters(Span<double> destination) => network.ReadParameters(destination);

        public void WriteParameters(ReadOnlySpan<double> source) => network.WriteParameters(source);

        public double Cost() => LevenbergMarquardt.Cost(network, rows, _nodes);

        public void Linearize(Span<double> jacobian, Span<double> residuals)
        {
            int p = ParameterCount, outputs = rows.OutputCount;
            for (int s = 0; s < rows.Count; s++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    int row = s * outputs + o;
                    double y = network.Gradient(rows.Row(s), o, _nodes, _gradients, jacobian.Slice(row * p, p));
                    residuals[row] = y - rows.Labels[row];
                }
            }
        }
    }

    private static void NormalEquations(double[] jacobian, double[] residuals, int n, int p, double[] normal, double[] gradient)
    {
        Array.Clear(normal);
        Array.Clear(gradient);
        for (int r = 0; r < n; r++)
        {
            var row = jacobian.AsSpan(r * p, p);
            double residual = residuals[r];
            for (int a = 0; a < p; a++)
            {
                double value = row[a];
                if (value == 0.0)
                {
                    continue;
                }

                gradient[a] += value * residual;
                var target = normal.AsSpan(a * p, p);
                for (int b = a; b < p; b++)
                {
                    target[b] += value * row[b];
                }
            }
        }

        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < a; b++)
            {
                normal[a * p + b] = normal[b * p + a];
            }
        }
    }

    /// <summary>Solves M x = g for symmetric positive definite M (overwritten by its factor); false when not SPD.</summary>
    private static bool CholeskySolve(double[] m, double[] g, double[] x, int p)
    {
        for (int j = 0; j < p; j++)
        {
            double diagonal = m[j * p + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= m[j * p + k] * m[j * p + k];
            }

            if (!(diagonal > 0.0))
            {
                return false;
            }

            double root = Math.Sqrt(diagonal);
            m[j * p + j] = root;
            for (int i = j + 1; i < p; i++)
            {
                double sum = m[i * p + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= m[i * p + k] * m[j * p + k];
                }

                m[i * p + j] = sum / root;
            }
        }

        for (int i = 0; i < p; i++)
        {
            double sum = g[i];
            for (int k = 0; k < i; k++)
            {
                sum -= m[i * p + k] * x[k];
            }

            x[i] = sum / m[i * p + i];
        }

        for (int i = p - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < p; k++)
            {
                sum -= m[k * p + i] * x[k];
            }

            x[i] = sum / m[i * p + i];
        }

        return true;
    }
}
