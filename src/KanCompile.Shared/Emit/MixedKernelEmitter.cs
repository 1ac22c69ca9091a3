using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's mixed entry points (ForwardSymbolic, TraceSymbolic, BackwardSymbolic and their batch forms):
/// the single-sample passes with every edge's symbolic branch ψ = smask·(c·f(a·x + b) + d) added to its spline branch
/// at the node (kan-math §2.4). The symbolic configuration is a run-time argument
/// (<c>KanCompile.Compilation.SymbolicEdgeSpans</c>), and f goes through the runtime's static dispatcher
/// (<c>SymbolicDispatch</c>, a switch over function ids), so one kernel per shape serves every configuration and a
/// formula search that fixes edges one at a time never triggers a compile. The batch forms run the single-sample
/// code per sample (no folded tables): mixed models are small and pruned, and their cost is dominated by f.
/// </summary>
internal static class MixedKernelEmitter
{
    private const string Spans = "in global::KanCompile.Compilation.SymbolicEdgeSpans symbolic";
    private const string Dispatch = "global::KanCompile.Compilation.SymbolicDispatch";
    private const string KanKernel = "global::KanCompile.Compilation.KanKernel";
    private const string ReadOnly = "global::System.ReadOnlySpan<double>";
    private const string Writable = "global::System.Span<double>";

    public static void Write(SourceWriter w, KernelLayout layout)
    {
        w.Line("// ---- Mixed path: spline branches plus symbolic branches read from the run-time configuration. ----");
        w.Line();
        WriteEntryPoints(w);
        WriteForward(w, layout);
        WriteTrace(w, layout);
        WriteBackward(w, layout);
    }

