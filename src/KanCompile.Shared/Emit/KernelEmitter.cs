using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes one kernel class: forward, trace and forward+backward code for exactly one
/// (widths, grid size, order, base function). The only place kernel code is written; the source generator
/// and the runtime's on-demand compiler both call it.
/// <para>What is unrolled and why: the basis recurrence (O(k^2) terms) and the (k+1)-term coefficient dot
/// products are unrolled, because k is tiny and they are the innermost work. Loops over nodes and edges
/// stay loops with constant bounds: unrolling them would make code size grow with width x width (a
/// [10,32,32,1] model has 1,376 edges) and slow both compilation and the JIT without saving work, since
/// the loop overhead is small beside k+1 multiply-adds per edge. Buffers are read through
/// <c>Unsafe.Add</c> after one length check per call, so the loops carry no bounds checks.</para>
/// </summary>
internal static class KernelEmitter
{

    /// <summary>Largest per-call scratch (stack) a kernel may use; bigger models are rejected (KAN0009).</summary>
    public const int MaxScratchBytes = 96 * 1024;

    /// <summary>Bytes of stack scratch one forward+backward call needs.</summary>
    public static long ScratchBytes(KernelSpec spec)
    {
        long nodes = 0, inner = 0;
        for (int l = 0; l <= spec.Depth; l++)
        {
            nodes += spec.Width(l);
            if (l < spec.Depth)
            {
                inner += spec.Width(l);
            }
        }

        int window = spec.SplineOrder + 1;
        return (2 * nodes * 8) + (inner * 4) + (inner * window * 2 * 8) + (inner * 2 * 8) + MultiplicationEmitter.ScratchBytes(spec);
    }

    public static void Write(SourceWriter w, KernelSpec spec, string className, string accessibility, string version)
    {
        var layout = new KernelLayout(spec);
        int depth = spec.Depth;
        w.Line("/// <summary>");
        w.Line("/// Compiled KAN kernel for widths [" + string.Join(", ", spec.Widths) + "]" + (spec.HasMultiplication ? " with multiplication nodes [" + string.Join(", ", spec.MultiplicationNodes) + "] of arity " + spec.MultiplicationArity : string.Empty) + ", grid size " + spec.GridSize
            + ", spline order " + spec.SplineOrder + ", base function " + spec.BaseFunction + ".");
        w.Line("/// Parameter layout per layer: coef[in][out][G+k], scale_base[in][out], scale_sp[in][out].");
        w.Line("/// </summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"KanCompile.Generators\", \"" + version + "\")]");
        w.Line("[global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]");
        using (w.Block(accessibility + " sealed class " + className + " : global::KanCompile.Compilation.KanKernel"))
        {
            w.Line("/// <summary>The shared instance (kernels are stateless).</summary>");
            w.Line("public static readonly " + className + " Instance = new " + className + "();");
            w.Line();
            w.Line("public const int InputCount = " + spec.Width(0) + ";");
            w.Line("public const int OutputCount = " + spec.Width(depth) + ";");
            w.Line("public const int ParameterCount = " + layout.ParameterCount + ";");
            w.Line("public const int EdgeCount = " + layout.EdgeCount + ";");
            w.Line("public const int NodeCount = " + layout.NodeCount + ";");
            w.Line("public const int KnotTableLength = " + layout.KnotTableLength + ";");
            w.Line();
            w.Line("private " + className + "()");
            w.Line("    : base(new int[] { " + string.Join(", ", spec.Widths) + " }, " + spec.GridSize + ", " + spec.SplineOrder
                + ", (global::KanCompile.KanBaseFunction)" + (int)spec.BaseFunction + ")");
            w.Line("{");
            w.Line("}");
            w.Line();
            WriteOverrides(w);
            WriteForward(w, layout);
            WriteTrace(w, layout);
            WriteBackward(w, layout);
            BatchKernelEmitter.Write(w, layout);
            MixedKernelEmitter.Write(w, layout);
            InputDerivativeEmitter.Write(w, layout);
            WriteValidation(w);
            BasisEmitter.Write(w, layout, withDerivative: false);
            w.Line();
            BasisEmitter.Write(w, layout, withDerivative: true);
            w.Line();
            WriteHelpers(w, layout);
        }
    }

