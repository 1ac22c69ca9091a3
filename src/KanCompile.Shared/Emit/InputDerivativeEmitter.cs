using System.Collections.Generic;
using System.Linq;
using System.Text;
using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's input-derivative entry points (<c>InputDerivatives</c>, <c>InputDerivativesSymbolic</c>): every node
/// carries a jet — its value, its gradient with respect to the model's n inputs and the Hessian entries the call asks for
/// — through the edges (w = φ(v): ∇w = φ'·∇v, ∇²w = φ''·∇v∇vᵀ + φ'·∇²v) and the multiplication nodes (product rule).
/// <para>Layout of a jet, stride 1 + n + E: value, n gradient entries, then E Hessian entries, which are the n diagonal
/// entries (<c>SecondDerivatives.Diagonal</c>), the n(n+1)/2 entries a ≤ b of the symmetric Hessian row by row
/// (<c>Full</c>), or none. Which (a, b) entry q is comes from a pair table built once per class
/// (<c>KanKernel.HessianEntryPairs</c>), so the same loops serve every mode and a diagonal entry is computed by the
/// same operations in both Hessian modes. Values are accumulated with exactly the operations of ForwardCore (and of
/// ForwardSymbolicCore on the mixed path), so the outputs equal Forward's bit for bit.</para>
/// <para>The basis window comes with its first three derivatives (<c>BasisJet</c>): the Cox-de Boor triangle of
/// <c>Basis</c>, same operations for the values, differentiated in forward mode (left_j and right_j are linear in x).
/// The windows, b(x) and its derivatives of every inner node are kept in the per-thread scratch for the adjoint
/// (<see cref="InputDerivativeAdjointEmitter"/>). Layer 0 uses that an input's gradient is a unit vector and its
/// Hessian 0. Scratch is a per-thread array grown on first use, so a warm call allocates nothing.</para>
/// </summary>
internal static class InputDerivativeEmitter
{
    internal const string ReadOnly = "global::System.ReadOnlySpan<double>";
    internal const string Writable = "global::System.Span<double>";
    internal const string Spans = "in global::KanCompile.Compilation.SymbolicEdgeSpans symbolic";
    internal const string Dispatch = "global::KanCompile.Compilation.SymbolicDispatch";
    internal const string KanKernel = "global::KanCompile.Compilation.KanKernel";
    internal const string Second = "global::KanCompile.SecondDerivatives";
    internal const string Fma = "global::System.Math.FusedMultiplyAdd";

    /// <summary>Doubles kept per inner node: the basis window and its three derivatives, then b(x) and its three derivatives.</summary>
    internal static int WindowStride(KernelLayout layout) => 4 * (layout.Spec.SplineOrder + 1) + 4;

    public static void Write(SourceWriter w, KernelLayout layout)
    {
        w.Line("// ---- Input derivatives: outputs with their Jacobian and Hessian per sample, and the adjoint for losses on them. ----");
        w.Line();
        WriteDeclarations(w, layout);
        WriteEntryPoints(w, layout);
        WriteForwardPass(w, layout);
        WriteCopyOut(w, layout);
        WriteBasisJet(w, layout);
        WriteBaseJet(w, layout.Spec.BaseFunction);
        InputDerivativeAdjointEmitter.Write(w, layout);
    }