    private static void WriteEntryPoints(SourceWriter w)
    {
        w.Line("/// <inheritdoc/>");
        w.Line("public override void ForwardSymbolic(" + ReadOnly + " input, " + Writable + " output, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ")");
        w.Line("    => ForwardSymbolicCore(input, output, parameters, knots, masks, in symbolic);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override void TraceSymbolic(" + ReadOnly + " input, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", " + Writable + " nodeValues, " + Writable + " edgeValues, " + Writable + " splineValues, " + Writable + " symbolicValues)");
        w.Line("    => TraceSymbolicCore(input, parameters, knots, masks, in symbolic, nodeValues, edgeValues, splineValues, symbolicValues);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override double BackwardSymbolic(" + ReadOnly + " input, " + ReadOnly + " target, bool targetIsLabel, double scale, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", " + Writable + " parameterGradient, " + Writable + " affineGradient, " + Writable + " inputGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)");
        w.Line("    => BackwardSymbolicCore(input, target, targetIsLabel, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, inputGradient, in statistics);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line(Optimize);
        using (w.Block("public override void ForwardBatchSymbolic(" + ReadOnly + " inputs, " + Writable + " outputs, int count, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ")"))
        {
            using (w.Block("if (count < 0 || inputs.Length < count * InputCount || outputs.Length < count * OutputCount)"))
            {
                w.Line(KanKernel + ".ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, outputs.Length);");
            }

            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line("ForwardSymbolicCore(inputs.Slice(s * InputCount, InputCount), outputs.Slice(s * OutputCount, OutputCount), parameters, knots, masks, in symbolic);");
            }
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line(Optimize);
        using (w.Block("public override double SquaredErrorGradientBatchSymbolic(" + ReadOnly + " inputs, " + ReadOnly + " labels, int count, double scale, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", " + Writable + " parameterGradient, " + Writable + " affineGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)"))
        {
            using (w.Block("if (count < 0 || inputs.Length < count * InputCount || labels.Length < count * OutputCount)"))
            {
                w.Line(KanKernel + ".ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, labels.Length);");
            }

            w.Line("double sum = 0.0;");
            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line("sum += BackwardSymbolicCore(inputs.Slice(s * InputCount, InputCount), labels.Slice(s * OutputCount, OutputCount), true, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, default, in statistics);");
            }

            w.Line("return sum;");
        }

        w.Line();
    }

    /// <summary>ψ of edge e of layer l at x, skipping the call when the edge's symbolic mask is 0.</summary>
    private static string Psi(KernelLayout layout, int l) =>
        "(" + Unsafe + ".Add(ref sm, " + layout.EdgeOffset[l] + " + e) == 0.0 ? 0.0 : " + Dispatch + ".Psi(in symbolic, " + layout.EdgeOffset[l] + " + e, x))";

    private static void WriteCommonReferences(SourceWriter w)
    {
        w.Line("symbolic.Validate(EdgeCount);");
        w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
        w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
        w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
        w.Line("ref double sm = ref " + Marshal + ".GetReference(symbolic.Masks);");
    }

    private static void WriteForward(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        w.Line("/// <summary>One sample with symbolic branches: <paramref name=\"output\"/> = KAN(<paramref name=\"input\"/>).</summary>");
        w.Line(Optimize);
        using (w.Block("public static void ForwardSymbolicCore(" + ReadOnly + " input, " + Writable + " output, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ")"))
        {
            w.Line("Check(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);");
            WriteCommonReferences(w);
            w.Line("global::System.Span<double> values = stackalloc double[" + layout.NodeCount + "];");
            w.Line("ref double v = ref " + Marshal + ".GetReference(values);");
            w.Line("input.CopyTo(values);");
            w.Line("values.Slice(InputCount).Clear();");
            for (int l = 0; l < spec.Depth; l++)
            {
                WriteLayer(w, layout, l, "v", ". y_j += phi + psi.", () =>
                {
                    w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                    w.Line("double phi = mask == 0.0 ? 0.0 : mask * (" + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e) * bx + "
                        + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e) * (" + Window("b", k, "c") + "));");
                    w.Line(Unsafe + ".Add(ref v, " + layout.SubnodeOffset[l + 1] + " + j) += phi + " + Psi(layout, l) + ";");
                });
            }

            w.Line();
            w.Line("values.Slice(" + layout.NodeOffset[spec.Depth] + ", OutputCount).CopyTo(output);");
        }

        w.Line();
    }

    private static void WriteTrace(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        w.Line("/// <summary>Forward with symbolic branches recording node values (phi + psi summed), each edge's phi, unscaled spline and (unless empty) psi.</summary>");
        w.Line(Optimize);
        using (w.Block("public static void TraceSymbolicCore(" + ReadOnly + " input, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", " + Writable + " nodeValues, " + Writable + " edgeValues, " + Writable + " splineValues, " + Writable + " symbolicValues)"))
        {
            w.Line("Check(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);");
            using (w.Block("if (nodeValues.Length != NodeCount || edgeValues.Length != EdgeCount || splineValues.Length != EdgeCount || (symbolicValues.Length != 0 && symbolicValues.Length != EdgeCount))"))
            {
                w.Line(KanKernel + ".ThrowTraceMismatch(NodeCount, EdgeCount, nodeValues.Length, edgeValues.Length, splineValues.Length);");
            }

            WriteCommonReferences(w);
            w.Line("bool recordPsi = symbolicValues.Length != 0;");
            w.Line("ref double nv = ref " + Marshal + ".GetReference(nodeValues);");
            w.Line("ref double ev = ref " + Marshal + ".GetReference(edgeValues);");
            w.Line("ref double sv = ref " + Marshal + ".GetReference(splineValues);");
            w.Line("ref double pv = ref " + Marshal + ".GetReference(symbolicValues);");
            w.Line("input.CopyTo(nodeValues);");
            w.Line("nodeValues.Slice(InputCount).Clear();");
            for (int l = 0; l < spec.Depth; l++)
            {
                WriteLayer(w, layout, l, "nv", ".", () =>
                {
                    w.Line("double spline = " + Window("b", k, "c") + ";");
                    w.Line("double phi = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e) * ("
                        + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e) * bx + " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e) * spline);");
                    w.Line("double psi = " + Psi(layout, l) + ";");
                    w.Line(Unsafe + ".Add(ref sv, " + layout.EdgeOffset[l] + " + e) = spline;");
                    w.Line(Unsafe + ".Add(ref ev, " + layout.EdgeOffset[l] + " + e) = phi;");
                    using (w.Block("if (recordPsi)"))
                    {
                        w.Line(Unsafe + ".Add(ref pv, " + layout.EdgeOffset[l] + " + e) = psi;");
                    }

                    w.Line(Unsafe + ".Add(ref nv, " + layout.SubnodeOffset[l + 1] + " + j) += phi + psi;");
                });
            }
        }

        w.Line();
    }

    /// <summary>
    /// One layer of the forward or trace pass: for each input node its prologue (x, basis window, b(x)), then
    /// <paramref name="edgeBody"/> for each of its edges, then the layer's multiplication step on <paramref name="values"/>.
    /// </summary>
    private static void WriteLayer(SourceWriter w, KernelLayout layout, int l, string values, string commentTail, Action edgeBody)
    {
        int nIn = layout.Spec.Width(l), nOut = layout.Spec.SubnodeWidth(l + 1);
        w.Line();
        w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + commentTail);
        using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
        {
            KernelEmitter.WriteForwardNodePrologue(w, layout, l, nOut, Unsafe + ".Add(ref " + values + ", " + layout.NodeOffset[l] + " + i)");
            using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
            {
                edgeBody();
                w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
            }
        }

        MultiplicationEmitter.WriteForward(w, layout, l + 1, values, layout.SubnodeOffset[l + 1], values, layout.NodeOffset[l + 1]);
    }

