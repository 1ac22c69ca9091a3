using System;
using System.Collections.Generic;
using System.Text;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes the batch path's per-input edge helpers (Accumulate for the forward sums, Backprop and BackpropRegularized for
/// dL/dF and dL/dx) once per output width the kernel's layers have, each specialised to its width.
/// <para>Why: the helpers run once per (input, sample) and narrow layers make them short, so a helper written for any
/// width spends a large share on loop control, a run-time mask for the last partial vector and a scalar-tail check.
/// Specialised, a width of up to <see cref="MaxUnrolledVectors"/> vectors is straight-line code at constant offsets,
/// the last partial vector's mask is a constant, and there is no scalar tail; wider layers keep a loop over their whole
/// vectors. Per output lane the operations and their order are those of the scalar path, so forward sums agree bit for
/// bit whichever path runs.</para>
/// </summary>
internal static class EdgeWidthEmitter
{
    /// <summary>Vectors (of 4 outputs) up to which a width is written out straight (64 outputs); wider widths loop over whole vectors, which bounds the code size.</summary>
    public const int MaxUnrolledVectors = 16;

    /// <summary>Name of the Accumulate helper for <paramref name="width"/> outputs.</summary>
    public static string Accumulate(int width) => "AccumulateWidth" + width;

    /// <summary>Name of the Backprop (or BackpropRegularized) helper for <paramref name="width"/> outputs.</summary>
    public static string Backprop(int width, bool regularized) => (regularized ? "BackpropRegularizedWidth" : "BackpropWidth") + width;

    /// <summary>Accumulate for every width in <paramref name="forwardWidths"/>, both Backprops for every width in <paramref name="backwardWidths"/>.</summary>
    public static void Write(SourceWriter w, int k, IEnumerable<int> forwardWidths, IEnumerable<int> backwardWidths)
    {
        foreach (int width in Distinct(forwardWidths))
        {
            WriteAccumulate(w, k, width);
        }

        foreach (int width in Distinct(backwardWidths))
        {
            WriteBackprop(w, k, width, regularized: false);
            WriteBackprop(w, k, width, regularized: true);
        }
    }

    private static SortedSet<int> Distinct(IEnumerable<int> widths) => new SortedSet<int>(widths);

    private static void WriteAccumulate(SourceWriter w, int k, int width)
    {
        w.Line("/// <summary>y[j] += bx*sb[j] + Σ_r b_r*F[start+r][j] for each of the " + width + " output(s) j: one input's contribution to all its edges (b_r = window[r]).</summary>");
        w.Line(Inline);
        using (w.Block("private static void " + Accumulate(width) + "(ref double y, ref double sb, ref double rows, double bx, ref double window)"))
        {
            if (width >= 4)
            {
                using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
                {
                    WriteBroadcasts(w, k, slopes: false);
                    WriteTemporaries(w, "acc", "sum");
                    WriteVectors(w, width, (at, masked) => WriteAccumulateVector(w, k, width, at, masked), (first, second) => WriteAccumulatePair(w, k, width, first, second));
                    w.Line("return;");
                }

                w.Line();
            }

            WriteScalarComment(w, width);
            using (w.Block("for (nuint j = 0; j < " + width + "; j++)"))
            {
                w.Line("double sum = global::System.Math.FusedMultiplyAdd(bx, " + Unsafe + ".Add(ref sb, j), " + Unsafe + ".Add(ref y, j));");
                for (int r = 0; r <= k; r++)
                {
                    w.Line("sum = global::System.Math.FusedMultiplyAdd(" + Slot("window", r) + ", " + Unsafe + ".Add(ref rows, " + Row("j", r, width) + "), sum);");
                }

                w.Line(Unsafe + ".Add(ref y, j) = sum;");
            }
        }

        w.Line();
    }