    private static void WriteDeclarations(SourceWriter w, KernelLayout layout)
    {
        w.Line("/// <summary>Doubles kept per inner node for the adjoint: basis window and its three derivatives, b(x) and its three derivatives.</summary>");
        w.Line("private const int DerivativeWindow = " + WindowStride(layout) + ";");
        w.Line();
        w.Line("private static readonly int[] DiagonalHessianPairs = " + KanKernel + ".HessianEntryPairs(InputCount, " + Second + ".Diagonal);");
        w.Line();
        w.Line("private static readonly int[] FullHessianPairs = " + KanKernel + ".HessianEntryPairs(InputCount, " + Second + ".Full);");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static double[]? t_derivativeScratch;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static int[]? t_derivativeStarts;");
        w.Line();
        w.Line("/// <summary>The calling thread's derivative scratch, at least <paramref name=\"length\"/> doubles (grown once, then reused).</summary>");
        using (w.Block("private static double[] DerivativeScratch(int length)"))
        {
            w.Line("double[]? scratch = t_derivativeScratch;");
            using (w.Block("if (scratch is null || scratch.Length < length)"))
            {
                w.Line("t_derivativeScratch = scratch = new double[length];");
            }

            w.Line("return scratch;");
        }

        w.Line();
        using (w.Block("private static int[] DerivativeStarts()"))
        {
            w.Line("return t_derivativeStarts ??= new int[" + System.Math.Max(1, layout.NodeOffset[layout.Spec.Depth]) + "];");
        }

        w.Line();
        w.Line("/// <summary>Hessian entries per jet for <paramref name=\"second\"/>, and the (a, b) pair table that names them.</summary>");
        using (w.Block("private static int HessianEntries(" + Second + " second, out int[] pairs)"))
        {
            w.Line("pairs = second == " + Second + ".Full ? FullHessianPairs : DiagonalHessianPairs;");
            w.Line("return second == " + Second + ".None ? 0 : pairs.Length / 2;");
        }

        w.Line();
    }

