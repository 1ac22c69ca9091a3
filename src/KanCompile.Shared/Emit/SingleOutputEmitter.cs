using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// The batch gradient's path for layers with ONE output (every output layer of an [n, …, 1] model).
/// <para>Why: the general path puts vector lanes over a layer's outputs, so with one output it runs entirely in its
/// scalar tail (about 75 instructions per edge). With one output, F is [in][G+k][1], so the k+1 rows a window selects
/// are k+1 consecutive doubles: when k+1 fills whole vectors (k = 3: one Vector256), each edge becomes one vector
/// multiply-add against the stored basis window, forward and backward, and the lanes run over the window instead.
/// Used only when k+1 is exactly one vector (k = 3, four window slots): the helpers load one four-wide vector per
/// window, so no load reaches past an edge's coefficients and none leaves a slot out (k = 7 also fills its slots, but
/// with two vectors, and takes the general path).</para>
/// </summary>
internal static class SingleOutputEmitter
{
    /// <summary>True when layer <paramref name="layer"/> (to <paramref name="layer"/>+1) takes the one-output path.</summary>
    public static bool Applies(KernelLayout layout, int layer, int windowSlots) =>
        layout.Spec.SubnodeWidth(layer + 1) == 1 && layout.Spec.SplineOrder + 1 == windowSlots && windowSlots == 4;