    /// <summary>
    /// Backward through one input's edges: accumulates dL/dF and, when <c>inputGradient</c> (a constant at every call
    /// site, so the JIT drops the unused half), returns dL/dx. With <paramref name="regularized"/>, each edge's upstream
    /// gradient also gets weight*(phi - mean) (std-based regularisers).
    /// </summary>
    private static void WriteBackprop(SourceWriter w, int k, int width, bool regularized)
    {
        string extra = regularized ? ", ref double weight, ref double mean" : string.Empty;
        w.Line("/// <summary>dL/dF of one input's " + width + " edges" + (regularized ? " (with the statistic terms)" : string.Empty) + "; returns dL/dx when <paramref name=\"inputGradient\"/>, else 0.</summary>");
        w.Line(Inline);
        using (w.Block("private static double " + Backprop(width, regularized) + "(ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, double bx, double dbx, ref double window, ref double slopes, bool inputGradient" + extra + ")"))
        {
            if (width >= 4)
            {
                using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
                {
                    w.Line(VectorOfDouble + " accumulated = " + VectorOfDouble + ".Zero;");
                    WriteBroadcasts(w, k, slopes: true);
                    WriteTemporaries(w, regularized ? new[] { "upstream", "scaleBase", "phi", "slope" } : new[] { "upstream", "scaleBase", "slope" });
                    WriteVectors(w, width, (at, masked) => WriteBackpropVector(w, k, width, at, regularized, masked), (first, second) => WriteBackpropPair(w, k, width, first, second, regularized));
                    w.Line("// accumulated stays zero without inputGradient, but the JIT would still add up its lanes.");
                    w.Line("return inputGradient ? " + Vector + ".Sum(accumulated) : 0.0;");
                }

                w.Line();
            }

            WriteScalarComment(w, width);
            if (width >= 4)
            {
                // dL/dx in four lanes, output j in the lane its vector gives it, summed as Vector256.Sum does: the same bits.
                w.Line("double gx0 = 0.0, gx1 = 0.0, gx2 = 0.0, gx3 = 0.0;");
                using (w.Block("for (nuint j = 0; j < " + width + "; j++)"))
                {
                    WriteBackpropScalar(w, k, width, regularized);
                }

                w.Line("return (gx0 + gx1) + (gx2 + gx3);");
            }
            else
            {
                w.Line("double gx = 0.0;");
                using (w.Block("for (nuint j = 0; j < " + width + "; j++)"))
                {
                    WriteBackpropScalar(w, k, width, regularized);
                }

                w.Line("return gx;");
            }
        }

        w.Line();
    }

    private static void WriteScalarComment(SourceWriter w, int width) =>
        w.Line(width >= 4 ? "// Without vectors: one output at a time, the same operations per output." : "// Fewer outputs than a vector holds: one at a time.");