    private static void WriteOverrides(SourceWriter w)
    {
        w.Lines("""
            /// <inheritdoc/>
            public override void Forward(global::System.ReadOnlySpan<double> input, global::System.Span<double> output, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks)
                => ForwardCore(input, output, parameters, knots, masks);

            /// <inheritdoc/>
            public override void Trace(global::System.ReadOnlySpan<double> input, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> nodeValues, global::System.Span<double> edgeValues, global::System.Span<double> splineValues)
                => TraceCore(input, parameters, knots, masks, nodeValues, edgeValues, splineValues);

            /// <inheritdoc/>
            public override double Backward(global::System.ReadOnlySpan<double> input, global::System.ReadOnlySpan<double> target, bool targetIsLabel, double scale, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient, global::System.Span<double> inputGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
                => BackwardCore(input, target, targetIsLabel, scale, parameters, knots, masks, parameterGradient, inputGradient, in statistics);

            """);
    }

    private static void WriteValidation(SourceWriter w)
    {
        w.Lines("""
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            private static void Check(int input, int output, int parameters, int knots, int masks)
            {
                if (input != InputCount || output < OutputCount || parameters != ParameterCount || knots != KnotTableLength || masks != EdgeCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowBufferMismatch(InputCount, OutputCount, ParameterCount, KnotTableLength, EdgeCount, input, output, parameters, knots, masks);
                }
            }

            """);
    }

    internal static void WriteHelpers(SourceWriter w, KernelLayout layout)
    {
        w.Line(Inline);
        w.Line("private static double Knot(ref double row, int index) => " + Unsafe + ".Add(ref row, " + layout.PhantomKnots + " + index);");
        w.Line();
        switch (layout.Spec.BaseFunction)
        {
            case KernelBaseFunction.SiLU:
                w.Line("/// <summary>SiLU b(x) = x / (1 + e^-x) and its derivative.</summary>");
                w.Line(Inline);
                using (w.Block("private static double Base(double x, out double derivative)"))
                {
                    w.Line("double sigmoid = 1.0 / (1.0 + global::System.Math.Exp(-x));");
                    w.Line("derivative = sigmoid * (1.0 + x * (1.0 - sigmoid));");
                    w.Line("return x * sigmoid;");
                }

                w.Line();
                w.Line(Inline);
                w.Line("private static double Base(double x) => x / (1.0 + global::System.Math.Exp(-x));");
                break;
            case KernelBaseFunction.Identity:
                w.Line(Inline);
                using (w.Block("private static double Base(double x, out double derivative)"))
                {
                    w.Line("derivative = 1.0;");
                    w.Line("return x;");
                }

                w.Line();
                w.Line(Inline);
                w.Line("private static double Base(double x) => x;");
                break;
            default:
                w.Line(Inline);
                using (w.Block("private static double Base(double x, out double derivative)"))
                {
                    w.Line("derivative = 0.0;");
                    w.Line("return 0.0;");
                }

                w.Line();
                w.Line(Inline);
                w.Line("private static double Base(double x) => 0.0;");
                break;
        }
    }



