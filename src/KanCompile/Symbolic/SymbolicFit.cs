using System.Buffers;
using System.Numerics.Tensors;
using KanCompile.Splines;

namespace KanCompile.Symbolic;

/// <summary>
/// pykan's symbolic fitting (kan-math §2.12): <see cref="FitParameters"/> (<c>utils.fit_params</c>) and
/// <see cref="SuggestSymbolic"/> (<c>MultKAN.suggest_symbolic</c>) as pure functions over sample arrays.
/// </summary>
public static partial class SymbolicFit
{
    // pykan's damping in the r² denominator; it rewards large output amplitude (see golden/README.md).
    private const double RSquaredDamping = 1e-4;

    /// <summary>
    /// Fits y ≈ c·f(a·x + b) + d exactly as pykan's <c>fit_params</c>: a grid search over (a, b) maximising the
    /// damped squared Pearson correlation, zoomed <see cref="SymbolicFitOptions.Iterations"/> times (a border best
    /// shrinks only that coordinate to its adjacent cell), first argmax in a-major order, NaN r² → 0; then (c, d)
    /// by ordinary least squares with intercept of y on nan_to_num(f(a·x + b)).
    /// </summary>
    /// <param name="x">Inputs of the edge (pykan <c>acts[l][:, i]</c>).</param>
    /// <param name="y">Outputs of the edge (pykan <c>spline_postacts[l][:, j, i]</c>), same length.</param>
    /// <param name="function">The library function f.</param>
    /// <param name="options">Ranges and grid; <see cref="SymbolicFitOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Lengths differ, there are no samples, or the options are invalid.</exception>
    public static SymbolicFitResult FitParameters(
        ReadOnlySpan<double> x, ReadOnlySpan<double> y, SymbolicFunction function, SymbolicFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= SymbolicFitOptions.Default;
        options.Validate();
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"FitParameters needs one y per x: got {x.Length} x values and {y.Length} y values.", nameof(y));
        }

        if (x.Length == 0)
        {
            throw new ArgumentException("FitParameters needs at least one sample; x is empty.", nameof(x));
        }

        int n = x.Length;
        int grid = options.GridNumber;
        var pool = ArrayPool<double>.Shared;
        double[] xs = pool.Rent(n);
        double[] centredY = pool.Rent(n);
        double[] r2 = pool.Rent(grid * grid);
        try
        {
            x.CopyTo(xs);
            double yMean = TensorPrimitives.Sum(y) / n;
            TensorPrimitives.Subtract(y, yMean, centredY.AsSpan(0, n));
            double yVariation = TensorPrimitives.SumOfSquares(centredY.AsSpan(0, n));
            var search = new GridSearch(function, xs, centredY, n, yVariation, r2, grid);

            double aLow = options.AMin, aHigh = options.AMax, bLow = options.BMin, bHigh = options.BMax;
            double a = 0, b = 0, best = 0;
            for (int iteration = 0; iteration < options.Iterations; iteration++)
            {
                double[] aValues = KnotVector.Linspace(aLow, aHigh, grid);
                double[] bValues = KnotVector.Linspace(bLow, bHigh, grid);
                search.Run(aValues, bValues, options.MaxDegreeOfParallelism);
                int bestIndex = ArgMax(r2.AsSpan(0, grid * grid));
                int aIndex = bestIndex / grid, bIndex = bestIndex % grid;
                a = aValues[aIndex];
                b = bValues[bIndex];
                best = r2[bestIndex];

                // pykan's zoom: a border best shrinks only the border coordinate(s); otherwise both ranges shrink.
                bool aBorder = aIndex == 0 || aIndex == grid - 1;
                bool bBorder = bIndex == 0 || bIndex == grid - 1;
                if (aBorder || bBorder)
                {
                    if (aIndex == 0) { (aLow, aHigh) = (aValues[0], aValues[1]); }
                    if (aIndex == grid - 1) { (aLow, aHigh) = (aValues[grid - 2], aValues[grid - 1]); }
                    if (bIndex == 0) { (bLow, bHigh) = (bValues[0], bValues[1]); }
                    if (bIndex == grid - 1) { (bLow, bHigh) = (bValues[grid - 2], bValues[grid - 1]); }
                }
                else
                {
                    (aLow, aHigh) = (aValues[aIndex - 1], aValues[aIndex + 1]);
                    (bLow, bHigh) = (bValues[bIndex - 1], bValues[bIndex + 1]);
                }
            }

            (double c, double d) = LinearRegression(function, xs.AsSpan(0, n), y, a, b, centredY.AsSpan(0, n), yMean);
            return new SymbolicFitResult(a, b, c, d, best);
        }
        finally
        {
            pool.Return(xs);
            pool.Return(centredY);
            pool.Return(r2);
        }
    }

    /// <summary>f(a·x + b) with NaN → 0 and ±∞ → ±double.MaxValue (torch.nan_to_num), written into <paramref name="z"/>.</summary>
    internal static void EvaluateAffine(
        SymbolicFunction function, BuiltInSymbolicFunctions.SpanFunction? span, ReadOnlySpan<double> x, double a, double b, Span<double> z)
    {
        TensorPrimitives.Multiply(x, a, z);
        TensorPrimitives.Add(z, b, z);
        Apply(function, span, z);
    }

    private static void Apply(SymbolicFunction function, BuiltInSymbolicFunctions.SpanFunction? span, Span<double> z)
    {
        if (span is not null)
        {
            span(z, z);
            return;
        }

        for (int s = 0; s < z.Length; s++)
        {
            z[s] = function.Evaluate(z[s]);
        }
    }

    // sklearn LinearRegression on one feature: centre both, c = Σ z̃ỹ / Σ z̃² (0 when z is constant, lstsq's
    // rank-0 answer), d = ȳ − c·z̄.
    private static (double C, double D) LinearRegression(
        SymbolicFunction function, ReadOnlySpan<double> x, ReadOnlySpan<double> y, double a, double b,
        ReadOnlySpan<double> centredY, double yMean)
    {
        int n = x.Length;
        double[] z = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var values = z.AsSpan(0, n);
            EvaluateAffine(function, BuiltInSymbolicFunctions.GetSpanFunction(function), x, a, b, values);
            for (int s = 0; s < n; s++)
            {
                values[s] = NanToNum(values[s]);
            }

            double zMean = TensorPrimitives.Sum(values) / n;
            TensorPrimitives.Subtract(values, zMean, values);
            double zVariation = TensorPrimitives.SumOfSquares(values);
            double c = zVariation > 0 && double.IsFinite(zVariation) ? TensorPrimitives.Dot(values, centredY) / zVariation : 0.0;
            return (c, yMean - c * zMean);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(z);
        }
    }

    private static double NanToNum(double value) =>
        double.IsNaN(value) ? 0.0 : double.IsPositiveInfinity(value) ? double.MaxValue : double.IsNegativeInfinity(value) ? double.MinValue : value;

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>The r² of every (a_p, b_q) cell; rows of a run in parallel, each with one scratch buffer.</summary>
    private sealed class GridSearch(
        SymbolicFunction function, double[] x, double[] centredY, int n, double yVariation, double[] r2, int grid)
    {
        // Resolved once: the vectorised form of a built-in, or null to call the user's scalar function.
        private readonly BuiltInSymbolicFunctions.SpanFunction? _span = BuiltInSymbolicFunctions.GetSpanFunction(function);
        private double[] _aValues = [];
        private double[] _bValues = [];

        public void Run(double[] aValues, double[] bValues, int maxDegreeOfParallelism)
        {
            _aValues = aValues;
            _bValues = bValues;
            if (maxDegreeOfParallelism == 1)
            {
                double[] scratch = ArrayPool<double>.Shared.Rent(n);
                for (int p = 0; p < grid; p++)
                {
                    Row(p, scratch);
                }

                ArrayPool<double>.Shared.Return(scratch);
                return;
            }

            Parallel.For(
                0,
                grid,
                new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
                () => ArrayPool<double>.Shared.Rent(n),
                (p, _, scratch) =>
                {
                    Row(p, scratch);
                    return scratch;
                },
                scratch => ArrayPool<double>.Shared.Return(scratch));
        }

        private void Row(int p, double[] scratch)
        {
            var z = scratch.AsSpan(0, n);
            var xs = x.AsSpan(0, n);
            var ys = centredY.AsSpan(0, n);
            double a = _aValues[p];
            for (int q = 0; q < grid; q++)
            {
                EvaluateAffine(function, _span, xs, a, _bValues[q], z);
                double mean = TorchColumnSum.Sum(z) / n;
                var covariationSum = new TorchColumnSum(n);
                var variationSum = new TorchColumnSum(n);
                for (int s = 0; s < z.Length; s++)
                {
                    double centred = z[s] - mean;
                    covariationSum.Add(centred * ys[s]);
                    variationSum.Add(centred * centred);
                }

                double covariation = covariationSum.Result;
                double value = covariation * covariation / (variationSum.Result * yVariation + RSquaredDamping);
                r2[p * grid + q] = NanToNum(value);
            }
        }
    }
}