    private static void WriteBackward(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        int depth = spec.Depth;
        int window = k + 1;
        w.Line("/// <summary>");
        w.Line("/// Forward then backward for one sample with symbolic branches: as BackwardCore, and adds dL/d(a, b, c, d) of every");
        w.Line("/// edge into <paramref name=\"affineGradient\"/> unless it is empty. Statistic terms act on phi alone (pykan regularises splines).");
        w.Line("/// </summary>");
        w.Line(Optimize);
        using (w.Block("public static double BackwardSymbolicCore(" + ReadOnly + " input, " + ReadOnly + " target, bool targetIsLabel, double scale, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", " + Writable + " parameterGradient, " + Writable + " affineGradient, " + Writable + " inputGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)"))
        {
            w.Line("Check(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);");
            using (w.Block("if (parameterGradient.Length != ParameterCount || (inputGradient.Length != 0 && inputGradient.Length != InputCount))"))
            {
                w.Line(KanKernel + ".ThrowGradientMismatch(ParameterCount, InputCount, parameterGradient.Length, inputGradient.Length);");
            }

            using (w.Block("if (affineGradient.Length != 0 && affineGradient.Length != EdgeCount * 4)"))
            {
                w.Line(KanKernel + ".ThrowAffineGradientMismatch(EdgeCount, affineGradient.Length);");
            }

            w.Line("bool regularized = statistics.IsActive;");
            using (w.Block("if (regularized)"))
            {
                w.Line("statistics.Validate(EdgeCount, NodeCount);");
            }

            WriteCommonReferences(w);
            w.Line("ref double gp = ref " + Marshal + ".GetReference(parameterGradient);");
            KernelEmitter.WriteBackwardScratch(w, layout);
            w.Line("input.CopyTo(values);");
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Forward, layer " + l + ": " + nIn + " -> " + nOut + " (keeps what the backward pass needs).");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    KernelEmitter.WriteBasisKept(w, layout, l);
                    w.Line("int e = i * " + nOut + ";");
                    w.Line("ref double c = ref " + Unsafe + ".Add(ref p, " + layout.CoefficientOffset[l] + " + e * " + layout.CoefficientsPerEdge + " + start);");
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double phi = mask == 0.0 ? 0.0 : mask * (" + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e) * bx + "
                            + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e) * (" + Window("b", k, "c") + "));");
                        w.Line(Unsafe + ".Add(ref v, " + layout.SubnodeOffset[l + 1] + " + j) += phi + " + Psi(layout, l) + ";");
                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                    }
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "v", layout.SubnodeOffset[l + 1], "v", layout.NodeOffset[l + 1]);
            }

            KernelEmitter.WriteOutputGradient(w, layout, depth);

            for (int l = depth - 1; l >= 0; l--)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                MultiplicationEmitter.WriteBackward(w, layout, l + 1, "v", "g");
                w.Line();
                w.Line("// Backward, layer " + l + ": " + nOut + " -> " + nIn + ".");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    KernelEmitter.WriteBackwardNodePrologue(w, layout, l, nOut, loadInput: true);
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double upstream = " + Unsafe + ".Add(ref g, " + layout.SubnodeOffset[l + 1] + " + j);");
                        w.Line("// Numeric branch (a masked-out spline contributes nothing, statistic terms included).");
                        using (w.Block("if (mask != 0.0)"))
                        {
                            KernelEmitter.WriteSplineEdgeGradient(w, layout, l, "double dphi = upstream;", "dphi");
                        }

                        w.Line("// Symbolic branch: psi = smask * (c * f(a * x + b) + d).");
                        using (w.Block("if (" + Unsafe + ".Add(ref sm, " + layout.EdgeOffset[l] + " + e) != 0.0)"))
                        {
                            w.Line("gx += " + Dispatch + ".Backpropagate(in symbolic, " + layout.EdgeOffset[l] + " + e, x, upstream, affineGradient);");
                        }

                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                        w.Line("gc = ref " + Unsafe + ".Add(ref gc, " + layout.CoefficientsPerEdge + ");");
                    }

                    using (w.Block("if (regularized)"))
                    {
                        w.Line("gx += " + Unsafe + ".Add(ref nb, n) * (x - " + Unsafe + ".Add(ref nm, n));");
                    }

                    w.Line(Unsafe + ".Add(ref g, n) = gx;");
                }
            }

            w.Line();
            using (w.Block("if (inputGradient.Length != 0)"))
            {
                w.Line("gradients.Slice(0, InputCount).CopyTo(inputGradient);");
            }

            w.Line("return squaredError;");
        }

        w.Line();
    }
}
