using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using KanCompile.Numerics;
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
    /// Fits y ≈ c·f(a·x + b) + d as pykan's <c>fit_params</c>: (a, b) maximise the damped squared Pearson correlation
    /// r² over a box, then (c, d) by ordinary least squares with intercept of y on nan_to_num(f(a·x + b)).
    /// <para>With <see cref="SymbolicFitMethod.Fast"/> (the default) (a, b) come from a coarse grid and a bounded
    /// Newton ascent of the same r² (ending at the optimum pykan's grid approximates, so r² is as high or higher). With
    /// <see cref="SymbolicFitMethod.Grid"/> (<see cref="SymbolicFitOptions.Pykan"/>) they come exactly as pykan finds
    /// them: a grid search zoomed <see cref="SymbolicFitOptions.Iterations"/> times (a border best shrinks only that
    /// coordinate to its adjacent cell), first argmax in a-major order, NaN r² → 0.</para>
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
            double yMean = FixedOrderSum.Sum(y) / n;
            TensorPrimitives.Subtract(y, yMean, centredY.AsSpan(0, n));
            double yVariation = FixedOrderSum.SumOfSquares(centredY.AsSpan(0, n));
            if (options.Method == SymbolicFitMethod.Fast)
            {
                var (fastA, fastB, fastR2) = FastSearch(xs.AsSpan(0, n), centredY.AsSpan(0, n), yVariation, function, options);
                (double fastC, double fastD) = LinearRegression(function, xs.AsSpan(0, n), y, fastA, fastB, centredY.AsSpan(0, n), yMean);
                return new SymbolicFitResult(fastA, fastB, fastC, fastD, fastR2);
            }

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

            double zMean = FixedOrderSum.Sum(values) / n;
            TensorPrimitives.Subtract(values, zMean, values);
            double zVariation = FixedOrderSum.SumOfSquares(values), covariation = FixedOrderSum.Dot(values, centredY);
            double c = zVariation > 0 && double.IsFinite(zVariation) ? covariation / zVariation : 0.0;
            return (c, yMean - c * zMean);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(z);
        }
    }

    private static double NanToNum(double value) =>
        double.IsNaN(value) ? 0.0 : double.IsPositiveInfinity(value) ? double.MaxValue : double.IsNegativeInfinity(value) ? double.MinValue : value;

    /// <summary>The index of the largest value, the first on ties.</summary>
    internal static int ArgMax(ReadOnlySpan<double> values)
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

    /// <summary>
    /// The r² of every (a_p, b_q) cell; rows of a run in parallel, each with one scratch block. A block holds
    /// f(a_p·x_s + b_q) for 8 cells of b side by side ([sample][cell]), so two vectors of <see cref="TorchColumnSum"/>
    /// lanes sum 8 cells at once, each in torch's order, with independent additions in flight.
    /// </summary>
    private sealed class GridSearch
    {
        private const int BlockWidth = 8;

        private readonly SymbolicFunction _function;
        // Resolved once: the vectorised form of a built-in, or null to call the user's scalar function.
        private readonly BuiltInSymbolicFunctions.SpanFunction? _span;
        private readonly double[] _x;
        private readonly double[] _centredY;
        private readonly int _n;
        private readonly double _yVariation;
        private readonly double[] _r2;
        private readonly int _grid;
        // b values padded to whole blocks with the last b (finite, so the padding cells compute harmlessly).
        private readonly double[] _bPadded;
        private double[] _aValues = [];

        public GridSearch(SymbolicFunction function, double[] x, double[] centredY, int n, double yVariation, double[] r2, int grid)
        {
            _function = function;
            _span = BuiltInSymbolicFunctions.GetSpanFunction(function);
            _x = x;
            _centredY = centredY;
            _n = n;
            _yVariation = yVariation;
            _r2 = r2;
            _grid = grid;
            _bPadded = new double[(grid + BlockWidth - 1) / BlockWidth * BlockWidth];
        }

        public void Run(double[] aValues, double[] bValues, int maxDegreeOfParallelism)
        {
            _aValues = aValues;
            bValues.AsSpan(0, _grid).CopyTo(_bPadded);
            _bPadded.AsSpan(_grid).Fill(bValues[_grid - 1]);
            int scratchLength = _n * BlockWidth;
            if (maxDegreeOfParallelism == 1)
            {
                double[] scratch = ArrayPool<double>.Shared.Rent(scratchLength);
                for (int p = 0; p < _grid; p++)
                {
                    Row(p, scratch);
                }

                ArrayPool<double>.Shared.Return(scratch);
                return;
            }

            Parallel.For(
                0,
                _grid,
                new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
                () => ArrayPool<double>.Shared.Rent(scratchLength),
                (p, _, scratch) =>
                {
                    Row(p, scratch);
                    return scratch;
                },
                scratch => ArrayPool<double>.Shared.Return(scratch));
        }

        private void Row(int p, double[] scratch)
        {
            var z = scratch.AsSpan(0, _n * BlockWidth);
            ref double block = ref MemoryMarshal.GetArrayDataReference(scratch);
            for (int first = 0; first < _bPadded.Length; first += BlockWidth)
            {
                WriteArguments(_aValues[p], first, ref block);
                Apply(_function, _span, z);
                StoreRSquared(p, first, ref block);
            }
        }

        // a·x + b for cells first..first+7, a·x rounded before adding b, as torch's a_grid * x + b_grid. Not inlined:
        // the method's epilogue clears the upper vector halves (vzeroupper) before f runs, since scalar native math
        // (e.g. glibc's asin) runs many times slower with dirty upper halves.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void WriteArguments(double a, int first, ref double block)
        {
            var b0 = Vector256.Create(_bPadded.AsSpan(first));
            var b1 = Vector256.Create(_bPadded.AsSpan(first + 4));
            for (int s = 0; s < _n; s++)
            {
                var ax = Vector256.Create(a * _x[s]);
                (ax + b0).StoreUnsafe(ref block, (nuint)(s * BlockWidth));
                (ax + b1).StoreUnsafe(ref block, (nuint)(s * BlockWidth + 4));
            }
        }

        // r² of cells first..first+7 of row p from their f values in block ([sample][8 cells]). Not inlined, for the
        // same reason as WriteArguments: the next block's f must start with clean upper vector halves.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StoreRSquared(int p, int first, ref double block)
        {
            var sum0 = new TorchColumnSum(_n);
            var sum1 = sum0;
            int blockLength = sum0.BlockLength;
            for (int start = 0; start < _n; start += blockLength)
            {
                int end = Math.Min(start + blockLength, _n);
                Vector256<double> level0 = default, level1 = default;
                for (int s = start; s < end; s++)
                {
                    level0 += Vector256.LoadUnsafe(ref block, (nuint)(s * BlockWidth));
                    level1 += Vector256.LoadUnsafe(ref block, (nuint)(s * BlockWidth + 4));
                }

                sum0.AddBlock(level0, end - start);
                sum1.AddBlock(level1, end - start);
            }

            var mean0 = sum0.Result / _n;
            var mean1 = sum1.Result / _n;
            var covariation0 = new TorchColumnSum(_n);
            var covariation1 = covariation0;
            var variation0 = covariation0;
            var variation1 = covariation0;
            for (int start = 0; start < _n; start += blockLength)
            {
                int end = Math.Min(start + blockLength, _n);
                Vector256<double> cov0 = default, cov1 = default, var0 = default, var1 = default;
                for (int s = start; s < end; s++)
                {
                    var y = Vector256.Create(_centredY[s]);
                    var centred0 = Vector256.LoadUnsafe(ref block, (nuint)(s * BlockWidth)) - mean0;
                    var centred1 = Vector256.LoadUnsafe(ref block, (nuint)(s * BlockWidth + 4)) - mean1;
                    cov0 += centred0 * y;
                    cov1 += centred1 * y;
                    var0 += centred0 * centred0;
                    var1 += centred1 * centred1;
                }

                covariation0.AddBlock(cov0, end - start);
                covariation1.AddBlock(cov1, end - start);
                variation0.AddBlock(var0, end - start);
                variation1.AddBlock(var1, end - start);
            }

            StoreLanes(p, first, covariation0.Result, variation0.Result);
            StoreLanes(p, first + 4, covariation1.Result, variation1.Result);
        }

        private void StoreLanes(int p, int first, Vector256<double> covariation, Vector256<double> variation)
        {
            var value = covariation * covariation / (variation * _yVariation + Vector256.Create(RSquaredDamping));
            for (int lane = 0; lane < Vector256<double>.Count && first + lane < _grid; lane++)
            {
                _r2[p * _grid + first + lane] = NanToNum(value[lane]);
            }
        }
    }
}
