using System.Buffers;
using KanCompile.Numerics;

namespace KanCompile.Symbolic;

public static partial class SymbolicFit
{
    // Coarse grid of the fast fit: cells per axis, and at most this many samples (evenly strided) to rank them.
    private const int CoarseCells = 21;
    private const int CoarseSamples = 128;

    // Local maxima of the coarse grid climbed on the subsample (the best few basins: sin's r² has one per period of a);
    // the best two are finished on all samples.
    private const int Seeds = 4;
    private const int MaxNewtonSteps = 20;

    /// <summary>
    /// <see cref="SymbolicFitMethod.Fast"/>: maximises the same damped r² over the same (a, b) box as pykan's grid,
    /// but with a coarse 21×21 grid on a subsample to find the basins, then a bounded Newton ascent (analytic gradient
    /// through f', Hessian by differences of it) from the best few, on the subsample and then on all samples. Every
    /// sum is a plain loop in sample order, so the result does not depend on the host's vector width.
    /// </summary>
    private static (double A, double B, double RSquared) FastSearch(
        ReadOnlySpan<double> x, ReadOnlySpan<double> centredY, double yVariation, SymbolicFunction function, SymbolicFitOptions options)
    {
        int n = x.Length;
        int m = Math.Min(n, CoarseSamples);
        double[] rented = ArrayPool<double>.Shared.Rent(2 * m + CoarseCells * CoarseCells + 2 * n);
        try
        {
            // An evenly strided subsample with its own centred y, to rank the coarse cells.
            Span<double> xs = rented.AsSpan(0, m), ys = rented.AsSpan(m, m);
            for (int s = 0; s < m; s++)
            {
                int from = (int)((long)s * n / m);
                xs[s] = x[from];
                ys[s] = centredY[from];
            }

            double subMean = FixedOrderSum.Sum(ys) / m, subVariation = 0.0;
            for (int s = 0; s < m; s++)
            {
                ys[s] -= subMean;
                subVariation += ys[s] * ys[s];
            }

            Span<double> coarse = rented.AsSpan(2 * m, CoarseCells * CoarseCells);
            for (int p = 0; p < CoarseCells; p++)
            {
                double a = Between(options.AMin, options.AMax, p, CoarseCells);
                for (int q = 0; q < CoarseCells; q++)
                {
                    coarse[p * CoarseCells + q] = RSquaredAt(xs, ys, subVariation, function, a, Between(options.BMin, options.BMax, q, CoarseCells));
                }
            }

            Span<double> scratch = rented.AsSpan(2 * m + CoarseCells * CoarseCells, 2 * n);
            Span<int> seeds = stackalloc int[Seeds];
            int seedCount = BestLocalMaxima(coarse, seeds);

            // Each basin climbed on the subsample; the best two finished on every sample.
            Span<(double A, double B, double RSquared)> climbed = stackalloc (double, double, double)[Seeds];
            for (int k = 0; k < seedCount; k++)
            {
                double a = Between(options.AMin, options.AMax, seeds[k] / CoarseCells, CoarseCells);
                double b = Between(options.BMin, options.BMax, seeds[k] % CoarseCells, CoarseCells);
                climbed[k] = Ascend(xs, ys, subVariation, function, scratch, options, a, b);
            }

            climbed.Slice(0, seedCount).Sort((p, q) => q.RSquared.CompareTo(p.RSquared));
            double bestA = Between(options.AMin, options.AMax, seeds[0] / CoarseCells, CoarseCells);
            double bestB = Between(options.BMin, options.BMax, seeds[0] % CoarseCells, CoarseCells);
            double best = RSquaredAt(x, centredY, yVariation, function, bestA, bestB);
            for (int k = 0; k < Math.Min(seedCount, 2); k++)
            {
                (double a, double b, double r2) = m == n ? climbed[k] : Ascend(x, centredY, yVariation, function, scratch, options, climbed[k].A, climbed[k].B);
                if (r2 > best)
                {
                    (bestA, bestB, best) = (a, b, r2);
                }
            }

            return (bestA, bestB, best);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static double Between(double low, double high, int index, int count) =>
        index == count - 1 ? high : low + (high - low) * index / (count - 1);

    /// <summary>Indices of the (up to) <see cref="Seeds"/> best cells that are no worse than any neighbour, best first.</summary>
    private static int BestLocalMaxima(ReadOnlySpan<double> cells, Span<int> seeds)
    {
        int found = 0;
        for (int index = 0; index < cells.Length; index++)
        {
            int p = index / CoarseCells, q = index % CoarseCells;
            double value = cells[index];
            bool peak = value > 0.0;
            for (int dp = -1; dp <= 1 && peak; dp++)
            {
                for (int dq = -1; dq <= 1; dq++)
                {
                    int pp = p + dp, qq = q + dq;
                    if ((dp != 0 || dq != 0) && pp >= 0 && pp < CoarseCells && qq >= 0 && qq < CoarseCells && cells[pp * CoarseCells + qq] > value)
                    {
                        peak = false;
                        break;
                    }
                }
            }

            if (!peak)
            {
                continue;
            }

            // Insert in order (best first; equal values keep grid order).
            int at = found < seeds.Length ? found++ : seeds.Length;
            while (at > 0 && cells[seeds[at - 1]] < value)
            {
                if (at < seeds.Length)
                {
                    seeds[at] = seeds[at - 1];
                }

                at--;
            }

            if (at < seeds.Length)
            {
                seeds[at] = index;
            }
        }

        if (found == 0)
        {
            seeds[0] = ArgMax(cells);
            found = 1;
        }

        return found;
    }

    /// <summary>
    /// Bounded ascent of r²(a, b) from (a, b): a Newton step where r² is concave on the free coordinates, else a
    /// gradient step whose length adapts (grows while it pays, halves when it does not); a coordinate at a bound whose
    /// gradient points outwards stays there (damped r² often peaks on the box: a larger amplitude scores higher).
    /// </summary>
    private static (double A, double B, double RSquared) Ascend(
        ReadOnlySpan<double> x, ReadOnlySpan<double> centredY, double yVariation, SymbolicFunction function, Span<double> scratch, SymbolicFitOptions options, double a, double b)
    {
        double r2 = Gradient(x, centredY, yVariation, function, scratch, a, b, out double ga, out double gb);
        double stepLength = 0.5 * Math.Max(options.AMax - options.AMin, options.BMax - options.BMin) / (CoarseCells - 1);
        for (int step = 0; step < MaxNewtonSteps && r2 > 0.0; step++)
        {
            (double ga0, double gb0) = (ga, gb);
            if ((a <= options.AMin && ga < 0) || (a >= options.AMax && ga > 0))
            {
                ga = 0.0;
            }

            if ((b <= options.BMin && gb < 0) || (b >= options.BMax && gb > 0))
            {
                gb = 0.0;
            }

            if (ga == 0.0 && gb == 0.0)
            {
                break;
            }

            // Hessian of r² by forward differences of the analytic gradient (toward the inside of the box).
            double ha = (a >= options.AMax ? -1e-7 : 1e-7) * Math.Max(1.0, Math.Abs(a)), hb = (b >= options.BMax ? -1e-7 : 1e-7) * Math.Max(1.0, Math.Abs(b));
            Gradient(x, centredY, yVariation, function, scratch, a + ha, b, out double gaPlus, out double gbAPlus);
            Gradient(x, centredY, yVariation, function, scratch, a, b + hb, out double gaBPlus, out double gbPlus);
            double haa = (gaPlus - ga0) / ha, hbb = (gbPlus - gb0) / hb;
            double hab = 0.5 * ((gbAPlus - gb0) / ha + (gaBPlus - ga0) / hb);
            double da = 0.0, db = 0.0;
            bool newton = false;
            if (ga != 0.0 && gb != 0.0)
            {
                double determinant = haa * hbb - hab * hab;
                if (haa < 0 && determinant > 0)
                {
                    (da, db, newton) = ((-hbb * ga + hab * gb) / determinant, (-haa * gb + hab * ga) / determinant, true);
                }
            }
            else if (ga != 0.0 && haa < 0)
            {
                (da, newton) = (-ga / haa, true);
            }
            else if (gb != 0.0 && hbb < 0)
            {
                (db, newton) = (-gb / hbb, true);
            }

            if (!newton)
            {
                double norm = Math.Sqrt(ga * ga + gb * gb);
                (da, db) = (stepLength * ga / norm, stepLength * gb / norm);
            }

            // Backtrack until r² improves; a gradient step that improves at once is tried twice as long next time.
            bool improved = false;
            for (int halving = 0; halving < 12 && !improved; halving++)
            {
                double na = Math.Clamp(a + da, options.AMin, options.AMax), nb = Math.Clamp(b + db, options.BMin, options.BMax);
                if (na == a && nb == b)
                {
                    break;
                }

                double candidate = Gradient(x, centredY, yVariation, function, scratch, na, nb, out double nga, out double ngb);
                if (candidate > r2)
                {
                    if (!newton && halving == 0)
                    {
                        stepLength *= 2.0;
                    }

                    (a, b, r2, ga, gb, improved) = (na, nb, candidate, nga, ngb, true);
                }
                else
                {
                    (da, db) = (0.5 * da, 0.5 * db);
                    stepLength = newton ? stepLength : 0.5 * stepLength;
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return (a, b, r2);
    }

    /// <summary>pykan's damped r² of f(a·x + b) against y (centred), NaN or ±∞ anywhere → 0; sums in sample order.</summary>
    private static double RSquaredAt(ReadOnlySpan<double> x, ReadOnlySpan<double> centredY, double yVariation, SymbolicFunction function, double a, double b)
    {
        int n = x.Length;
        double sum = 0.0;
        for (int s = 0; s < n; s++)
        {
            sum += function.Evaluate(a * x[s] + b);
        }

        double mean = sum / n, covariation = 0.0, variation = 0.0;
        for (int s = 0; s < n; s++)
        {
            double centred = function.Evaluate(a * x[s] + b) - mean;
            covariation += centred * centredY[s];
            variation += centred * centred;
        }

        return Damped(covariation, variation, yVariation);
    }

    /// <summary>r² at (a, b) and its gradient (through f'), every sum in sample order.</summary>
    private static double Gradient(
        ReadOnlySpan<double> x, ReadOnlySpan<double> centredY, double yVariation, SymbolicFunction function, Span<double> scratch, double a, double b, out double da, out double db)
    {
        int n = x.Length;
        Span<double> values = scratch.Slice(0, n), slopes = scratch.Slice(n, n);
        double sum = 0.0, slopeSum = 0.0, slopeXSum = 0.0;
        for (int s = 0; s < n; s++)
        {
            double u = a * x[s] + b;
            double slope = function.Derivative(u);
            values[s] = function.Evaluate(u);
            slopes[s] = slope;
            sum += values[s];
            slopeSum += slope;
            slopeXSum += slope * x[s];
        }

        double mean = sum / n, slopeMean = slopeSum / n, slopeXMean = slopeXSum / n;
        double covariation = 0.0, variation = 0.0, covariationA = 0.0, covariationB = 0.0, variationA = 0.0, variationB = 0.0;
        for (int s = 0; s < n; s++)
        {
            double centred = values[s] - mean;
            double slope = slopes[s];
            double centredA = slope * x[s] - slopeXMean, centredB = slope - slopeMean;
            covariation += centred * centredY[s];
            variation += centred * centred;
            covariationA += centredA * centredY[s];
            covariationB += centredB * centredY[s];
            variationA += centred * centredA;
            variationB += centred * centredB;
        }

        double r2 = Damped(covariation, variation, yVariation);
        double denominator = variation * yVariation + RSquaredDamping;
        if (r2 == 0.0 || !double.IsFinite(denominator))
        {
            (da, db) = (0.0, 0.0);
            return r2;
        }

        // r² = C² / (V·vy + δ): ∂r² = (2C·∂C·D − C²·vy·∂V) / D², with ∂V = 2 Σ z̃ ∂z̃.
        double scale = 1.0 / (denominator * denominator);
        da = (2.0 * covariation * covariationA * denominator - covariation * covariation * yVariation * 2.0 * variationA) * scale;
        db = (2.0 * covariation * covariationB * denominator - covariation * covariation * yVariation * 2.0 * variationB) * scale;
        if (!double.IsFinite(da) || !double.IsFinite(db))
        {
            (da, db) = (0.0, 0.0);
        }

        return r2;
    }

    private static double Damped(double covariation, double variation, double yVariation)
    {
        double r2 = covariation * covariation / (variation * yVariation + RSquaredDamping);
        return double.IsFinite(r2) ? r2 : 0.0;
    }
}
