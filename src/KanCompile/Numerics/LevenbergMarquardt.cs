using System.Buffers;

namespace KanCompile.Numerics;

/// <summary>
/// Levenberg–Marquardt for least-squares problems: the formula search's networks (SearchNetworkFitting), network
/// training (LevenbergMarquardtOptimizer), PDE fits and constant refits all use this one solver. Gauss–Newton converges quadratically when the formula
/// is exact, which is what lets a correct candidate reach machine precision in a few iterations and a wrong one
/// show its error at once.
/// </summary>
internal static class LevenbergMarquardt
{
    /// <summary>Moves the problem's parameters in place; returns the root mean squared residual (+∞ when not finite).</summary>
    /// <param name="problem">Its parameters are trained in place.</param>
    /// <param name="maxIterations">Upper bound on Gauss–Newton steps.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="stallTolerance">Stop after two steps that lower the cost by less than this fraction.</param>
    public static double Train(ILeastSquaresProblem problem, int maxIterations, CancellationToken cancellationToken = default, double stallTolerance = 1e-10) =>
        Run(new JacobianProblem(problem), maxIterations, cancellationToken, stallTolerance);

    /// <summary>
    /// The solver loop over anything that yields the normal equations. Scratch comes from the shared pool
    /// (a search runs thousands of short trainings); same arithmetic in the same order as ever.
    /// </summary>
    private static double Run<TProblem>(TProblem problem, int maxIterations, CancellationToken cancellationToken, double stallTolerance)
        where TProblem : INormalEquationsProblem
    {
        int p = problem.ParameterCount;
        int n = problem.ResidualCount;
        double cost = problem.Cost();
        if (p == 0 || !double.IsFinite(cost))
        {
            problem.Dispose();
            return Math.Sqrt(cost / n);
        }

        var pool = ArrayPool<double>.Shared;
        double[] thetaBuffer = pool.Rent(p), trialBuffer = pool.Rent(p), normalBuffer = pool.Rent(p * p), systemBuffer = pool.Rent(p * p);
        double[] gradientBuffer = pool.Rent(p), stepBuffer = pool.Rent(p);
        try
        {
            Span<double> theta = thetaBuffer.AsSpan(0, p), trial = trialBuffer.AsSpan(0, p);
            Span<double> normal = normalBuffer.AsSpan(0, p * p), system = systemBuffer.AsSpan(0, p * p);
            Span<double> gradient = gradientBuffer.AsSpan(0, p), step = stepBuffer.AsSpan(0, p);
            problem.ReadParameters(theta);
            double lambda = 1e-3;
            int stalls = 0;
            for (int iteration = 0; iteration < maxIterations && !cancellationToken.IsCancellationRequested; iteration++)
            {
                problem.NormalEquations(normal, gradient);
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
                    normal.CopyTo(system);
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
                        trial.CopyTo(theta);
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
        }
        finally
        {
            pool.Return(thetaBuffer);
            pool.Return(trialBuffer);
            pool.Return(normalBuffer);
            pool.Return(systemBuffer);
            pool.Return(gradientBuffer);
            pool.Return(stepBuffer);
            problem.Dispose();
        }

        return Math.Sqrt(cost / n);
    }

    /// <summary>Moves the problem's parameters in place, for problems that form JᵀJ themselves (without a dense Jacobian).</summary>
    internal static double Train(INormalEquationsProblem problem, int maxIterations, CancellationToken cancellationToken = default, double stallTolerance = 1e-10) =>
        Run(problem, maxIterations, cancellationToken, stallTolerance);

    /// <summary>What the solver loop needs: parameters, cost, and JᵀJ with Jᵀr at the current parameters.</summary>
    internal interface INormalEquationsProblem : IDisposable
    {
        int ParameterCount { get; }

        int ResidualCount { get; }

        void ReadParameters(Span<double> destination);

        void WriteParameters(ReadOnlySpan<double> source);

        double Cost();

        /// <summary>Writes JᵀJ (full, symmetric) into <paramref name="normal"/> and Jᵀr into <paramref name="gradient"/>.</summary>
        void NormalEquations(Span<double> normal, Span<double> gradient);
    }

    /// <summary>Any least-squares problem: its Jacobian is stored, then multiplied out.</summary>
    private sealed class JacobianProblem(ILeastSquaresProblem problem) : INormalEquationsProblem
    {
        private double[]? _jacobian;
        private double[]? _residuals;

        public int ParameterCount => problem.ParameterCount;

        public int ResidualCount => problem.ResidualCount;

        public void ReadParameters(Span<double> destination) => problem.ReadParameters(destination);

        public void WriteParameters(ReadOnlySpan<double> source) => problem.WriteParameters(source);

        public double Cost() => problem.Cost();

        public void NormalEquations(Span<double> normal, Span<double> gradient)
        {
            int n = ResidualCount, p = ParameterCount;
            _jacobian ??= ArrayPool<double>.Shared.Rent(n * p);
            _residuals ??= ArrayPool<double>.Shared.Rent(n);
            var jacobian = _jacobian.AsSpan(0, n * p);
            var residuals = _residuals.AsSpan(0, n);
            problem.Linearize(jacobian, residuals);
            normal.Clear();
            gradient.Clear();
            for (int r = 0; r < n; r++)
            {
                var row = jacobian.Slice(r * p, p);
                double residual = residuals[r];
                for (int a = 0; a < p; a++)
                {
                    double value = row[a];
                    if (value == 0.0)
                    {
                        continue;
                    }

                    gradient[a] += value * residual;
                    var target = normal.Slice(a * p, p);
                    for (int b = a; b < p; b++)
                    {
                        target[b] += value * row[b];
                    }
                }
            }

            Symmetrize(normal, p);
        }

        public void Dispose()
        {
            if (_jacobian is not null)
            {
                ArrayPool<double>.Shared.Return(_jacobian);
            }

            if (_residuals is not null)
            {
                ArrayPool<double>.Shared.Return(_residuals);
            }
        }
    }

    /// <summary>Copies the lower triangle of a p × p matrix onto its upper one.</summary>
    internal static void Symmetrize(Span<double> normal, int p)
    {
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < a; b++)
            {
                normal[a * p + b] = normal[b * p + a];
            }
        }
    }

    /// <summary>Solves M x = g for symmetric positive definite M (overwritten by its factor); false when not SPD.</summary>
    private static bool CholeskySolve(Span<double> m, ReadOnlySpan<double> g, Span<double> x, int p)
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
