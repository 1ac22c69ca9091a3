using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>Edge helpers per output width (EdgeWidthEmitter) and for one output (SingleOutputEmitter).</summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(int width, ref double y, ref double sb, ref double rows, double bx, ref double window)
    {
        // Without vectors the emitted helper takes the scalar loop below at every width (the same operations per output).
        if (width >= 4 && Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vbx = Vector256.Create(bx);
            Vector256<double> vb0 = Vector256.Create(window);
            Vector256<double> vb1 = Order >= 1 ? Vector256.Create(Unsafe.Add(ref window, 1)) : default;
            Vector256<double> vb2 = Order >= 2 ? Vector256.Create(Unsafe.Add(ref window, 2)) : default;
            Vector256<double> vb3 = Order >= 3 ? Vector256.Create(Unsafe.Add(ref window, 3)) : default;
            int whole = width / 4, rest = width % 4;
            bool unrolled = whole <= EdgeWidthEmitter.MaxUnrolledVectors;
            int single = rest > 0 && unrolled ? whole - 1 : whole;
            for (int q = 0; q < single; q++)
            {
                nuint at = (nuint)(4 * q);
                Vector256<double> sum = AccumulateSum(Vector256.LoadUnsafe(ref y, at), ref sb, ref rows, at, width, vbx, vb0, vb1, vb2, vb3, ref window);
                Vector256.StoreUnsafe(sum, ref y, at);
            }

            if (rest > 0 && !unrolled)
            {
                // Past the unrolled widths the emitter loops over the whole vectors, then masks one vector over the last four.
                nuint last = (nuint)(width - 4);
                Vector256<double> acc = Vector256.LoadUnsafe(ref y, last);
                Vector256<double> sum = AccumulateSum(acc, ref sb, ref rows, last, width, vbx, vb0, vb1, vb2, vb3, ref window);
                Vector256.StoreUnsafe(Vector256.ConditionalSelect(Fresh(rest), sum, acc), ref y, last);
            }
            else if (rest > 0)
            {
                nuint first = (nuint)(4 * (whole - 1)), second = (nuint)(width - 4);
                Vector256<double> fresh = Fresh(rest);
                Vector256<double> acc2 = Vector256.LoadUnsafe(ref y, second);
                Vector256<double> sum = AccumulateSum(Vector256.LoadUnsafe(ref y, first), ref sb, ref rows, first, width, vbx, vb0, vb1, vb2, vb3, ref window);
                Vector256<double> sum2 = AccumulateSum(acc2, ref sb, ref rows, second, width, vbx, vb0, vb1, vb2, vb3, ref window);
                Vector256.StoreUnsafe(Vector256.ConditionalSelect(fresh, sum2, acc2), ref y, second);
                Vector256.StoreUnsafe(sum, ref y, first);
            }

            return;
        }

        for (nuint j = 0; j < (nuint)width; j++)
        {
            double sum = Math.FusedMultiplyAdd(bx, Unsafe.Add(ref sb, j), Unsafe.Add(ref y, j));
            sum = Math.FusedMultiplyAdd(window, Unsafe.Add(ref rows, j), sum);
            if (Order >= 1)
            {
                sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 1), Unsafe.Add(ref rows, j + (nuint)width), sum);
            }

            if (Order >= 2)
            {
                sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 2), Unsafe.Add(ref rows, j + (nuint)(2 * width)), sum);
            }

            if (Order >= 3)
            {
                sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, 3), Unsafe.Add(ref rows, j + (nuint)(3 * width)), sum);
            }

            for (int r = 4; r <= Order; r++)
            {
                sum = Math.FusedMultiplyAdd(Unsafe.Add(ref window, r), Unsafe.Add(ref rows, j + (nuint)(r * width)), sum);
            }

            Unsafe.Add(ref y, j) = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> AccumulateSum(Vector256<double> acc, ref double sb, ref double rows, nuint at, int width, Vector256<double> vbx, Vector256<double> vb0, Vector256<double> vb1, Vector256<double> vb2, Vector256<double> vb3, ref double window)
    {
        Vector256<double> sum = Vector256.FusedMultiplyAdd(vbx, Vector256.LoadUnsafe(ref sb, at), acc);
        sum = Vector256.FusedMultiplyAdd(vb0, Vector256.LoadUnsafe(ref rows, at), sum);
        if (Order >= 1)
        {
            sum = Vector256.FusedMultiplyAdd(vb1, Vector256.LoadUnsafe(ref rows, at + (nuint)width), sum);
        }

        if (Order >= 2)
        {
            sum = Vector256.FusedMultiplyAdd(vb2, Vector256.LoadUnsafe(ref rows, at + (nuint)(2 * width)), sum);
        }

        if (Order >= 3)
        {
            sum = Vector256.FusedMultiplyAdd(vb3, Vector256.LoadUnsafe(ref rows, at + (nuint)(3 * width)), sum);
        }

        for (int r = 4; r <= Order; r++)
        {
            sum = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref window, r)), Vector256.LoadUnsafe(ref rows, at + (nuint)(r * width)), sum);
        }

        return sum;
    }

    private static Vector256<double> Fresh(int rest) =>
        Vector256.AsDouble(Vector256.Create(rest >= 4 ? -1L : 0L, rest >= 3 ? -1L : 0L, rest >= 2 ? -1L : 0L, rest >= 1 ? -1L : 0L));

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Backprop(int width, ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, double bx, double dbx, ref double window, ref double slopes, bool inputGradient, bool regularized, ref double weight, ref double mean)
    {
        if (width >= 4 && !Vector256.IsHardwareAccelerated)
        {
            return BackpropLanes(width, ref g, ref sb, ref rows, ref gsb, ref grows, bx, dbx, ref window, ref slopes, inputGradient, regularized, ref weight, ref mean);
        }

        if (width >= 4)
        {
            Vector256<double> accumulated = Vector256<double>.Zero;
            var broadcasts = new Broadcasts(bx, dbx, ref window, ref slopes);
            int whole = width / 4, rest = width % 4;
            bool unrolled = whole <= EdgeWidthEmitter.MaxUnrolledVectors;
            int single = rest > 0 && unrolled ? whole - 1 : whole;
            for (int q = 0; q < single; q++)
            {
                nuint at = (nuint)(4 * q);
                Vector256<double> upstream = Upstream(ref g, ref sb, ref rows, at, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: false, default, ref accumulated, ref window, ref slopes);
                BackpropVector(ref gsb, ref grows, at, width, in broadcasts, upstream, ref window);
            }

            if (rest > 0 && !unrolled)
            {
                // Past the unrolled widths the emitter loops over the whole vectors, then masks one vector over the last four.
                nuint last = (nuint)(width - 4);
                Vector256<double> upstream = Upstream(ref g, ref sb, ref rows, last, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: true, Fresh(rest), ref accumulated, ref window, ref slopes);
                BackpropVector(ref gsb, ref grows, last, width, in broadcasts, upstream, ref window);
            }
            else if (rest > 0)
            {
                nuint first = (nuint)(4 * (whole - 1)), second = (nuint)(width - 4);
                Vector256<double> fresh = Fresh(rest);
                Vector256<double> upstream = Upstream(ref g, ref sb, ref rows, first, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: false, fresh, ref accumulated, ref window, ref slopes);
                Vector256<double> upstream2 = Upstream(ref g, ref sb, ref rows, second, width, in broadcasts, inputGradient, regularized, ref weight, ref mean, masked: true, fresh, ref accumulated, ref window, ref slopes);
                RowWithTail(ref gsb, first, width - rest, rest, broadcasts.Bx, bx, upstream, upstream2);
                RowWithTail(ref grows, first, width - rest, rest, broadcasts.B0, window, upstream, upstream2);
                if (Order >= 1)
                {
                    RowWithTail(ref grows, first + (nuint)width, width + width - rest, rest, broadcasts.B1, Unsafe.Add(ref window, 1), upstream, upstream2);
                }

                if (Order >= 2)
                {
                    RowWithTail(ref grows, first + (nuint)(2 * width), (2 * width) + width - rest, rest, broadcasts.B2, Unsafe.Add(ref window, 2), upstream, upstream2);
                }

                if (Order >= 3)
                {
                    RowWithTail(ref grows, first + (nuint)(3 * width), (3 * width) + width - rest, rest, broadcasts.B3, Unsafe.Add(ref window, 3), upstream, upstream2);
                }

                for (int r = 4; r <= Order; r++)
                {
                    RowWithTail(ref grows, first + (nuint)(r * width), (r * width) + width - rest, rest, Vector256.Create(Unsafe.Add(ref window, r)), Unsafe.Add(ref window, r), upstream, upstream2);
                }
            }

            return inputGradient ? Vector256.Sum(accumulated) : 0.0;
        }

        double gx = 0.0;
        for (nuint j = 0; j < (nuint)width; j++)
        {
            nuint w1 = j + (nuint)width, w2 = j + (nuint)(2 * width), w3 = j + (nuint)(3 * width);
            double upstream = Unsafe.Add(ref g, j);
            double scaleBase = Unsafe.Add(ref sb, j);
            if (regularized)
            {
                upstream += Unsafe.Add(ref weight, j) * (RowSum(bx * scaleBase, ref window, ref rows, j, width) - Unsafe.Add(ref mean, j));
            }

            if (inputGradient)
            {
                gx += upstream * RowSum(dbx * scaleBase, ref slopes, ref rows, j, width);
            }

            Unsafe.Add(ref gsb, j) += bx * upstream;
            Unsafe.Add(ref grows, j) += window * upstream;
            if (Order >= 1)
            {
                Unsafe.Add(ref grows, w1) += Unsafe.Add(ref window, 1) * upstream;
            }

            if (Order >= 2)
            {
                Unsafe.Add(ref grows, w2) += Unsafe.Add(ref window, 2) * upstream;
            }

            if (Order >= 3)
            {
                Unsafe.Add(ref grows, w3) += Unsafe.Add(ref window, 3) * upstream;
            }

            for (int r = 4; r <= Order; r++)
            {
                Unsafe.Add(ref grows, j + (nuint)(r * width)) += Unsafe.Add(ref window, r) * upstream;
            }
        }

        return gx;
    }

    /// <summary>WriteBackpropScalar's sums: first + w_0·rows[j] + w_1·rows[j + width] + … + w_k·rows[j + k·width], left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double RowSum(double first, ref double w, ref double rows, nuint j, int width)
    {
        double sum = first + w * Unsafe.Add(ref rows, j);
        if (Order >= 1)
        {
            sum += Unsafe.Add(ref w, 1) * Unsafe.Add(ref rows, j + (nuint)width);
        }

        if (Order >= 2)
        {
            sum += Unsafe.Add(ref w, 2) * Unsafe.Add(ref rows, j + (nuint)(2 * width));
        }

        if (Order >= 3)
        {
            sum += Unsafe.Add(ref w, 3) * Unsafe.Add(ref rows, j + (nuint)(3 * width));
        }

        for (int r = 4; r <= Order; r++)
        {
            sum += Unsafe.Add(ref w, r) * Unsafe.Add(ref rows, j + (nuint)(r * width));
        }

        return sum;
    }

    /// <summary>WriteBackpropVector's stores: dL/dF of the four edges at <paramref name="at"/> from their upstream gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BackpropVector(ref double gsb, ref double grows, nuint at, int width, in Broadcasts broadcasts, Vector256<double> upstream, ref double window)
    {
        nuint w1 = at + (nuint)width, w2 = at + (nuint)(2 * width), w3 = at + (nuint)(3 * width);
        Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.Bx, upstream, Vector256.LoadUnsafe(ref gsb, at)), ref gsb, at);
        Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B0, upstream, Vector256.LoadUnsafe(ref grows, at)), ref grows, at);
        if (Order >= 1)
        {
            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B1, upstream, Vector256.LoadUnsafe(ref grows, w1)), ref grows, w1);
        }

        if (Order >= 2)
        {
            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B2, upstream, Vector256.LoadUnsafe(ref grows, w2)), ref grows, w2);
        }

        if (Order >= 3)
        {
            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(broadcasts.B3, upstream, Vector256.LoadUnsafe(ref grows, w3)), ref grows, w3);
        }

        for (int r = 4; r <= Order; r++)
        {
            nuint wr = at + (nuint)(r * width);
            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref window, r)), upstream, Vector256.LoadUnsafe(ref grows, wr)), ref grows, wr);
        }
    }

    /// <summary>WriteBackpropUpstream: the vector's upstream gradient (with the statistic term; masked outside fresh) and its share of dL/dx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> Upstream(ref double g, ref double sb, ref double rows, nuint at, int width, in Broadcasts v, bool inputGradient, bool regularized, ref double weight, ref double mean, bool masked, Vector256<double> fresh, ref Vector256<double> accumulated, ref double window, ref double slopes)
    {
        nuint w1 = at + (nuint)width, w2 = at + (nuint)(2 * width), w3 = at + (nuint)(3 * width);
        Vector256<double> upstream = Vector256.LoadUnsafe(ref g, at);
        Vector256<double> scaleBase = Vector256.LoadUnsafe(ref sb, at);
        if (regularized)
        {
            Vector256<double> phi = v.Bx * scaleBase + v.B0 * Vector256.LoadUnsafe(ref rows, at);
            if (Order >= 1)
            {
                phi += v.B1 * Vector256.LoadUnsafe(ref rows, w1);
            }

            if (Order >= 2)
            {
                phi += v.B2 * Vector256.LoadUnsafe(ref rows, w2);
            }

            if (Order >= 3)
            {
                phi += v.B3 * Vector256.LoadUnsafe(ref rows, w3);
            }

            for (int r = 4; r <= Order; r++)
            {
                phi += Vector256.Create(Unsafe.Add(ref window, r)) * Vector256.LoadUnsafe(ref rows, at + (nuint)(r * width));
            }

            upstream += Vector256.LoadUnsafe(ref weight, at) * (phi - Vector256.LoadUnsafe(ref mean, at));
        }

        if (masked)
        {
            upstream = Vector256.BitwiseAnd(upstream, fresh);
        }

        if (inputGradient)
        {
            Vector256<double> slope = v.Dbx * scaleBase;
            slope = Vector256.FusedMultiplyAdd(v.D0, Vector256.LoadUnsafe(ref rows, at), slope);
            if (Order >= 1)
            {
                slope = Vector256.FusedMultiplyAdd(v.D1, Vector256.LoadUnsafe(ref rows, w1), slope);
            }

            if (Order >= 2)
            {
                slope = Vector256.FusedMultiplyAdd(v.D2, Vector256.LoadUnsafe(ref rows, w2), slope);
            }

            if (Order >= 3)
            {
                slope = Vector256.FusedMultiplyAdd(v.D3, Vector256.LoadUnsafe(ref rows, w3), slope);
            }

            for (int r = 4; r <= Order; r++)
            {
                slope = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref slopes, r)), Vector256.LoadUnsafe(ref rows, at + (nuint)(r * width)), slope);
            }
            accumulated = Vector256.FusedMultiplyAdd(upstream, slope, accumulated);
        }

        return upstream;
    }

    /// <summary>WriteRowWithTail: the whole vector at <paramref name="at"/>, then the last outputs one at a time from the masked vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RowWithTail(ref double table, nuint at, int tail, int rest, Vector256<double> factor, double scalar, Vector256<double> upstream, Vector256<double> upstream2)
    {
        Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(factor, upstream, Vector256.LoadUnsafe(ref table, at)), ref table, at);
        for (int q = 0; q < rest; q++)
        {
            ref double element = ref Unsafe.Add(ref table, tail + q);
            element = Math.FusedMultiplyAdd(scalar, upstream2.GetElement(4 - rest + q), element);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void AccumulateSingle(ref double y, ref double sb, ref double rows, ref double bx, ref double windows, ref int starts, int count)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            AccumulateSingleLanes(ref y, ref sb, ref rows, ref bx, ref windows, ref starts, count);
            return;
        }

        double linear = y;
        Vector256<double> spline = Vector256<double>.Zero;
        for (nint i = 0; i < count; i++)
        {
            linear = Math.FusedMultiplyAdd(Unsafe.Add(ref bx, i), Unsafe.Add(ref sb, i), linear);
            spline = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)(i * Slots)), Vector256.LoadUnsafe(ref rows, (nuint)(i * _c + Unsafe.Add(ref starts, i))), spline);
        }

        y = linear + Vector256.Sum(spline);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void BackpropSingle(ref double sc, int output, int first, ref double sb, ref double rows, ref double gsb, ref double grows, ref int starts, int count, bool inputGradient, bool regularized, ref double weight, ref double mean, ref double nodeWeight, ref double nodeMean)
    {
        double g = Unsafe.Add(ref sc, _gradients + output);
        ref double bx = ref Unsafe.Add(ref sc, _bases + first);
        ref double dbx = ref Unsafe.Add(ref sc, _baseSlopes + first);
        ref double windows = ref Unsafe.Add(ref sc, _windows + first * Slots);
        ref double slopes = ref Unsafe.Add(ref sc, _windowSlopes + first * Slots);
        ref double gx = ref Unsafe.Add(ref sc, _gradients + first);
        nint i = 0;
        if (Avx.IsSupported && !regularized)
        {
            Vector256<double> upstream4 = Vector256.Create(g);
            for (; i + 4 <= count; i += 4)
            {
                nuint at0 = (nuint)((i + 0) * _c + Unsafe.Add(ref starts, i + 0));
                Vector256<double> row0 = Vector256.LoadUnsafe(ref rows, at0);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 0) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at0)), ref grows, at0);
                nuint at1 = (nuint)((i + 1) * _c + Unsafe.Add(ref starts, i + 1));
                Vector256<double> row1 = Vector256.LoadUnsafe(ref rows, at1);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 1) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at1)), ref grows, at1);
                nuint at2 = (nuint)((i + 2) * _c + Unsafe.Add(ref starts, i + 2));
                Vector256<double> row2 = Vector256.LoadUnsafe(ref rows, at2);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 2) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at2)), ref grows, at2);
                nuint at3 = (nuint)((i + 3) * _c + Unsafe.Add(ref starts, i + 3));
                Vector256<double> row3 = Vector256.LoadUnsafe(ref rows, at3);
                Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref windows, (nuint)((i + 3) * Slots)), upstream4, Vector256.LoadUnsafe(ref grows, at3)), ref grows, at3);
                if (inputGradient)
                {
                    Vector256<double> product0 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 0) * Slots)) * row0;
                    Vector256<double> product1 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 1) * Slots)) * row1;
                    Vector256<double> product2 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 2) * Slots)) * row2;
                    Vector256<double> product3 = Vector256.LoadUnsafe(ref slopes, (nuint)((i + 3) * Slots)) * row3;
                    Vector256<double> pairs01 = Avx.HorizontalAdd(product0, product1);
                    Vector256<double> pairs23 = Avx.HorizontalAdd(product2, product3);
                    Vector256<double> sums = Avx.Permute2x128(pairs01, pairs23, 0x20) + Avx.Permute2x128(pairs01, pairs23, 0x31);
                    Vector256<double> slope = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref dbx, (nuint)i), Vector256.LoadUnsafe(ref sb, (nuint)i), sums);
                    Vector256.StoreUnsafe(upstream4 * slope, ref gx, (nuint)i);
                }
                else
                {
                    Vector256.StoreUnsafe(upstream4 * Vector256<double>.Zero, ref gx, (nuint)i);
                }

                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref gsb, (nuint)i) + Vector256.LoadUnsafe(ref bx, (nuint)i) * upstream4, ref gsb, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            nuint at = (nuint)(i * _c + Unsafe.Add(ref starts, i));
            nuint slot = (nuint)(i * Slots);
            double scaleBase = Unsafe.Add(ref sb, i);
            double upstream = g;
            if (!Vector256.IsHardwareAccelerated)
            {
                upstream = BackpropSingleLanes(ref Unsafe.Add(ref rows, at), ref Unsafe.Add(ref grows, at), ref Unsafe.Add(ref windows, slot), ref Unsafe.Add(ref slopes, slot), Unsafe.Add(ref bx, i), Unsafe.Add(ref dbx, i), scaleBase, upstream,
                    inputGradient, regularized, ref Unsafe.Add(ref weight, i), ref Unsafe.Add(ref mean, i), out Unsafe.Add(ref gx, i));
                Unsafe.Add(ref gsb, i) += Unsafe.Add(ref bx, i) * upstream;
                if (regularized)
                {
                    Unsafe.Add(ref gx, i) += Unsafe.Add(ref nodeWeight, i) * (Unsafe.Add(ref sc, first + i) - Unsafe.Add(ref nodeMean, i));
                }

                continue;
            }

            Vector256<double> window = Vector256.LoadUnsafe(ref windows, slot);
            Vector256<double> row = Vector256.LoadUnsafe(ref rows, at);
            if (regularized)
            {
                double phi = Math.FusedMultiplyAdd(Unsafe.Add(ref bx, i), scaleBase, Vector256.Sum(window * row));
                upstream += Unsafe.Add(ref weight, i) * (phi - Unsafe.Add(ref mean, i));
            }

            Vector256.StoreUnsafe(Vector256.FusedMultiplyAdd(window, Vector256.Create(upstream), Vector256.LoadUnsafe(ref grows, at)), ref grows, at);
            double slopeSum = inputGradient ? Math.FusedMultiplyAdd(Unsafe.Add(ref dbx, i), scaleBase, Vector256.Sum(Vector256.LoadUnsafe(ref slopes, slot) * row)) : 0.0;
            Unsafe.Add(ref gx, i) = upstream * slopeSum;
            Unsafe.Add(ref gsb, i) += Unsafe.Add(ref bx, i) * upstream;
            if (regularized)
            {
                Unsafe.Add(ref gx, i) += Unsafe.Add(ref nodeWeight, i) * (Unsafe.Add(ref sc, first + i) - Unsafe.Add(ref nodeMean, i));
            }
        }
    }

    /// <summary>vbx, vdbx, vb_r and vd_r of EdgeWidthEmitter's Backprop: the input's b(x), b'(x), window and slopes in every lane.</summary>
    private readonly struct Broadcasts
    {
        public Broadcasts(double bx, double dbx, ref double window, ref double slopes)
        {
            Bx = Vector256.Create(bx);
            Dbx = Vector256.Create(dbx);
            B0 = Vector256.Create(window);
            B1 = Order >= 1 ? Vector256.Create(Unsafe.Add(ref window, 1)) : default;
            B2 = Order >= 2 ? Vector256.Create(Unsafe.Add(ref window, 2)) : default;
            B3 = Order >= 3 ? Vector256.Create(Unsafe.Add(ref window, 3)) : default;
            D0 = Vector256.Create(slopes);
            D1 = Order >= 1 ? Vector256.Create(Unsafe.Add(ref slopes, 1)) : default;
            D2 = Order >= 2 ? Vector256.Create(Unsafe.Add(ref slopes, 2)) : default;
            D3 = Order >= 3 ? Vector256.Create(Unsafe.Add(ref slopes, 3)) : default;
        }

        public Vector256<double> Bx { get; }

        public Vector256<double> Dbx { get; }

        public Vector256<double> B0 { get; }

        public Vector256<double> B1 { get; }

        public Vector256<double> B2 { get; }

        public Vector256<double> B3 { get; }

        public Vector256<double> D0 { get; }

        public Vector256<double> D1 { get; }

        public Vector256<double> D2 { get; }

        public Vector256<double> D3 { get; }
    }
}