    /// <summary>Forward through a one-output layer for every sample of the block (the node sums of the next layer).</summary>
    public static void WriteForward(SourceWriter w, KernelLayout layout, int l, int foldCoefficients, int foldBase, string sample)
    {
        KernelSpec spec = layout.Spec;
        int nIn = spec.Width(l), first = layout.NodeOffset[l];
        w.Line("// " + nIn + " -> 1: all of a sample's edges at once, each a vector multiply-add of its window with k+1 consecutive entries of F.");
        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line(sample);
            w.Line("AccumulateSingle(ref " + Unsafe + ".Add(ref sc, " + layout.SubnodeOffset[l + 1] + "), ref " + Unsafe + ".Add(ref f, " + foldBase + "), ref " + Unsafe + ".Add(ref f, " + foldCoefficients + "), ref "
                + Unsafe + ".Add(ref sc, ScratchBases + " + first + "), ref " + Unsafe + ".Add(ref sc, ScratchWindows + " + first + " * WindowSlots), ref " + Unsafe + ".Add(ref starts, s * NodeCount + " + first + "), " + nIn + ");");
        }
    }

    /// <summary>Backward through a one-output layer for every sample of the block: dL/dF, and dL/dx of its inputs.</summary>
    public static void WriteBackward(SourceWriter w, KernelLayout layout, int l, int foldCoefficients, int foldBase, string sample)
    {
        KernelSpec spec = layout.Spec;
        int nIn = spec.Width(l), first = layout.NodeOffset[l];
        string inputGradient = l > 0 ? "true" : "false /* inputs need no gradient */";
        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line(sample);
            string common = "ref sc, " + layout.SubnodeOffset[l + 1] + ", " + first + ", ref " + Unsafe + ".Add(ref f, " + foldBase + "), ref " + Unsafe + ".Add(ref f, " + foldCoefficients + "), ref "
                + Unsafe + ".Add(ref af, " + foldBase + "), ref " + Unsafe + ".Add(ref af, " + foldCoefficients + "), ref " + Unsafe + ".Add(ref starts, s * NodeCount + " + first + "), " + nIn + ", " + inputGradient;
            string statistics = "ref " + Unsafe + ".Add(ref ea, " + layout.EdgeOffset[l] + "), ref " + Unsafe + ".Add(ref em, " + layout.EdgeOffset[l] + "), ref " + Unsafe + ".Add(ref nb, " + first + "), ref " + Unsafe + ".Add(ref nm, " + first + ")";
            using (w.Block("if (regularized)"))
            {
                w.Line("BackpropSingle(" + common + ", true, " + statistics + ");");
            }

            using (w.Block("else"))
            {
                w.Line("BackpropSingle(" + common + ", false, ref ea, ref em, ref nb, ref nm);");
            }
        }
    }

    /// <summary>The helpers both paths call: AccumulateSingle and BackpropSingle.</summary>
    public static void WriteHelpers(SourceWriter w, KernelLayout layout)
    {
        int k = layout.Spec.SplineOrder, c = layout.CoefficientsPerEdge;
        w.Line("/// <summary>y += Σ_i (bx[i]*sb[i] + Σ_r window_i[r]*F[i][start_i + r]) for a layer with one output (F is [in][G+k]: a window's rows are consecutive).</summary>");
        w.Line(Inline);
        using (w.Block("private static void AccumulateSingle(ref double y, ref double sb, ref double rows, ref double bx, ref double windows, ref int starts, int count)"))
        {
            w.Line("double linear = y;");
            using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
            {
                w.Line(VectorOfDouble + " spline = " + VectorOfDouble + ".Zero;");
                using (w.Block("for (nint i = 0; i < count; i++)"))
                {
                    w.Line("linear = global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref bx, i), " + Unsafe + ".Add(ref sb, i), linear);");
                    w.Line("spline = " + Vector + ".FusedMultiplyAdd(" + Vector + ".LoadUnsafe(ref windows, (nuint)(i * WindowSlots)), " + Vector + ".LoadUnsafe(ref rows, (nuint)(i * " + c + " + " + Unsafe + ".Add(ref starts, i))), spline);");
                }

                w.Line("y = linear + " + Vector + ".Sum(spline);");
                w.Line("return;");
            }

            w.Line("// Without vectors: the vector path's operations lane by lane (the window's four slots), so the same bits.");
            w.Line("double spline0 = 0.0, spline1 = 0.0, spline2 = 0.0, spline3 = 0.0;");
            using (w.Block("for (nint i = 0; i < count; i++)"))
            {
                w.Line("linear = global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref bx, i), " + Unsafe + ".Add(ref sb, i), linear);");
                w.Line("ref double row = ref " + Unsafe + ".Add(ref rows, i * " + c + " + " + Unsafe + ".Add(ref starts, i));");
                w.Line("ref double window = ref " + Unsafe + ".Add(ref windows, i * WindowSlots);");
                for (int r = 0; r < 4; r++)
                {
                    w.Line("spline" + r + " = global::System.Math.FusedMultiplyAdd(" + Slot("window", r) + ", " + Slot("row", r) + ", spline" + r + ");");
                }
            }

            w.Line("y = linear + ((spline0 + spline1) + (spline2 + spline3));");
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// One sample's backward step through a layer with one output (upstream gradient at sc[output]): dL/dF of every edge");
        w.Line("/// and, when <paramref name=\"inputGradient\"/>, dL/dx of every input into sc[ScratchGradients + first + i]. With");
        w.Line("/// <paramref name=\"regularized\"/> (a constant at each call site) the statistic terms join, as in BackpropRegularized.");
        w.Line("/// </summary>");
        w.Line(Inline);
        using (w.Block("private static void BackpropSingle(ref double sc, int output, int first, ref double sb, ref double rows, ref double gsb, ref double grows, ref int starts, int count, bool inputGradient, bool regularized, ref double weight, ref double mean, ref double nodeWeight, ref double nodeMean)"))
        {
            w.Line("double g = " + Unsafe + ".Add(ref sc, ScratchGradients + output);");
            w.Line("ref double bx = ref " + Unsafe + ".Add(ref sc, ScratchBases + first);");
            w.Line("ref double dbx = ref " + Unsafe + ".Add(ref sc, ScratchBaseSlopes + first);");
            w.Line("ref double windows = ref " + Unsafe + ".Add(ref sc, ScratchWindows + first * WindowSlots);");
            w.Line("ref double slopes = ref " + Unsafe + ".Add(ref sc, ScratchWindowSlopes + first * WindowSlots);");
            w.Line("ref double gx = ref " + Unsafe + ".Add(ref sc, ScratchGradients + first);");
            w.Line("nint i = 0;");
            WriteBackpropFourInputs(w, c);
            using (w.Block("for (; i < count; i++)"))
            {
                w.Line("nuint at = (nuint)(i * " + c + " + " + Unsafe + ".Add(ref starts, i));");
                w.Line("nuint slot = (nuint)(i * WindowSlots);");
                w.Line("double scaleBase = " + Unsafe + ".Add(ref sb, i);");
                w.Line("double upstream = g;");
                using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
                {
                    w.Line(VectorOfDouble + " window = " + Vector + ".LoadUnsafe(ref windows, slot);");
                    w.Line(VectorOfDouble + " row = " + Vector + ".LoadUnsafe(ref rows, at);");
                    using (w.Block("if (regularized)"))
                    {
                        w.Line("double phi = global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref bx, i), scaleBase, " + Vector + ".Sum(window * row));");
                        w.Line("upstream += " + Unsafe + ".Add(ref weight, i) * (phi - " + Unsafe + ".Add(ref mean, i));");
                    }

                    w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(window, " + Vector + ".Create(upstream), " + Vector + ".LoadUnsafe(ref grows, at)), ref grows, at);");
                    w.Line("double slope = inputGradient ? global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref dbx, i), scaleBase, " + Vector + ".Sum(" + Vector + ".LoadUnsafe(ref slopes, slot) * row)) : 0.0;");
                    w.Line(Unsafe + ".Add(ref gx, i) = upstream * slope;");
                }

                using (w.Block("else"))
                {
                    w.Line("// Without vectors: the vector path's operations lane by lane (four window slots), so the same bits.");
                    w.Line("ref double row = ref " + Unsafe + ".Add(ref rows, at);");
                    w.Line("ref double grow = ref " + Unsafe + ".Add(ref grows, at);");
                    w.Line("ref double window = ref " + Unsafe + ".Add(ref windows, slot);");
                    using (w.Block("if (regularized)"))
                    {
                        w.Line("double phi = global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref bx, i), scaleBase, " + LaneSum("window", "row") + ");");
                        w.Line("upstream += " + Unsafe + ".Add(ref weight, i) * (phi - " + Unsafe + ".Add(ref mean, i));");
                    }

                    for (int r = 0; r < 4; r++)
                    {
                        w.Line(Slot("grow", r) + " = global::System.Math.FusedMultiplyAdd(" + Slot("window", r) + ", upstream, " + Slot("grow", r) + ");");
                    }

                    w.Line("ref double slopeWindow = ref " + Unsafe + ".Add(ref slopes, slot);");
                    w.Line("double slope = inputGradient ? global::System.Math.FusedMultiplyAdd(" + Unsafe + ".Add(ref dbx, i), scaleBase, " + LaneSum("slopeWindow", "row") + ") : 0.0;");
                    w.Line(Unsafe + ".Add(ref gx, i) = upstream * slope;");
                }

                w.Line(Unsafe + ".Add(ref gsb, i) += " + Unsafe + ".Add(ref bx, i) * upstream;");
                using (w.Block("if (regularized)"))
                {
                    w.Line(Unsafe + ".Add(ref gx, i) += " + Unsafe + ".Add(ref nodeWeight, i) * (" + Unsafe + ".Add(ref sc, first + i) - " + Unsafe + ".Add(ref nodeMean, i));");
                }
            }
        }

        w.Line();
    }

    /// <summary>Vector256.Sum(a * b) over four slots, written out: (a0·b0 + a1·b1) + (a2·b2 + a3·b3).</summary>
    private static string LaneSum(string a, string b) =>
        "(" + Slot(a, 0) + " * " + Slot(b, 0) + " + " + Slot(a, 1) + " * " + Slot(b, 1) + ") + (" + Slot(a, 2) + " * " + Slot(b, 2) + " + " + Slot(a, 3) + " * " + Slot(b, 3) + ")";

    private static string Slot(string table, int r) => r == 0 ? table : Unsafe + ".Add(ref " + table + ", " + r + ")";

    /// <summary>
    /// BackpropSingle's fast path, four inputs per step (without statistic terms): each input's window slope dot
    /// product is a 4-lane product, and the four are summed across with two horizontal adds and two 128-bit shuffles
    /// instead of four separate horizontal sums. The pairing is Vector256.Sum's, (a0+a1)+(a2+a3), so results are
    /// bit-identical to the one-input loop that finishes the layer.
    /// </summary>
    private static void WriteBackpropFourInputs(SourceWriter w, int coefficients)
    {
        const string Avx = "global::System.Runtime.Intrinsics.X86.Avx";
        using (w.Block("if (" + Avx + ".IsSupported && !regularized)"))
        {
            w.Line(VectorOfDouble + " upstream4 = " + Vector + ".Create(g);");
            using (w.Block("for (; i + 4 <= count; i += 4)"))
            {
                for (int e = 0; e < 4; e++)
                {
                    w.Line("nuint at" + e + " = (nuint)((i + " + e + ") * " + coefficients + " + " + Unsafe + ".Add(ref starts, i + " + e + "));");
                    w.Line(VectorOfDouble + " row" + e + " = " + Vector + ".LoadUnsafe(ref rows, at" + e + ");");
                    w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(" + Vector + ".LoadUnsafe(ref windows, (nuint)((i + " + e + ") * WindowSlots)), upstream4, " + Vector + ".LoadUnsafe(ref grows, at" + e + ")), ref grows, at" + e + ");");
                }

                using (w.Block("if (inputGradient)"))
                {
                    for (int e = 0; e < 4; e++)
                    {
                        w.Line(VectorOfDouble + " product" + e + " = " + Vector + ".LoadUnsafe(ref slopes, (nuint)((i + " + e + ") * WindowSlots)) * row" + e + ";");
                    }

                    w.Line("// [p0_0+p0_1, p1_0+p1_1, p0_2+p0_3, p1_2+p1_3] and the same for p2, p3; then low halves + high halves.");
                    w.Line(VectorOfDouble + " pairs01 = " + Avx + ".HorizontalAdd(product0, product1);");
                    w.Line(VectorOfDouble + " pairs23 = " + Avx + ".HorizontalAdd(product2, product3);");
                    w.Line(VectorOfDouble + " sums = " + Avx + ".Permute2x128(pairs01, pairs23, 0x20) + " + Avx + ".Permute2x128(pairs01, pairs23, 0x31);");
                    w.Line(VectorOfDouble + " slope = " + Vector + ".FusedMultiplyAdd(" + Vector + ".LoadUnsafe(ref dbx, (nuint)i), " + Vector + ".LoadUnsafe(ref sb, (nuint)i), sums);");
                    w.Line(Vector + ".StoreUnsafe(upstream4 * slope, ref gx, (nuint)i);");
                }

                using (w.Block("else"))
                {
                    w.Line("// upstream * 0, not 0: the same signed zero as the one-input loop.");
                    w.Line(Vector + ".StoreUnsafe(upstream4 * " + VectorOfDouble + ".Zero, ref gx, (nuint)i);");
                }

                w.Line("// gsb += bx*upstream as a multiply, then an add (not fused), like the one-input loop.");
                w.Line(Vector + ".StoreUnsafe(" + Vector + ".LoadUnsafe(ref gsb, (nuint)i) + " + Vector + ".LoadUnsafe(ref bx, (nuint)i) * upstream4, ref gsb, (nuint)i);");
            }
        }

        w.Line();
    }
}