    private static void WriteEntryPoints(SourceWriter w, KernelLayout layout)
    {
        string common = ReadOnly + " input, " + Writable + " output, " + Writable + " jacobian, " + Writable + " hessian, " + Second + " second, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks";
        w.Line("/// <inheritdoc/>");
        w.Line("public override void InputDerivatives(" + common + ")");
        w.Line("    => InputDerivativesCore(input, output, jacobian, hessian, second, parameters, knots, masks, default, false);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        using (w.Block("public override void InputDerivativesSymbolic(" + common + ", " + Spans + ")"))
        {
            w.Line("symbolic.Validate(EdgeCount);");
            w.Line("InputDerivativesCore(input, output, jacobian, hessian, second, parameters, knots, masks, in symbolic, true);");
        }

        w.Line();
        w.Line("/// <summary>One sample's outputs, Jacobian and Hessian entries (with symbolic branches when <paramref name=\"withSymbolic\"/>).</summary>");
        w.Line(Optimize);
        using (w.Block("private static void InputDerivativesCore(" + common + ", " + Spans + ", bool withSymbolic)"))
        {
            w.Line("Check(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);");
            w.Line(KanKernel + ".CheckInputDerivativeBuffers(InputCount, OutputCount, second, input.Length, output.Length, jacobian.Length, hessian.Length);");
            w.Line("int entries = HessianEntries(second, out int[] pairTable);");
            w.Line("int stride = 1 + InputCount + entries;");
            w.Line("double[] scratch = DerivativeScratch(NodeCount * stride + " + layout.NodeOffset[layout.Spec.Depth] + " * DerivativeWindow);");
            w.Line("ref double jets = ref " + Marshal + ".GetArrayDataReference(scratch);");
            w.Line("ref double windows = ref " + Unsafe + ".Add(ref jets, NodeCount * stride);");
            w.Line("DerivativeForwardPass(input, ref " + Marshal + ".GetReference(parameters), ref " + Marshal + ".GetReference(knots), ref " + Marshal + ".GetReference(masks), in symbolic, withSymbolic, second != " + Second + ".None, entries, stride, ref " + Marshal + ".GetArrayDataReference(pairTable), ref jets, ref windows, ref " + Marshal + ".GetArrayDataReference(DerivativeStarts()));");
            w.Line("CopyOutputJets(ref jets, stride, entries, second, ref " + Marshal + ".GetArrayDataReference(pairTable), output, jacobian, hessian);");
        }

        w.Line();
    }

    private static void WriteForwardPass(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        w.Line("/// <summary>");
        w.Line("/// The jets of every node for one sample (stride 1 + InputCount + entries), keeping each inner node's basis window");
        w.Line("/// with its derivatives and b(x) with its derivatives in <paramref name=\"windows\"/> and its window start in <paramref name=\"starts\"/>.");
        w.Line("/// </summary>");
        w.Line(Optimize);
        using (w.Block("private static void DerivativeForwardPass(" + ReadOnly + " input, ref double p, ref double kt, ref double mk, " + Spans + ", bool withSymbolic, bool withSecond, int entries, int stride, ref int pairs, ref double jets, ref double windows, ref int starts)"))
        {
            w.Line(Marshal + ".CreateSpan(ref jets, NodeCount * stride).Clear();");
            w.Line("ref double sm = ref " + Marshal + ".GetReference(symbolic.Masks);");
            using (w.Block("for (int i = 0; i < InputCount; i++)"))
            {
                w.Line(Unsafe + ".Add(ref jets, i * stride) = input[i];");
            }

            for (int l = 0; l < spec.Depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + ". Values as ForwardCore; gradients and Hessian entries by the chain rule.");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteNodePrologue(w, layout, l, keep: true);
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double scaleBase = " + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e);");
                        w.Line("double scaleSpline = " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
                        w.Line("double phi1 = mask * (scaleBase * bx1 + scaleSpline * (" + Window("da", k, "c") + "));");
                        w.Line("double phi2 = mask * (scaleBase * bx2 + scaleSpline * (" + Window("db", k, "c") + "));");
                        w.Line("ref double target = ref " + Unsafe + ".Add(ref jets, (" + layout.SubnodeOffset[l + 1] + " + j) * stride);");
                        using (w.Block("if (withSymbolic)"))
                        {
                            w.Line("double phi = mask == 0.0 ? 0.0 : mask * (scaleBase * bx + scaleSpline * (" + Window("b", k, "c") + "));");
                            w.Line("double psi = 0.0;");
                            using (w.Block("if (" + Unsafe + ".Add(ref sm, " + layout.EdgeOffset[l] + " + e) != 0.0)"))
                            {
                                w.Line("psi = " + Dispatch + ".PsiDerivatives(in symbolic, " + layout.EdgeOffset[l] + " + e, x, withSecond, out double psi1, out double psi2);");
                                w.Line("phi1 += psi1;");
                                w.Line("phi2 += psi2;");
                            }

                            w.Line("target += phi + psi;");
                        }

                        using (w.Block("else"))
                        {
                            w.Line("double spline = mask * scaleSpline;");
                            w.Line("double sum = " + Fma + "(bx, mask * scaleBase, target);");
                            for (int r = 0; r <= k; r++)
                            {
                                w.Line("sum = " + Fma + "(b" + r + ", spline * " + (r == 0 ? "c" : Unsafe + ".Add(ref c, " + r + ")") + ", sum);");
                            }

                            w.Line("target = sum;");
                        }

                        if (l == 0)
                        {
                            w.Line("// The input's gradient is the unit vector e_i and its Hessian 0.");
                            w.Line(Unsafe + ".Add(ref target, 1 + i) += phi1;");
                            using (w.Block("if (diagonalEntry >= 0)"))
                            {
                                w.Line(Unsafe + ".Add(ref target, 1 + InputCount + diagonalEntry) += phi2;");
                            }
                        }
                        else
                        {
                            using (w.Block("for (int a = 1; a <= InputCount; a++)"))
                            {
                                w.Line(Unsafe + ".Add(ref target, a) += phi1 * " + Unsafe + ".Add(ref source, a);");
                            }

                            using (w.Block("for (int q = 0; q < entries; q++)"))
                            {
                                w.Line(Unsafe + ".Add(ref target, 1 + InputCount + q) += phi2 * " + Unsafe + ".Add(ref source, 1 + " + Unsafe + ".Add(ref pairs, 2 * q)) * "
                                    + Unsafe + ".Add(ref source, 1 + " + Unsafe + ".Add(ref pairs, 2 * q + 1)) + phi1 * " + Unsafe + ".Add(ref source, 1 + InputCount + q);");
                            }
                        }

                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                    }
                }

                WriteMultiplicationForward(w, layout, l + 1);
            }
        }

        w.Line();
    }

    /// <summary>
    /// Start of node i of layer l in a derivative pass: its jet <c>source</c>, value <c>x</c>, basis window with derivatives
    /// (b, da, db, dc prefixes) and b(x) with derivatives (bx, bx1, bx2, bx3), its window start, first edge <c>e</c> and
    /// coefficient ref <c>c</c>; on layer 0 also <c>diagonalEntry</c>, the Hessian entry of (i, i) or -1. With
    /// <paramref name="keep"/> (the forward pass) the window is evaluated and kept; otherwise it is read back.
    /// </summary>
    internal static void WriteNodePrologue(SourceWriter w, KernelLayout layout, int l, bool keep)
    {
        int k = layout.Spec.SplineOrder, window = k + 1, nOut = layout.Spec.SubnodeWidth(l + 1);
        w.Line("int node = " + layout.NodeOffset[l] + " + i;");
        w.Line("ref double source = ref " + Unsafe + ".Add(ref jets, node * stride);");
        w.Line("double x = source;");
        w.Line("ref double kept = ref " + Unsafe + ".Add(ref windows, node * DerivativeWindow);");
        if (keep)
        {
            w.Line("int start = BasisJet(x, ref " + Unsafe + ".Add(ref kt, " + layout.KnotOffset[l] + " + i * " + layout.KnotRowLength + "), ref kept);");
            w.Line(Unsafe + ".Add(ref starts, node) = start;");
            w.Line("double bx = BaseJet(x, out double bx1, out double bx2, out double bx3);");
            w.Line(Unsafe + ".Add(ref kept, " + (4 * window) + ") = bx;");
            w.Line(Unsafe + ".Add(ref kept, " + (4 * window + 1) + ") = bx1;");
            w.Line(Unsafe + ".Add(ref kept, " + (4 * window + 2) + ") = bx2;");
            w.Line(Unsafe + ".Add(ref kept, " + (4 * window + 3) + ") = bx3;");
        }
        else
        {
            w.Line("int start = " + Unsafe + ".Add(ref starts, node);");
            w.Line("double bx = " + Unsafe + ".Add(ref kept, " + (4 * window) + ");");
            w.Line("double bx1 = " + Unsafe + ".Add(ref kept, " + (4 * window + 1) + ");");
            w.Line("double bx2 = " + Unsafe + ".Add(ref kept, " + (4 * window + 2) + ");");
            w.Line("double bx3 = " + Unsafe + ".Add(ref kept, " + (4 * window + 3) + ");");
        }

        string[] prefixes = { "b", "da", "db", "dc" };
        for (int level = 0; level < 4; level++)
        {
            for (int r = 0; r <= k; r++)
            {
                w.Line("double " + prefixes[level] + r + " = " + Unsafe + ".Add(ref kept, " + (level * window + r) + ");");
            }
        }

        if (l == 0)
        {
            w.Line("int diagonalEntry = entries == 0 ? -1 : entries == InputCount ? i : i * (2 * InputCount - i + 1) / 2;");
        }

        w.Line("int e = i * " + nOut + ";");
        w.Line("int coefficient = " + layout.CoefficientOffset[l] + " + e * " + layout.CoefficientsPerEdge + " + start;");
        w.Line("ref double c = ref " + Unsafe + ".Add(ref p, coefficient);");
    }

    /// <summary>
    /// Jets of layer <paramref name="layer"/>'s nodes from its sub-nodes: addition nodes copy theirs; a multiplication node
    /// p = Π_r s_r has ∇p = Σ_r P_r·∇s_r and, per Hessian entry (a, b), Σ_r P_r·h_r + Σ_{r&lt;t} P_rt·(g_r,a·g_t,b + g_t,a·g_r,b),
    /// where P leaves out the factors in its subscript. The value is the product left to right, as Forward computes it.
    /// </summary>
    private static void WriteMultiplicationForward(SourceWriter w, KernelLayout layout, int layer)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        int node = layout.NodeOffset[layer], subnode = layout.SubnodeOffset[layer];
        w.Line();
        w.Line("// Layer " + layer + " nodes: " + sums + " addition sub-nodes pass their jets through, " + multiplications + " multiplication nodes by the product rule.");
        using (w.Block("for (int j = 0; j < " + sums + "; j++)"))
        {
            w.Line(Marshal + ".CreateSpan(ref " + Unsafe + ".Add(ref jets, (" + subnode + " + j) * stride), stride).CopyTo(" + Marshal + ".CreateSpan(ref " + Unsafe + ".Add(ref jets, (" + node + " + j) * stride), stride));");
        }

        using (w.Block("for (int m = 0; m < " + multiplications + "; m++)"))
        {
            WriteFactorRefs(w, "jets", subnode + sums, arity, "f");
            w.Line("ref double product = ref " + Unsafe + ".Add(ref jets, (" + (node + sums) + " + m) * stride);");
            WriteFactorProducts(w, arity);
            w.Line("product = " + Product(arity, new int[0]) + ";");
            using (w.Block("for (int a = 1; a <= InputCount; a++)"))
            {
                var sum = new StringBuilder();
                for (int r = 0; r < arity; r++)
                {
                    sum.Append(r == 0 ? string.Empty : " + ").Append(Others(r) + " * " + Unsafe + ".Add(ref f" + r + ", a)");
                }

                w.Line(Unsafe + ".Add(ref product, a) = " + sum + ";");
            }

            using (w.Block("for (int q = 0; q < entries; q++)"))
            {
                w.Line("int first = 1 + " + Unsafe + ".Add(ref pairs, 2 * q), second = 1 + " + Unsafe + ".Add(ref pairs, 2 * q + 1), h = 1 + InputCount + q;");
                var sum = new StringBuilder();
                for (int r = 0; r < arity; r++)
                {
                    sum.Append(r == 0 ? string.Empty : " + ").Append(Others(r) + " * " + Unsafe + ".Add(ref f" + r + ", h)");
                }

                for (int r = 0; r < arity; r++)
                {
                    for (int t = r + 1; t < arity; t++)
                    {
                        sum.Append(" + ").Append(Others(r, t) + " * (" + Unsafe + ".Add(ref f" + r + ", first) * " + Unsafe + ".Add(ref f" + t + ", second) + "
                            + Unsafe + ".Add(ref f" + t + ", first) * " + Unsafe + ".Add(ref f" + r + ", second))");
                    }
                }

                w.Line(Unsafe + ".Add(ref product, h) = " + sum + ";");
            }
        }
    }

    /// <summary><c>ref double f0 … f{arity-1}</c>: the jets (or adjoints) of multiplication node m's factors in <paramref name="table"/>.</summary>
    internal static void WriteFactorRefs(SourceWriter w, string table, int firstFactor, int arity, string name)
    {
        w.Line("ref double " + name + "0 = ref " + Unsafe + ".Add(ref " + table + ", (" + firstFactor + " + m * " + arity + ") * stride);");
        for (int r = 1; r < arity; r++)
        {
            w.Line("ref double " + name + r + " = ref " + Unsafe + ".Add(ref " + name + "0, " + r + " * stride);");
        }
    }

    /// <summary>
    /// The factor values v0…, then every product of all factors but one, two or three (<c>others_r</c>, <c>others_r_t</c>,
    /// <c>others_r_t_u</c>, indices ascending), each multiplied left to right and never by division.
    /// </summary>
    internal static void WriteFactorProducts(SourceWriter w, int arity)
    {
        for (int r = 0; r < arity; r++)
        {
            w.Line("double v" + r + " = f" + r + ";");
        }

        foreach (int[] left in Subsets(arity, 1).Concat(Subsets(arity, 2)).Concat(Subsets(arity, 3)))
        {
            w.Line("double " + OthersName(left) + " = " + Product(arity, left) + ";");
        }
    }

    internal static string Others(params int[] leftOut)
    {
        var sorted = (int[])leftOut.Clone();
        System.Array.Sort(sorted);
        return OthersName(sorted);
    }

    private static string OthersName(int[] leftOut) => "others_" + string.Join("_", leftOut);

    /// <summary>v_a * v_b * … over the factors not in <paramref name="leftOut"/>, left to right (1.0 when none is left).</summary>
    private static string Product(int arity, int[] leftOut)
    {
        var factors = new List<string>();
        for (int r = 0; r < arity; r++)
        {
            if (System.Array.IndexOf(leftOut, r) < 0)
            {
                factors.Add("v" + r);
            }
        }

        return factors.Count == 0 ? "1.0" : string.Join(" * ", factors);
    }

    private static IEnumerable<int[]> Subsets(int arity, int size)
    {
        if (size > arity)
        {
            yield break;
        }

        var indices = new int[size];
        for (int i = 0; i < size; i++)
        {
            indices[i] = i;
        }

        while (true)
        {
            yield return (int[])indices.Clone();
            int position = size - 1;
            while (position >= 0 && indices[position] == arity - size + position)
            {
                position--;
            }

            if (position < 0)
            {
                yield break;
            }

            indices[position]++;
            for (int i = position + 1; i < size; i++)
            {
                indices[i] = indices[i - 1] + 1;
            }
        }
    }

    private static void WriteCopyOut(SourceWriter w, KernelLayout layout)
    {
        int outputs = layout.NodeOffset[layout.Spec.Depth];
        w.Line("/// <summary>The output nodes' jets in the caller's layouts: values, Jacobian [o][a], Hessian [o][a] (diagonal) or [o][a][b] (full, mirrored).</summary>");
        using (w.Block("private static void CopyOutputJets(ref double jets, int stride, int entries, " + Second + " second, ref int pairs, " + Writable + " output, " + Writable + " jacobian, " + Writable + " hessian)"))
        {
            using (w.Block("for (int o = 0; o < OutputCount; o++)"))
            {
                w.Line("ref double jet = ref " + Unsafe + ".Add(ref jets, (" + outputs + " + o) * stride);");
                w.Line("output[o] = jet;");
                using (w.Block("for (int a = 0; a < InputCount; a++)"))
                {
                    w.Line("jacobian[o * InputCount + a] = " + Unsafe + ".Add(ref jet, 1 + a);");
                }

                using (w.Block("for (int q = 0; q < entries; q++)"))
                {
                    w.Line("double value = " + Unsafe + ".Add(ref jet, 1 + InputCount + q);");
                    using (w.Block("if (second == " + Second + ".Diagonal)"))
                    {
                        w.Line("hessian[o * InputCount + q] = value;");
                    }

                    using (w.Block("else"))
                    {
                        w.Line("int a = " + Unsafe + ".Add(ref pairs, 2 * q), b = " + Unsafe + ".Add(ref pairs, 2 * q + 1);");
                        w.Line("hessian[(o * InputCount + a) * InputCount + b] = value;");
                        w.Line("hessian[(o * InputCount + b) * InputCount + a] = value;");
                    }
                }
            }
        }

        w.Line();
    }

    /// <summary>
    /// <c>BasisJet</c>: the basis window of x and its first three derivatives into window[0..4(k+1)), slot level·(k+1) + r.
    /// The triangle's operations on the values are Basis's; each derivative level q follows from the product rule with
    /// left_j' = 1 and right_j' = -1: (right·temp)^(q) = right·temp^(q) - q·temp^(q-1), (left·temp)^(q) = left·temp^(q) + q·temp^(q-1).
    /// </summary>
    private static void WriteBasisJet(SourceWriter w, KernelLayout layout)
    {
        int k = layout.Spec.SplineOrder;
        int g = layout.Spec.GridSize;
        int intervals = g + 2 * k;
        int window = k + 1;
        string[] levels = { "n", "na", "nb", "nc" };
        w.Line("/// <summary>Non-zero basis window of <paramref name=\"x\"/> and its first three derivatives (slot level * " + window + " + r); returns the index of the first coefficient it weights.</summary>");
        w.Line(Inline);
        bool continues = layout.Spec.Continues;
        string point = continues ? "inside" : "x";
        using (w.Block("private static int BasisJet(double x, ref double row, ref double window)"))
        {
            if (continues)
            {
                // Continued beyond [t_k, t_{G+k}]: the jet of the nearest point of the range, the values along the tangent.
                BasisEmitter.WriteContinuedInterval(w, k, g);
            }
            else
            {
                using (w.Block("if (!(x >= Knot(ref row, 0) && x < Knot(ref row, " + intervals + ")))"))
                {
                    w.Line(Marshal + ".CreateSpan(ref window, " + (4 * window) + ").Clear();");
                    w.Line("return 0;");
                }

                BasisEmitter.WriteIntervalSearch(w, intervals);
            }

            if (k == 0)
            {
                w.Line(Marshal + ".CreateSpan(ref window, 4).Clear();");
                w.Line("window = 1.0;");
                w.Line("return mu;");
                w.Line();
                return;
            }

            w.Line("ref double t = ref " + Unsafe + ".Add(ref row, " + layout.PhantomKnots + " + mu);");
            w.Line("ref double inv = ref " + Unsafe + ".Add(ref row, " + layout.PaddedKnotCount + " + mu * " + layout.ReciprocalsPerInterval + ");");
            for (int j = 1; j <= k; j++)
            {
                w.Line("double left" + j + " = " + point + " - " + KnotAt(1 - j) + ";");
                w.Line("double right" + j + " = " + KnotAt(j) + " - " + point + ";");
            }

            foreach (string level in levels)
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line("double " + level + r + " = " + (level == "n" && r == 0 ? "1.0" : "0.0") + ";");
                }
            }

            // At triangle level j the window functions are polynomials of degree j: derivative levels above j are 0 and
            // are not computed (temp^(q) is needed up to level j - 1, the results up to level j).
            string[] temps = { "temp", "tempa", "tempb", "tempc" };
            string[] saves = { "saved", "saveda", "savedb", "savedc" };
            w.Line("double " + string.Join(", ", saves.Take(System.Math.Min(k, 3) + 1).Concat(temps.Take(System.Math.Min(k - 1, 3) + 1))) + ";");
            for (int j = 1; j <= k; j++)
            {
                if (continues && j == k)
                {
                    // The order k-1 values: the tangent's slope comes from them as in Basis, so outputs equal Forward's bits.
                    for (int r = 0; r < k; r++)
                    {
                        w.Line("double p" + r + " = n" + r + ";");
                    }
                }

                int top = System.Math.Min(j, 3), known = System.Math.Min(j - 1, 3);
                for (int q = 0; q <= top; q++)
                {
                    w.Line(saves[q] + " = 0.0;");
                }

                for (int r = 0; r < j; r++)
                {
                    string inverse = Inverse(KernelLayout.TriangleReciprocal(j, r));
                    string right = "right" + (r + 1), left = "left" + (j - r);
                    for (int q = 0; q <= known; q++)
                    {
                        w.Line(temps[q] + " = " + levels[q] + r + " * " + inverse + ";");
                    }

                    for (int q = 0; q <= top; q++)
                    {
                        string product = q <= known ? " + " + right + " * " + temps[q] : string.Empty;
                        string lower = q == 0 ? string.Empty : " - " + (q == 1 ? temps[0] : q + ".0 * " + temps[q - 1]);
                        w.Line(levels[q] + r + " = " + saves[q] + product + lower + ";");
                    }

                    for (int q = 0; q <= top; q++)
                    {
                        string product = q <= known ? left + " * " + temps[q] : string.Empty;
                        string lower = q == 0 ? string.Empty : (product.Length == 0 ? string.Empty : " + ") + (q == 1 ? temps[0] : q + ".0 * " + temps[q - 1]);
                        w.Line(saves[q] + " = " + product + lower + ";");
                    }
                }

                for (int q = 0; q <= top; q++)
                {
                    w.Line(levels[q] + j + " = " + saves[q] + ";");
                }
            }

            if (continues)
            {
                // Tangent line beyond the range: value + beyond·slope (Basis's slope formula), no curvature.
                BasisEmitter.WriteSlopes(w, k);
                for (int r = 0; r <= k; r++)
                {
                    w.Line("n" + r + " += beyond * e" + r + ";");
                }

                using (w.Block("if (beyond != 0.0)"))
                {
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line("nb" + r + " = 0.0;");
                        w.Line("nc" + r + " = 0.0;");
                    }
                }

                w.Line("int start = mu - " + k + ";");
            }
            else
            {
                BasisEmitter.WriteWindowClamp(w, k, g, levels);
            }

            for (int level = 0; level < 4; level++)
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line(Unsafe + ".Add(ref window, " + (level * window + r) + ") = " + levels[level] + r + ";");
                }
            }

            w.Line("return start;");
        }

        w.Line();

        static string Inverse(int slot) =>
            slot == 0 ? "inv" : Unsafe + ".Add(ref inv, " + slot + ")";

        static string KnotAt(int offset) =>
            offset == 0 ? "t" : Unsafe + ".Add(ref t, " + offset + ")";
    }

    /// <summary>
    /// <c>BaseJet</c>: the residual function b(x), computed exactly as <c>Base(x)</c> (so values match Forward's bits), and
    /// its first three derivatives, from one exponential.
    /// </summary>
    private static void WriteBaseJet(SourceWriter w, KernelBaseFunction function)
    {
        w.Line("/// <summary>The residual function b(x) (as Base) and its first three derivatives.</summary>");
        w.Line(Inline);
        using (w.Block("private static double BaseJet(double x, out double first, out double second, out double third)"))
        {
            switch (function)
            {
                case KernelBaseFunction.SiLU:
                    w.Line("// sigma' = sigma (1 - sigma); b'' = 2 sigma' + x sigma''; b''' = 3 sigma'' + x sigma'''.");
                    w.Line("double exp = global::System.Math.Exp(-x);");
                    w.Line("double sigmoid = 1.0 / (1.0 + exp);");
                    w.Line("double slope = sigmoid * (1.0 - sigmoid);");
                    w.Line("first = sigmoid * (1.0 + x * (1.0 - sigmoid));");
                    w.Line("second = slope * (2.0 + x * (1.0 - 2.0 * sigmoid));");
                    w.Line("third = slope * (3.0 * (1.0 - 2.0 * sigmoid) + x * (1.0 - 6.0 * sigmoid + 6.0 * sigmoid * sigmoid));");
                    w.Line("return x / (1.0 + exp);");
                    break;
                case KernelBaseFunction.Identity:
                    w.Line("first = 1.0;");
                    w.Line("second = 0.0;");
                    w.Line("third = 0.0;");
                    w.Line("return x;");
                    break;
                default:
                    w.Line("first = 0.0;");
                    w.Line("second = 0.0;");
                    w.Line("third = 0.0;");
                    w.Line("return 0.0;");
                    break;
            }
        }

        w.Line();
    }
}
