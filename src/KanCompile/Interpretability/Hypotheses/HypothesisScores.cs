using KanCompile.Numerics;

namespace KanCompile.Interpretability.Hypotheses;

/// <summary>
/// The numbers behind the hypothesis tests, each a median over the sample points of a quantity that is exactly 0
/// when the hypothesis holds, scaled by the inputs' spreads so it does not depend on units (pykan's normalisation,
/// kan/hypothesis.py), and — unlike pykan — by the output's spread too (of f for additive scores, of log|f| for
/// multiplicative ones), so one threshold serves any scale of y. Medians keep the few points near a zero or a singularity from deciding.
/// </summary>
internal static class HypothesisScores
{
    /// <summary>
    /// Additive interaction of inputs i and j: median |∂²f/∂x_i∂x_j|·σ_i·σ_j / s_f, with s_f the robust spread of f
    /// (<see cref="DerivativeSamples.ValueSpread"/>: a few huge values near a pole cannot shrink the score). Zero for
    /// every cross pair of an additive split f = g(x_A) + h(x_B).
    /// </summary>
    public static double[,] Additive(DerivativeSamples samples)
    {
        int n = samples.InputCount;
        double scale = 1.0 / Math.Max(samples.ValueSpread, 1e-300);
        return Matrix(n, (i, j) => Enumerable.Range(0, samples.Count)
            .Select(s => Math.Abs(samples.Hessian(s, i, j)) * samples.InputSpread[i] * samples.InputSpread[j] * scale));
    }

    /// <summary>
    /// Multiplicative interaction: the additive score of log|f + bias| (its Hessian from f's, (f·f_ij − f_i·f_j)/f²),
    /// divided by the robust spread of log|f + bias| over the points (so a nearly constant f, whose log hardly varies,
    /// does not pass for separable). Zero for every cross pair of f + bias = g(x_A)·h(x_B).
    /// </summary>
    public static double[,] Multiplicative(DerivativeSamples samples, double bias)
    {
        int n = samples.InputCount;
        double scale = 1.0 / Math.Max(RobustSpread(samples.Values.Select(f => Math.Log(Math.Abs(f + bias)))), 1e-12);
        return Matrix(n, (i, j) => Enumerable.Range(0, samples.Count).Select(s =>
        {
            double f = samples.Values[s] + bias;
            var g = samples.Gradient(s);
            double h = (f * samples.Hessian(s, i, j) - g[i] * g[j]) / (f * f);
            return Math.Abs(h) * samples.InputSpread[i] * samples.InputSpread[j] * scale;
        }));
    }

    /// <summary>
    /// The interquartile range over 1.349 (the standard deviation for normal data) of the finite values: a spread that
    /// the few values near a singularity (log|f| where f crosses 0) cannot inflate.
    /// </summary>
    public static double RobustSpread(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length < 2)
        {
            return 0.0;
        }

        Array.Sort(finite);
        double Quantile(double q)
        {
            double position = q * (finite.Length - 1);
            int low = (int)Math.Floor(position);
            int high = Math.Min(low + 1, finite.Length - 1);
            return finite[low] + (position - low) * (finite[high] - finite[low]);
        }