    internal static void WriteForward(SourceWriter w, KernelLayout layout, string accessibility = "public")
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        int depth = spec.Depth;
        w.Line("/// <summary>One sample: <paramref name=\"output\"/> = KAN(<paramref name=\"input\"/>).</summary>");
        w.Line(Optimize);
        using (w.Block(accessibility + " static void ForwardCore(global::System.ReadOnlySpan<double> input, global::System.Span<double> output, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks)"))
        {
            w.Line("Check(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);");
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double a0 = ref " + Marshal + ".GetReference(input);");
            for (int l = 1; l < depth; l++)
            {
                w.Line("global::System.Span<double> layer" + l + " = stackalloc double[" + spec.Width(l) + "];");
                w.Line("ref double a" + l + " = ref " + Marshal + ".GetReference(layer" + l + ");");
                MultiplicationEmitter.WriteSubnodeBuffer(w, layout, l);
            }

            w.Line("ref double a" + depth + " = ref " + Marshal + ".GetReference(output);");
            w.Line("output.Slice(0, OutputCount).Clear();");
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + ". y_j += mask * (scale_base * b(x_i) + scale_sp * spline(x_i)).");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteForwardNodePrologue(w, layout, l, nOut, Unsafe + ".Add(ref a" + l + ", i)");
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        // Same operations, in the same order, as the batch path's folded table (mask*scale_base,
                        // mask*scale_sp*coef, fused multiply-adds), so Forward and Predict agree bit for bit.
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double spline = mask * " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
                        w.Line("ref double y = ref " + Unsafe + ".Add(ref " + MultiplicationEmitter.Accumulator(layout, l + 1) + ", j);");
                        w.Line("double sum = global::System.Math.FusedMultiplyAdd(bx, mask * " + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e), y);");
                        for (int r = 0; r <= k; r++)
                        {
                            w.Line("sum = global::System.Math.FusedMultiplyAdd(b" + r + ", spline * " + (r == 0 ? "c" : Unsafe + ".Add(ref c, " + r + ")") + ", sum);");
                        }

                        w.Line("y = sum;");
                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                    }
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "s" + (l + 1), 0, "a" + (l + 1), 0);
            }
        }

        w.Line();
    }

    private static void WriteTrace(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        int depth = spec.Depth;
        w.Line("/// <summary>Forward pass that records every node value, every edge's activation phi and its unscaled spline value.</summary>");
        w.Line(Optimize);
        using (w.Block("public static void TraceCore(global::System.ReadOnlySpan<double> input, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> nodeValues, global::System.Span<double> edgeValues, global::System.Span<double> splineValues)"))
        {
            w.Line("Check(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);");
            using (w.Block("if (nodeValues.Length != NodeCount || edgeValues.Length != EdgeCount || splineValues.Length != EdgeCount)"))
            {
                w.Line("global::KanCompile.Compilation.KanKernel.ThrowTraceMismatch(NodeCount, EdgeCount, nodeValues.Length, edgeValues.Length, splineValues.Length);");
            }

            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double nv = ref " + Marshal + ".GetReference(nodeValues);");
            w.Line("ref double ev = ref " + Marshal + ".GetReference(edgeValues);");
            w.Line("ref double sv = ref " + Marshal + ".GetReference(splineValues);");
            w.Line("input.CopyTo(nodeValues);");
            w.Line("nodeValues.Slice(InputCount).Clear();");
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + ".");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteForwardNodePrologue(w, layout, l, nOut, Unsafe + ".Add(ref nv, " + layout.NodeOffset[l] + " + i)");
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double spline = " + EmitText.Window("b", k, "c") + ";");
                        w.Line("double phi = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e) * ("
                            + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e) * bx + " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e) * spline);");
                        w.Line(Unsafe + ".Add(ref sv, " + layout.EdgeOffset[l] + " + e) = spline;");
                        w.Line(Unsafe + ".Add(ref ev, " + layout.EdgeOffset[l] + " + e) = phi;");
                        w.Line(Unsafe + ".Add(ref nv, " + layout.SubnodeOffset[l + 1] + " + j) += phi;");
                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                    }
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "nv", layout.SubnodeOffset[l + 1], "nv", layout.NodeOffset[l + 1]);
            }
        }

        w.Line();
    }

    /// <summary>The backward passes' statistic-table references and stack scratch (node values and gradients, kept basis windows).</summary>
    internal static void WriteBackwardScratch(SourceWriter w, KernelLayout layout)
    {
        int window = layout.Spec.SplineOrder + 1, inner = layout.NodeOffset[layout.Spec.Depth];
        w.Line("ref double ea = ref " + Marshal + ".GetReference(statistics.EdgeWeight);");
        w.Line("ref double em = ref " + Marshal + ".GetReference(statistics.EdgeMean);");
        w.Line("ref double nb = ref " + Marshal + ".GetReference(statistics.NodeWeight);");
        w.Line("ref double nm = ref " + Marshal + ".GetReference(statistics.NodeMean);");
        w.Line("// Scratch: node values and gradients, and per inner node the basis window, its derivative and b(x), b'(x).");
        w.Line("global::System.Span<double> values = stackalloc double[" + layout.NodeCount + "];");
        w.Line("global::System.Span<double> gradients = stackalloc double[" + layout.NodeCount + "];");
        w.Line("global::System.Span<int> starts = stackalloc int[" + inner + "];");
        w.Line("global::System.Span<double> basis = stackalloc double[" + (inner * window * 2) + "];");
        w.Line("global::System.Span<double> residual = stackalloc double[" + (inner * 2) + "];");
        w.Line("ref double v = ref " + Marshal + ".GetReference(values);");
        w.Line("ref double g = ref " + Marshal + ".GetReference(gradients);");
        w.Line("ref int st = ref " + Marshal + ".GetReference(starts);");
        w.Line("ref double bs = ref " + Marshal + ".GetReference(basis);");
        w.Line("ref double rs = ref " + Marshal + ".GetReference(residual);");
    }

    /// <summary>
    /// Start of a forward node: its value x (read from <paramref name="input"/>), basis window b0..bk with its first
    /// coefficient index, base function b(x), the first edge index e and a ref to that edge's window of coefficients.
    /// </summary>
    internal static void WriteForwardNodePrologue(SourceWriter w, KernelLayout layout, int l, int nOut, string input)
    {
        w.Line("double x = " + input + ";");
        w.Line("int start = Basis(x, ref " + Unsafe + ".Add(ref kt, " + layout.KnotOffset[l] + " + i * " + layout.KnotRowLength + "), " + EmitText.OutParameters("b", layout.Spec.SplineOrder) + ");");
        w.Line("double bx = Base(x);");
        w.Line("int e = i * " + nOut + ";");
        w.Line("ref double c = ref " + Unsafe + ".Add(ref p, " + layout.CoefficientOffset[l] + " + e * " + layout.CoefficientsPerEdge + " + start);");
    }

    /// <summary>The loss's output gradient (squared error, or the caller's output gradient), shared by every backward pass.</summary>
    internal static void WriteOutputGradient(SourceWriter w, KernelLayout layout, int depth)
    {
        w.Line();
        w.Line("// Output gradient.");
        w.Line("double squaredError = 0.0;");
        using (w.Block("for (int o = 0; o < OutputCount; o++)"))
        {
            w.Line("double y = " + Unsafe + ".Add(ref v, " + layout.NodeOffset[depth] + " + o);");
            using (w.Block("if (targetIsLabel)"))
            {
                w.Line("double residualError = y - target[o];");
                w.Line("squaredError += residualError * residualError;");
                w.Line(Unsafe + ".Add(ref g, " + layout.NodeOffset[depth] + " + o) = 2.0 * scale * residualError;");
            }

            using (w.Block("else"))
            {
                w.Line(Unsafe + ".Add(ref g, " + layout.NodeOffset[depth] + " + o) = target[o];");
            }
        }
    }

    /// <summary>
    /// Start of a backward node: its kept basis window and derivatives, base function value and slope, and refs to its
    /// edges' coefficients and their gradient (<paramref name="loadInput"/> also loads the node's value as <c>x</c>).
    /// </summary>
    internal static void WriteBackwardNodePrologue(SourceWriter w, KernelLayout layout, int l, int nOut, bool loadInput)
    {
        int k = layout.Spec.SplineOrder, window = k + 1;
        w.Line("int n = " + layout.NodeOffset[l] + " + i;");
        if (loadInput)
        {
            w.Line("double x = " + Unsafe + ".Add(ref v, n);");
        }

        w.Line("int start = " + Unsafe + ".Add(ref st, n);");
        w.Line("ref double slot = ref " + Unsafe + ".Add(ref bs, n * " + (2 * window) + ");");
        for (int r = 0; r <= k; r++)
        {
            w.Line("double b" + r + " = " + Unsafe + ".Add(ref slot, " + r + ");");
        }

        for (int r = 0; r <= k; r++)
        {
            w.Line("double d" + r + " = " + Unsafe + ".Add(ref slot, " + (window + r) + ");");
        }

        w.Line("double bx = " + Unsafe + ".Add(ref rs, 2 * n);");
        w.Line("double dbx = " + Unsafe + ".Add(ref rs, 2 * n + 1);");
        w.Line("double gx = 0.0;");
        w.Line("int e = i * " + nOut + ";");
        w.Line("int coefficient = " + layout.CoefficientOffset[l] + " + e * " + layout.CoefficientsPerEdge + " + start;");
        w.Line("ref double c = ref " + Unsafe + ".Add(ref p, coefficient);");
        w.Line("ref double gc = ref " + Unsafe + ".Add(ref gp, coefficient);");
    }

    /// <summary>
    /// Inside a forward loop over input i of layer l: evaluates the basis window with its derivative and b(x),
    /// b'(x), and keeps them in the backward pass's scratch (starts, basis slots, residual pairs).
    /// </summary>
    internal static void WriteBasisKept(SourceWriter w, KernelLayout layout, int l)
    {
        int k = layout.Spec.SplineOrder, window = k + 1;
        w.Line("int n = " + layout.NodeOffset[l] + " + i;");
        w.Line("double x = " + Unsafe + ".Add(ref v, n);");
        w.Line("int start = BasisWithDerivative(x, ref " + Unsafe + ".Add(ref kt, " + layout.KnotOffset[l] + " + i * " + layout.KnotRowLength + "), " + EmitText.OutParameters("b", k) + ", " + EmitText.OutParameters("d", k) + ");");
        w.Line("double bx = Base(x, out double dbx);");
        w.Line(Unsafe + ".Add(ref st, n) = start;");
        w.Line("ref double slot = ref " + Unsafe + ".Add(ref bs, n * " + (2 * window) + ");");
        for (int r = 0; r <= k; r++)
        {
            w.Line(Unsafe + ".Add(ref slot, " + r + ") = b" + r + ";");
            w.Line(Unsafe + ".Add(ref slot, " + (window + r) + ") = d" + r + ";");
        }

        w.Line(Unsafe + ".Add(ref rs, 2 * n) = bx;");
        w.Line(Unsafe + ".Add(ref rs, 2 * n + 1) = dbx;");
    }

    /// <summary>
    /// One edge's spline branch in a single-sample backward pass (BackwardCore, BackwardSymbolicCore): with mask, bx, dbx,
    /// the window b0..bk, d0..dk and the coefficient refs c and gc in scope, declares the edge's upstream gradient
    /// (<paramref name="declareUpstream"/>, naming <paramref name="upstream"/>), adds the statistic term when regularised,
    /// accumulates dL/d(scale_base, scale_spline, coefficients) and adds the edge's share of dL/dx into gx.
    /// </summary>
    internal static void WriteSplineEdgeGradient(SourceWriter w, KernelLayout layout, int l, string declareUpstream, string upstream)
    {
        int k = layout.Spec.SplineOrder;
        w.Line("double scaleBase = " + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e);");
        w.Line("double scaleSpline = " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
        w.Line("double spline = " + EmitText.Window("b", k, "c") + ";");
        w.Line("double slope = " + EmitText.Window("d", k, "c") + ";");
        w.Line(declareUpstream);
        using (w.Block("if (regularized)"))
        {
            w.Line("double phi = mask * (scaleBase * bx + scaleSpline * spline);");
            w.Line(upstream + " += " + Unsafe + ".Add(ref ea, " + layout.EdgeOffset[l] + " + e) * (phi - " + Unsafe + ".Add(ref em, " + layout.EdgeOffset[l] + " + e));");
        }

        w.Line("double ge = " + upstream + " * mask;");
        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleBaseOffset[l] + " + e) += ge * bx;");
        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleSplineOffset[l] + " + e) += ge * spline;");
        w.Line("double gs = ge * scaleSpline;");
        for (int r = 0; r <= k; r++)
        {
            w.Line((r == 0 ? "gc" : Unsafe + ".Add(ref gc, " + r + ")") + " += gs * b" + r + ";");
        }

        w.Line("gx += ge * (scaleBase * dbx + scaleSpline * slope);");
    }

    private static void WriteBackward(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        int depth = spec.Depth;
        int window = k + 1;
        int inner = layout.NodeOffset[depth];
        w.Line("/// <summary>");
        w.Line("/// Forward then backward for one sample. The output gradient is <paramref name=\"target\"/> itself, or, when");
        w.Line("/// <paramref name=\"targetIsLabel\"/>, 2 * scale * (y - label) and the squared error is returned.");
        w.Line("/// Adds dL/dparameters into <paramref name=\"parameterGradient\"/>; writes dL/dinput unless that span is empty.");
        w.Line("/// </summary>");
        w.Line(Optimize);
        using (w.Block("public static double BackwardCore(global::System.ReadOnlySpan<double> input, global::System.ReadOnlySpan<double> target, bool targetIsLabel, double scale, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient, global::System.Span<double> inputGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)"))
        {
            w.Line("Check(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);");
            using (w.Block("if (parameterGradient.Length != ParameterCount || (inputGradient.Length != 0 && inputGradient.Length != InputCount))"))
            {
                w.Line("global::KanCompile.Compilation.KanKernel.ThrowGradientMismatch(ParameterCount, InputCount, parameterGradient.Length, inputGradient.Length);");
            }

            w.Line("bool regularized = statistics.IsActive;");
            using (w.Block("if (regularized)"))
            {
                w.Line("statistics.Validate(EdgeCount, NodeCount);");
            }

            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double gp = ref " + Marshal + ".GetReference(parameterGradient);");
            w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            WriteBackwardScratch(w, layout);
            w.Line("input.CopyTo(values);");
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Forward, layer " + l + ": " + nIn + " -> " + nOut + " (keeps what the backward pass needs).");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteBasisKept(w, layout, l);
                    w.Line("int e = i * " + nOut + ";");
                    w.Line("ref double c = ref " + Unsafe + ".Add(ref p, " + layout.CoefficientOffset[l] + " + e * " + layout.CoefficientsPerEdge + " + start);");
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double spline = " + EmitText.Window("b", k, "c") + ";");
                        w.Line(Unsafe + ".Add(ref v, " + layout.SubnodeOffset[l + 1] + " + j) += " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e) * ("
                            + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e) * bx + " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e) * spline);");
                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                    }
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "v", layout.SubnodeOffset[l + 1], "v", layout.NodeOffset[l + 1]);
            }

            WriteOutputGradient(w, layout, depth);

            for (int l = depth - 1; l >= 0; l--)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                MultiplicationEmitter.WriteBackward(w, layout, l + 1, "v", "g");
                w.Line();
                w.Line("// Backward, layer " + l + ": " + nOut + " -> " + nIn + ".");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteBackwardNodePrologue(w, layout, l, nOut, loadInput: false);
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        WriteSplineEdgeGradient(w, layout, l, "double upstream = " + Unsafe + ".Add(ref g, " + layout.SubnodeOffset[l + 1] + " + j);", "upstream");
                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                        w.Line("gc = ref " + Unsafe + ".Add(ref gc, " + layout.CoefficientsPerEdge + ");");
                    }

                    using (w.Block("if (regularized)"))
                    {
                        w.Line("gx += " + Unsafe + ".Add(ref nb, n) * (" + Unsafe + ".Add(ref v, n) - " + Unsafe + ".Add(ref nm, n));");
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