    /// <summary>vbx = bx and vb_r = window[r] in every lane (with <paramref name="slopes"/>: vdbx = dbx, vd_r = slopes[r] too).</summary>
    private static void WriteBroadcasts(SourceWriter w, int k, bool slopes)
    {
        w.Line(VectorOfDouble + " vbx = " + Vector + ".Create(bx);");
        if (slopes)
        {
            w.Line(VectorOfDouble + " vdbx = " + Vector + ".Create(dbx);");
        }

        for (int r = 0; r <= k; r++)
        {
            w.Line(VectorOfDouble + " vb" + r + " = " + Vector + ".Create(" + Slot("window", r) + ");");
            if (slopes)
            {
                w.Line(VectorOfDouble + " vd" + r + " = " + Vector + ".Create(" + Slot("slopes", r) + ");");
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="body"/> for each vector of four outputs: the whole vectors (at constant offsets, or a loop
    /// over <c>j</c> past <see cref="MaxUnrolledVectors"/>), then, when width % 4 ≠ 0, one more vector over the last four
    /// outputs whose first lanes were done already: the constant mask <c>fresh</c> selects the others. Written out, the
    /// last whole vector and that overlapping one go to <paramref name="pair"/> instead, which reads both before writing
    /// (an overlapping read right after a write stalls on store forwarding). Needs width ≥ 4.
    /// </summary>
    private static void WriteVectors(SourceWriter w, int width, Action<string, bool> body, Action<string, string> pair)
    {
        int whole = width / 4, rest = width % 4;
        if (whole <= MaxUnrolledVectors)
        {
            int single = rest > 0 ? whole - 1 : whole;
            for (int q = 0; q < single; q++)
            {
                w.Line("// Outputs " + (4 * q) + ".." + (4 * q + 3) + ".");
                body(Literal(4 * q), false);
            }

            if (rest > 0)
            {
                int last = 4 * (whole - 1);
                w.Line("// Outputs " + last + ".." + (last + 3) + " and " + (width - 4) + ".." + (width - 1) + ", which overlap: fresh selects the last " + rest + " of the second.");
                w.Line("// Both are read before either is written (a read that overlaps an earlier write waits for it: no store forwarding),");
                w.Line("// and the second is written first, so the overlapped outputs end with the first's values.");
                w.Line(VectorOfDouble + " fresh = " + Vector + ".AsDouble(" + Vector + ".Create(" + Mask(rest) + "));");
                pair(Literal(last), Literal(width - 4));
                return;
            }
        }
        else
        {
            using (w.Block("for (nuint j = 0; j < " + (4 * whole) + "; j += 4)"))
            {
                body("j", false);
            }
        }

        if (rest > 0)
        {
            w.Line("// Outputs " + (width - 4) + ".." + (width - 1) + ": the first " + (4 - rest) + " were done above, fresh selects the last " + rest + ".");
            w.Line(VectorOfDouble + " fresh = " + Vector + ".AsDouble(" + Vector + ".Create(" + Mask(rest) + "));");
            body(Literal(width - 4), true);
        }
    }

    /// <summary>
    /// The per-vector temporaries, declared once rather than in each vector's scope: the JIT inlines a method only up to a
    /// fixed number of locals, and with a set per vector [10,32,32,1]'s 32-wide Backprop stayed a call (3% more instructions).
    /// </summary>
    private static void WriteTemporaries(SourceWriter w, params string[] names)
    {
        w.Line("// One set of temporaries for all vectors: the JIT inlines only methods with few locals.");
        w.Line(VectorOfDouble + " " + string.Join(", ", names) + ";");
    }

    /// <summary><c>0L, …, -1L</c>: all bits set in the last <paramref name="fresh"/> of the four lanes.</summary>
    private static string Mask(int fresh)
    {
        var lanes = new string[4];
        for (int l = 0; l < 4; l++)
        {
            lanes[l] = l >= 4 - fresh ? "-1L" : "0L";
        }

        return string.Join(", ", lanes);
    }

    /// <summary>One vector of Accumulate at <paramref name="at"/>: y + bx*sb + Σ_r b_r*row_r; <paramref name="masked"/> keeps the lanes outside <c>fresh</c> as they were.</summary>
    private static void WriteAccumulateVector(SourceWriter w, int k, int width, string at, bool masked)
    {
        WriteAccumulateSum(w, k, width, at, "acc", "sum");
        w.Line(Vector + ".StoreUnsafe(" + (masked ? Vector + ".ConditionalSelect(fresh, sum, acc)" : "sum") + ", ref y, " + at + ");");
    }

    /// <summary>
    /// One vector of Backprop at <paramref name="at"/>: dL/dF of four edges and their share of dL/dx. <paramref name="masked"/>
    /// zeroes the upstream gradient of the lanes outside <c>fresh</c>, so their dL/dF gains exactly 0 and they add nothing to dL/dx.
    /// </summary>
    private static void WriteBackpropVector(SourceWriter w, int k, int width, string at, bool regularized, bool masked)
    {
        WriteBackpropUpstream(w, k, width, at, "upstream", regularized, masked);
        w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(vbx, upstream, " + Load("gsb", at) + "), ref gsb, " + at + ");");
        for (int r = 0; r <= k; r++)
        {
            string row = Row(at, r, width);
            w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(vb" + r + ", upstream, " + Load("grows", row) + "), ref grows, " + row + ");");
        }
    }

    /// <summary>The upstream gradient of the vector at <paramref name="at"/> into <paramref name="upstream"/> (zero outside <c>fresh</c> when <paramref name="masked"/>), and its share of dL/dx.</summary>
    private static void WriteBackpropUpstream(SourceWriter w, int k, int width, string at, string upstream, bool regularized, bool masked)
    {
        w.Line(upstream + " = " + Load("g", at) + ";");
        w.Line("scaleBase = " + Load("sb", at) + ";");
        if (regularized)
        {
            var phi = new StringBuilder("vbx * scaleBase");
            for (int r = 0; r <= k; r++)
            {
                phi.Append(" + vb" + r + " * " + Load("rows", Row(at, r, width)));
            }

            w.Line("phi = " + phi + ";");
            w.Line(upstream + " += " + Load("weight", at) + " * (phi - " + Load("mean", at) + ");");
        }

        if (masked)
        {
            w.Line(upstream + " = " + Vector + ".BitwiseAnd(" + upstream + ", fresh);");
        }

        using (w.Block("if (inputGradient)"))
        {
            w.Line("slope = vdbx * scaleBase;");
            for (int r = 0; r <= k; r++)
            {
                w.Line("slope = " + Vector + ".FusedMultiplyAdd(vd" + r + ", " + Load("rows", Row(at, r, width)) + ", slope);");
            }

            w.Line("accumulated = " + Vector + ".FusedMultiplyAdd(" + upstream + ", slope, accumulated);");
        }
    }

    /// <summary>Accumulate's last whole vector at <paramref name="first"/> and the masked one at <paramref name="second"/>, which overlaps it.</summary>
    private static void WriteAccumulatePair(SourceWriter w, int k, int width, string first, string second)
    {
        w.Line(VectorOfDouble + " acc2 = " + Load("y", second) + ";");
        WriteAccumulateSum(w, k, width, first, "acc", "sum");
        WriteAccumulateSum(w, k, width, second, "acc2", "sum2");
        w.Line(Vector + ".StoreUnsafe(" + Vector + ".ConditionalSelect(fresh, sum2, acc2), ref y, " + second + ");");
        w.Line(Vector + ".StoreUnsafe(sum, ref y, " + first + ");");
    }

    /// <summary>
    /// <paramref name="sum"/> = <paramref name="acc"/> + bx*sb + Σ_r b_r*row_r at <paramref name="at"/>. The shared
    /// temporaries acc and sum are loaded and assigned; any other pair (the overlapping vector's) is read by the caller
    /// beforehand and declared here.
    /// </summary>
    private static void WriteAccumulateSum(SourceWriter w, int k, int width, string at, string acc, string sum)
    {
        if (acc == "acc")
        {
            w.Line("acc = " + Load("y", at) + ";");
        }

        w.Line((sum == "sum" ? string.Empty : VectorOfDouble + " ") + sum + " = " + Vector + ".FusedMultiplyAdd(vbx, " + Load("sb", at) + ", " + acc + ");");
        for (int r = 0; r <= k; r++)
        {
            w.Line(sum + " = " + Vector + ".FusedMultiplyAdd(vb" + r + ", " + Load("rows", Row(at, r, width)) + ", " + sum + ");");
        }
    }

    /// <summary>
    /// Backprop's last whole vector at <paramref name="first"/> and the masked one at <paramref name="second"/>: their
    /// upstream gradients and dL/dx shares as in <see cref="WriteBackpropVector"/>; then each dL/dF row as the whole vector
    /// plus the last outputs as scalars. The rows are read again by the next sample of the block, and a read that spans two
    /// earlier stores (two overlapping vectors) cannot take its data from the store buffer: it waits until both are written
    /// ([2,5,1]: 14 % of the gradient pass). Per output the same fused multiply-add, so the bits are those of the masked vector.
    /// </summary>
    private static void WriteBackpropPair(SourceWriter w, int k, int width, string first, string second, bool regularized)
    {
        int rest = width % 4;
        WriteBackpropUpstream(w, k, width, first, "upstream", regularized, masked: false);
        w.Line(VectorOfDouble + " upstream2;");
        WriteBackpropUpstream(w, k, width, second, "upstream2", regularized, masked: true);
        w.Line("// dL/dF rows: the whole vector, then " + (rest == 1 ? "the last output" : "the last " + rest + " outputs one at a time") + ". Not a second, overlapping vector store:");
        w.Line("// the next sample's read of the same row would span two stores, which the CPU cannot forward, and wait for both.");
        for (int q = 0; q < rest; q++)
        {
            w.Line("double tail" + q + " = " + Vector + ".GetElement(upstream2, " + (4 - rest + q) + ");");
        }

        WriteRowWithTail(w, "gsb", first, width - rest, rest, "vbx", "bx");
        for (int r = 0; r <= k; r++)
        {
            WriteRowWithTail(w, "grows", Row(first, r, width), r * width + width - rest, rest, "vb" + r, Slot("window", r));
        }
    }

    /// <summary>row[at..at+3] += factor·upstream as a vector, then row[tail + q] += scalar·tail_q (the same fused multiply-add per output).</summary>
    private static void WriteRowWithTail(SourceWriter w, string table, string at, int tail, int rest, string factor, string scalar)
    {
        w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(" + factor + ", upstream, " + Load(table, at) + "), ref " + table + ", " + at + ");");
        for (int q = 0; q < rest; q++)
        {
            string element = Unsafe + ".Add(ref " + table + ", " + (tail + q) + ")";
            w.Line(element + " = global::System.Math.FusedMultiplyAdd(" + scalar + ", tail" + q + ", " + element + ");");
        }
    }

    /// <summary>
    /// One output j of Backprop without vectors. Where a vector path exists (width ≥ 4) it repeats that path's operations
    /// per output (fused multiply-adds, dL/dx in lane accumulators), so hosts without vector acceleration get the same bits.
    /// </summary>
    private static void WriteBackpropScalar(SourceWriter w, int k, int width, bool regularized)
    {
        bool matchVectors = width >= 4;
        w.Line("double upstream = " + Unsafe + ".Add(ref g, j);");
        w.Line("double scaleBase = " + Unsafe + ".Add(ref sb, j);");
        if (regularized)
        {
            var phi = new StringBuilder("bx * scaleBase");
            for (int r = 0; r <= k; r++)
            {
                phi.Append(" + " + Slot("window", r) + " * " + Unsafe + ".Add(ref rows, " + Row("j", r, width) + ")");
            }

            w.Line("upstream += " + Unsafe + ".Add(ref weight, j) * (" + phi + " - " + Unsafe + ".Add(ref mean, j));");
        }

        using (w.Block("if (inputGradient)"))
        {
            if (matchVectors)
            {
                w.Line("double slope = dbx * scaleBase;");
                for (int r = 0; r <= k; r++)
                {
                    w.Line("slope = global::System.Math.FusedMultiplyAdd(" + Slot("slopes", r) + ", " + Unsafe + ".Add(ref rows, " + Row("j", r, width) + "), slope);");
                }

                int whole = width / 4 * 4;
                w.Line("nuint lane = j < " + whole + " ? j & 3 : j - " + (width - 4) + ";");
                w.Line("if (lane == 0) gx0 = global::System.Math.FusedMultiplyAdd(upstream, slope, gx0);");
                w.Line("else if (lane == 1) gx1 = global::System.Math.FusedMultiplyAdd(upstream, slope, gx1);");
                w.Line("else if (lane == 2) gx2 = global::System.Math.FusedMultiplyAdd(upstream, slope, gx2);");
                w.Line("else gx3 = global::System.Math.FusedMultiplyAdd(upstream, slope, gx3);");
            }
            else
            {
                var slope = new StringBuilder("dbx * scaleBase");
                for (int r = 0; r <= k; r++)
                {
                    slope.Append(" + " + Slot("slopes", r) + " * " + Unsafe + ".Add(ref rows, " + Row("j", r, width) + ")");
                }

                w.Line("gx += upstream * (" + slope + ");");
            }
        }

        if (matchVectors)
        {
            w.Line(Unsafe + ".Add(ref gsb, j) = global::System.Math.FusedMultiplyAdd(bx, upstream, " + Unsafe + ".Add(ref gsb, j));");
            for (int r = 0; r <= k; r++)
            {
                string element = Unsafe + ".Add(ref grows, " + Row("j", r, width) + ")";
                w.Line(element + " = global::System.Math.FusedMultiplyAdd(" + Slot("window", r) + ", upstream, " + element + ");");
            }
        }
        else
        {
            w.Line(Unsafe + ".Add(ref gsb, j) += bx * upstream;");
            for (int r = 0; r <= k; r++)
            {
                w.Line(Unsafe + ".Add(ref grows, " + Row("j", r, width) + ") += " + Slot("window", r) + " * upstream;");
            }
        }
    }

    private static string Load(string table, string at) => Vector + ".LoadUnsafe(ref " + table + ", " + at + ")";

    private static string Slot(string table, int r) => r == 0 ? table : Unsafe + ".Add(ref " + table + ", " + r + ")";

    /// <summary>
    /// Offset of output <paramref name="at"/> in window row r: rows are <paramref name="width"/> apart, so <c>4 + 2 * 5</c>
    /// reads as "output 4 of row 2" and is one constant displacement for the JIT.
    /// </summary>
    private static string Row(string at, int r, int width)
    {
        string step = r == 0 ? string.Empty : r == 1 || width == 1 ? Literal(r * width) : r + " * " + width;
        if (step.Length == 0)
        {
            return at;
        }

        return at == "0" ? step : at + " + " + step;
    }

    private static string Literal(int value) => SourceWriter.Literal(value);
}