        return (Quantile(0.75) - Quantile(0.25)) / 1.349;
    }

    /// <summary>The largest score between two different groups, and between the groups and the inputs in none.</summary>
    public static double CrossMaximum(double[,] scores, IReadOnlyList<IReadOnlyList<int>> groups)
    {
        int n = scores.GetLength(0);
        var owner = Enumerable.Repeat(-1, n).ToArray();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int i in groups[g])
            {
                owner[i] = g;
            }
        }

        double worst = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Pairs in different groups, or one in a group and one outside every group (pykan's external test).
                bool cross = owner[i] >= 0 && owner[j] >= 0 ? owner[i] != owner[j] : owner[i] >= 0 || owner[j] >= 0;
                if (i != j && cross)
                {
                    worst = Math.Max(worst, scores[i, j]);
                }
            }
        }

        return worst;
    }

    /// <summary>
    /// How much the direction of ∇_A f (A = <paramref name="group"/>) moves with each input outside A: pykan's
    /// dependence, median |∂(∇_A f/|∇_A f|)_a/∂x_b|·σ_a·σ_b, from the Hessian as ((I − n·nᵀ)·H_{A,b})_a / |∇_A f|.
    /// Zero for every a ∈ A, b ∉ A when f depends on x_A only through one combination h(x_A). The largest is returned.
    /// </summary>
    public static double Symmetry(DerivativeSamples samples, IReadOnlyList<int> group)
    {
        int n = samples.InputCount;
        var inGroup = group.ToHashSet();
        var others = Enumerable.Range(0, n).Where(i => !inGroup.Contains(i)).ToArray();
        if (group.Count == 0 || others.Length == 0)
        {
            return 0.0;
        }

        double worst = 0.0;
        foreach (int a in group)
        {
            foreach (int b in others)
            {
                double score = DerivativeSamples.Median(Enumerable.Range(0, samples.Count).Select(s =>
                {
                    var g = samples.Gradient(s);
                    double squares = 0.0;
                    foreach (int k in group)
                    {
                        squares += g[k] * g[k];
                    }

                    double norm = Math.Sqrt(squares);
                    if (!(norm > 0.0))
                    {
                        return double.NaN;
                    }

                    // (∂/∂x_b) of g_a/|g_A| = (H_ab − n_a·Σ_k n_k·H_kb) / |g_A|.
                    double projection = 0.0;
                    foreach (int k in group)
                    {
                        projection += g[k] / norm * samples.Hessian(s, k, b);
                    }

                    double derivative = (samples.Hessian(s, a, b) - g[a] / norm * projection) / norm;
                    return Math.Abs(derivative) * samples.InputSpread[a] * samples.InputSpread[b];
                }));
                worst = Math.Max(worst, score);
            }
        }

        return worst;
    }

    /// <summary>
    /// General separability f = F(g₁(x_A₁) + g₂(x_A₂) + …) (pykan's test_general_separability), tested with second
    /// derivatives only. It holds exactly when (1) every cross block of the Hessian is φ·∇_A f·∇_B fᵀ for one scalar φ
    /// per point (then φ = F''/F'²), and (2) φ is a function of f alone: then w = Ψ(f) with Ψ''/Ψ' = −φ has no cross
    /// terms, so w is additively separable. (1) is read at each point; (2) by comparing φ at a companion point on the
    /// same level set, reached by moving the other groups' inputs and restoring f with the first group's
    /// (Newton along its gradient). The score is the median of the larger of the two residuals, scaled by σ_f and
    /// the inputs' spreads.
    /// </summary>
    public static double GeneralSeparability(DerivativeSamples samples, IReadOnlyList<IReadOnlyList<int>> groups, int seed = 0)
    {
        int n = samples.InputCount;
        if (groups.Count < 2)
        {
            return 0.0;
        }

        var owner = Enumerable.Repeat(-1, n).ToArray();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int i in groups[g])
            {
                owner[i] = g;
            }
        }

        var cross = new List<(int I, int J)>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (owner[i] >= 0 && owner[j] >= 0 && owner[i] != owner[j])
                {
                    cross.Add((i, j));
                }
            }
        }

        double sigmaF = Math.Max(samples.ValueSpread, 1e-300);
        var box = samples.Box();
        var random = new KanRandom(seed);
        var gradient = new double[n];
        var hessian = new double[n * n];
        var moved = new double[n];
        var residuals = new double[samples.Count];
        for (int s = 0; s < samples.Count; s++)
        {
            var g = samples.Gradient(s);
            var (phi, rankResidual) = Phi(g, (i, j) => samples.Hessian(s, i, j));

            // A companion point with the same f: the other groups' inputs move by up to a third of their spread
            // (inputs in no group stay, so F may depend on them).
            samples.Point(s).CopyTo(moved);
            for (int i = 0; i < n; i++)
            {
                if (owner[i] > 0)
                {
                    double step = (2.0 * random.NextDouble() - 1.0) * samples.InputSpread[i] / 3.0;
                    moved[i] = Math.Clamp(moved[i] + step, box[i].Min, box[i].Max);
                }
            }

            double companion = double.NaN;
            if (RestoreLevel(samples.Function, moved, groups[0], samples.Values[s], box, gradient, hessian, sigmaF))
            {
                var (otherPhi, otherResidual) = Phi(gradient, (i, j) => hessian[i * n + j]);
                companion = Math.Max(Math.Abs(phi - otherPhi) * sigmaF, otherResidual);
            }

            residuals[s] = double.IsNaN(companion) ? rankResidual : Math.Max(rankResidual, companion);
        }

        return DerivativeSamples.Median(residuals);

        // φ by least squares over the cross pairs, and the normalised residual of H_AB − φ·g_A·g_Bᵀ.
        (double Phi, double Residual) Phi(ReadOnlySpan<double> g, Func<int, int, double> h)
        {
            double num = 0.0, den = 0.0;
            foreach (var (i, j) in cross)
            {
                double gg = g[i] * g[j];
                num += h(i, j) * gg;
                den += gg * gg;
            }

            double phi = den > 0.0 ? num / den : 0.0;
            double residual = 0.0;
            foreach (var (i, j) in cross)
            {
                double r = (h(i, j) - phi * g[i] * g[j]) * samples.InputSpread[i] * samples.InputSpread[j] / sigmaF;
                residual = Math.Max(residual, Math.Abs(r));
            }

            return (phi, residual);
        }
    }

    /// <summary>
    /// Moves <paramref name="point"/> along the gradient within <paramref name="group"/> until f equals
    /// <paramref name="level"/> (Newton), leaving the derivatives there in the buffers; false when it leaves the box
    /// or does not converge.
    /// </summary>
    private static bool RestoreLevel(DifferentiableFunction function, double[] point, IReadOnlyList<int> group, double level, (double Min, double Max)[] box, double[] gradient, double[] hessian, double sigmaF)
    {
        int n = point.Length;
        for (int iteration = 0; iteration < 12; iteration++)
        {
            double f = function.Evaluate(point, gradient, hessian);
            double gap = f - level;
            if (Math.Abs(gap) <= 1e-10 * sigmaF)
            {
                return true;
            }

            double slope = 0.0;
            foreach (int k in group)
            {
                slope += gradient[k] * gradient[k];
            }

            if (!(slope > 0.0) || !double.IsFinite(gap))
            {
                return false;
            }

            double t = -gap / slope;
            foreach (int k in group)
            {
                point[k] += t * gradient[k];
                if (point[k] < box[k].Min || point[k] > box[k].Max)
                {
                    return false;
                }
            }
        }

        return false;
    }

    private static double[,] Matrix(int n, Func<int, int, IEnumerable<double>> values)
    {
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                matrix[i, j] = matrix[j, i] = DerivativeSamples.Median(values(i, j));
            }
        }

        return matrix;
    }
}
