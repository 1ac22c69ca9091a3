using System.Text;
using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's batch path (ForwardBatch, SquaredErrorGradientBatch), used by Predict and training.
/// <para>Why it differs from the single-sample path: per call the parameters are first "folded" into a
/// table F = mask·scale_sp·coef laid out [in][G+k][out] (plus mask·scale_base as [in][out]). For one input
/// value the k+1 non-zero basis functions then select k+1 consecutive rows of F, and every outgoing edge is
/// updated at once by a few vector multiply-adds over the outputs (Vector256 where the hardware has it,
/// scalar otherwise). Backward accumulates dL/dF the same way and unfolds it into dL/dθ once per call.
/// Folding costs O(parameters) per call, small beside O(samples × edges) work. Summation order differs
/// from the reference engine (folded scales, vector lanes), so results agree to rounding, not bit for bit.</para>
/// </summary>
internal static class BatchKernelEmitter
{

    public static void Write(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int depth = spec.Depth;
        int c = layout.CoefficientsPerEdge;
        var foldCoefficients = new int[depth];
        var foldBase = new int[depth];
        int length = 0;
        for (int l = 0; l < depth; l++)
        {
            foldCoefficients[l] = length;
            length += spec.Width(l) * c * spec.SubnodeWidth(l + 1);
            foldBase[l] = length;
            length += spec.Width(l) * spec.SubnodeWidth(l + 1);
        }

        w.Line("// ---- Batch path: folded table F = mask*scale_sp*coef as [in][G+k][out], mask*scale_base as [in][out]. ----");
        w.Line();
        w.Line("/// <summary>Length of the folded parameter table.</summary>");
        w.Line("public const int FoldedLength = " + length + ";");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static double[]? t_folded;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static double[]? t_foldedGradient;");
        w.Line();
        WriteEntryPoints(w);
        WriteFold(w, layout, foldCoefficients, foldBase);
        WriteUnfold(w, layout, foldCoefficients, foldBase);
        WriteForwardFolded(w, layout, foldCoefficients, foldBase);
        WriteBackwardFolded(w, layout, foldCoefficients, foldBase);
        WriteAccumulate(w, spec.SplineOrder);
        WriteBackprop(w, spec.SplineOrder, regularized: false);
        WriteBackprop(w, spec.SplineOrder, regularized: true);
    }

    private static void WriteEntryPoints(SourceWriter w)
    {
        w.Lines("""
            /// <inheritdoc/>
            public override void ForwardBatch(global::System.ReadOnlySpan<double> inputs, global::System.Span<double> outputs, int count, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks)
            {
                Check(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
                if (count < 0 || inputs.Length < count * InputCount || outputs.Length < count * OutputCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, outputs.Length);
                }

                double[] folded = t_folded ??= new double[FoldedLength];
                Fold(parameters, masks, folded);
                ref double f = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(folded);
                ref double kt = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(knots);
                ref double x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(inputs);
                ref double y = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(outputs);
                for (int s = 0; s < count; s++)
                {
                    ForwardFolded(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, s * InputCount), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, s * OutputCount), ref f, ref kt);
                }
            }

            /// <inheritdoc/>
            public override double SquaredErrorGradientBatch(global::System.ReadOnlySpan<double> inputs, global::System.ReadOnlySpan<double> labels, int count, double scale, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
            {
                Check(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
                if (count < 0 || inputs.Length < count * InputCount || labels.Length < count * OutputCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, labels.Length);
                }

                if (parameterGradient.Length != ParameterCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowGradientMismatch(ParameterCount, InputCount, parameterGradient.Length, 0);
                }

                if (statistics.IsActive)
                {
                    statistics.Validate(EdgeCount, NodeCount);
                }

                double[] folded = t_folded ??= new double[FoldedLength];
                double[] foldedGradient = t_foldedGradient ??= new double[FoldedLength];
                Fold(parameters, masks, folded);
                ref double f = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(folded);
                ref double af = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(foldedGradient);
                ref double kt = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(knots);
                ref double x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(inputs);
                ref double t = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(labels);
                double sum = 0.0;
                for (int s = 0; s < count; s++)
                {
                    sum += BackwardFolded(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, s * InputCount), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref t, s * OutputCount), scale, ref f, ref af, ref kt, in statistics);
                }

                Unfold(foldedGradient, parameters, masks, parameterGradient);
                return sum;
            }

            """);
    }

    private static void WriteFold(SourceWriter w, KernelLayout layout, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int c = layout.CoefficientsPerEdge;
        w.Line("/// <summary>F = mask*scale_sp*coef as [in][G+k][out] and mask*scale_base as [in][out], layer after layer.</summary>");
        using (w.Block("private static void Fold(global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> masks, double[] folded)"))
        {
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double f = ref " + Marshal + ".GetArrayDataReference(folded);");
            for (int l = 0; l < spec.Depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++)"))
                    {
                        w.Line("int e = i * " + nOut + " + j;");
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line(Unsafe + ".Add(ref f, " + foldBase[l] + " + e) = mask * " + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e);");
                        w.Line("double spline = mask * " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
                        w.Line("ref double coefficient = ref " + Unsafe + ".Add(ref p, " + layout.CoefficientOffset[l] + " + e * " + c + ");");
                        using (w.Block("for (int m = 0; m < " + c + "; m++)"))
                        {
                            w.Line(Unsafe + ".Add(ref f, " + foldCoefficients[l] + " + (i * " + c + " + m) * " + nOut + " + j) = spline * " + Unsafe + ".Add(ref coefficient, m);");
                        }
                    }
                }
            }
        }

        w.Line();
    }

    private static void WriteUnfold(SourceWriter w, KernelLayout layout, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int c = layout.CoefficientsPerEdge;
        w.Line("/// <summary>Adds dL/dθ from dL/dF (chain rule through the fold) and clears dL/dF for the next call.</summary>");
        using (w.Block("private static void Unfold(double[] foldedGradient, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient)"))
        {
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double gp = ref " + Marshal + ".GetReference(parameterGradient);");
            w.Line("ref double af = ref " + Marshal + ".GetArrayDataReference(foldedGradient);");
            for (int l = 0; l < spec.Depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    using (w.Block("for (int j = 0; j < " + nOut + "; j++)"))
                    {
                        w.Line("int e = i * " + nOut + " + j;");
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double spline = mask * " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
                        w.Line("ref double coefficient = ref " + Unsafe + ".Add(ref p, " + layout.CoefficientOffset[l] + " + e * " + c + ");");
                        w.Line("ref double coefficientGradient = ref " + Unsafe + ".Add(ref gp, " + layout.CoefficientOffset[l] + " + e * " + c + ");");
                        w.Line("double splineScaleGradient = 0.0;");
                        using (w.Block("for (int m = 0; m < " + c + "; m++)"))
                        {
                            w.Line("ref double a = ref " + Unsafe + ".Add(ref af, " + foldCoefficients[l] + " + (i * " + c + " + m) * " + nOut + " + j);");
                            w.Line(Unsafe + ".Add(ref coefficientGradient, m) += spline * a;");
                            w.Line("splineScaleGradient += " + Unsafe + ".Add(ref coefficient, m) * a;");
                            w.Line("a = 0.0;");
                        }

                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleSplineOffset[l] + " + e) += mask * splineScaleGradient;");
                        w.Line("ref double baseGradient = ref " + Unsafe + ".Add(ref af, " + foldBase[l] + " + e);");
                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleBaseOffset[l] + " + e) += mask * baseGradient;");
                        w.Line("baseGradient = 0.0;");
                    }
                }
            }
        }

        w.Line();
    }



    private static void WriteForwardFolded(SourceWriter w, KernelLayout layout, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder, c = layout.CoefficientsPerEdge, depth = spec.Depth;
        w.Line(Inline);
        using (w.Block("private static void ForwardFolded(ref double a0, ref double output, ref double f, ref double kt)"))
        {
            for (int l = 1; l < depth; l++)
            {
                w.Line("global::System.Span<double> layer" + l + " = stackalloc double[" + spec.Width(l) + "];");
                w.Line("ref double a" + l + " = ref " + Marshal + ".GetReference(layer" + l + ");");
                MultiplicationEmitter.WriteSubnodeBuffer(w, layout, l);
            }

            w.Line("ref double a" + depth + " = ref output;");
            using (w.Block("for (int o = 0; o < OutputCount; o++)"))
            {
                w.Line(Unsafe + ".Add(ref output, o) = 0.0;");
            }

            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("double x = " + Unsafe + ".Add(ref a" + l + ", i);");
                    w.Line("int start = Basis(x, ref " + Unsafe + ".Add(ref kt, " + layout.KnotOffset[l] + " + i * " + layout.KnotRowLength + "), " + EmitText.OutParameters("b", k) + ");");
                    w.Line("Accumulate(ref " + MultiplicationEmitter.Accumulator(layout, l + 1) + ", ref " + Unsafe + ".Add(ref f, " + foldBase[l] + " + i * " + nOut + "), ref " + Unsafe + ".Add(ref f, "
                        + foldCoefficients[l] + " + (i * " + c + " + start) * " + nOut + "), " + nOut + ", Base(x), " + EmitText.Arguments("b", k) + ");");
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "s" + (l + 1), 0, "a" + (l + 1), 0);
            }
        }

        w.Line();
    }

    private static void WriteBackwardFolded(SourceWriter w, KernelLayout layout, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder, c = layout.CoefficientsPerEdge, depth = spec.Depth, window = k + 1;
        int inner = layout.NodeOffset[depth];
        w.Line("/// <summary>One sample of the batch gradient: accumulates dL/dF into <paramref name=\"af\"/>, returns the squared error.</summary>");
        using (w.Block("private static double BackwardFolded(ref double input, ref double label, double scale, ref double f, ref double af, ref double kt, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)"))
        {
            w.Line("bool regularized = statistics.IsActive;");
            KernelEmitter.WriteBackwardScratch(w, layout);
            using (w.Block("for (int n = 0; n < InputCount; n++)"))
            {
                w.Line(Unsafe + ".Add(ref v, n) = " + Unsafe + ".Add(ref input, n);");
            }

            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line("// Forward, layer " + l + " (keeps basis windows and b(x), b'(x) for the backward pass).");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    KernelEmitter.WriteBasisKept(w, layout, l);
                    w.Line("Accumulate(ref " + Unsafe + ".Add(ref v, " + layout.SubnodeOffset[l + 1] + "), ref " + Unsafe + ".Add(ref f, " + foldBase[l] + " + i * " + nOut + "), ref "
                        + Unsafe + ".Add(ref f, " + foldCoefficients[l] + " + (i * " + c + " + start) * " + nOut + "), " + nOut + ", bx, " + EmitText.Arguments("b", k) + ");");
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "v", layout.SubnodeOffset[l + 1], "v", layout.NodeOffset[l + 1]);
            }

            w.Line("double squaredError = 0.0;");
            using (w.Block("for (int o = 0; o < OutputCount; o++)"))
            {
                w.Line("double error = " + Unsafe + ".Add(ref v, " + layout.NodeOffset[depth] + " + o) - " + Unsafe + ".Add(ref label, o);");
                w.Line("squaredError += error * error;");
                w.Line(Unsafe + ".Add(ref g, " + layout.NodeOffset[depth] + " + o) = 2.0 * scale * error;");
            }

            for (int l = depth - 1; l >= 0; l--)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                MultiplicationEmitter.WriteBackward(w, layout, l + 1, "v", "g");
                w.Line("// Backward, layer " + l + ".");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("int n = " + layout.NodeOffset[l] + " + i;");
                    w.Line("int start = " + Unsafe + ".Add(ref st, n);");
                    w.Line("ref double slot = ref " + Unsafe + ".Add(ref bs, n * " + (2 * window) + ");");
                    var bArgs = new StringBuilder();
                    for (int r = 0; r <= k; r++)
                    {
                        bArgs.Append(", " + Unsafe + ".Add(ref slot, " + r + ")");
                    }

                    for (int r = 0; r <= k; r++)
                    {
                        bArgs.Append(", " + Unsafe + ".Add(ref slot, " + (window + r) + ")");
                    }

                    string common = "ref " + Unsafe + ".Add(ref g, " + layout.SubnodeOffset[l + 1] + "), ref " + Unsafe + ".Add(ref f, " + foldBase[l] + " + i * " + nOut + "), ref "
                        + Unsafe + ".Add(ref f, " + foldCoefficients[l] + " + (i * " + c + " + start) * " + nOut + "), ref " + Unsafe + ".Add(ref af, " + foldBase[l] + " + i * " + nOut + "), ref "
                        + Unsafe + ".Add(ref af, " + foldCoefficients[l] + " + (i * " + c + " + start) * " + nOut + "), " + nOut + ", " + Unsafe + ".Add(ref rs, 2 * n), " + Unsafe + ".Add(ref rs, 2 * n + 1)" + bArgs;
                    w.Line("double gx;");
                    using (w.Block("if (regularized)"))
                    {
                        w.Line("gx = BackpropRegularized(" + common + ", ref " + Unsafe + ".Add(ref ea, " + layout.EdgeOffset[l] + " + i * " + nOut + "), ref " + Unsafe + ".Add(ref em, " + layout.EdgeOffset[l] + " + i * " + nOut + "));");
                        w.Line("gx += " + Unsafe + ".Add(ref nb, n) * (" + Unsafe + ".Add(ref v, n) - " + Unsafe + ".Add(ref nm, n));");
                    }

                    using (w.Block("else"))
                    {
                        w.Line("gx = Backprop(" + common + ");");
                    }

                    w.Line(Unsafe + ".Add(ref g, n) = gx;");
                }
            }

            w.Line("return squaredError;");
        }

        w.Line();
    }

    /// <summary>y[0..count) += bx*sb + Σ_r b_r * rows[r][0..count), rows being count apart.</summary>
    private static void WriteAccumulate(SourceWriter w, int k)
    {
        w.Line("/// <summary>y[j] += bx*sb[j] + Σ_r b_r*F[start+r][j] for every output j: one input's contribution to all its edges.</summary>");
        w.Line(Inline);
        using (w.Block("private static void Accumulate(ref double y, ref double sb, ref double rows, int count, double bx, " + EmitText.Parameters("b", k) + ")"))
        {
            w.Line("int j = 0;");
            using (w.Block("if (" + Vector + ".IsHardwareAccelerated && count >= 4)"))
            {
                w.Line(VectorOfDouble + " vbx = " + Vector + ".Create(bx);");
                for (int r = 0; r <= k; r++)
                {
                    w.Line(VectorOfDouble + " vb" + r + " = " + Vector + ".Create(b" + r + ");");
                }

                using (w.Block("for (; j <= count - 4; j += 4)"))
                {
                    w.Line(VectorOfDouble + " acc = " + Vector + ".LoadUnsafe(ref y, (nuint)j);");
                    w.Line("acc = " + Vector + ".FusedMultiplyAdd(vbx, " + Vector + ".LoadUnsafe(ref sb, (nuint)j), acc);");
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line("acc = " + Vector + ".FusedMultiplyAdd(vb" + r + ", " + Vector + ".LoadUnsafe(ref rows, (nuint)(j + " + r + " * count)), acc);");
                    }

                    w.Line(Vector + ".StoreUnsafe(acc, ref y, (nuint)j);");
                }
            }

            using (w.Block("for (; j < count; j++)"))
            {
                w.Line("double sum = global::System.Math.FusedMultiplyAdd(bx, " + Unsafe + ".Add(ref sb, j), " + Unsafe + ".Add(ref y, j));");
                for (int r = 0; r <= k; r++)
                {
                    w.Line("sum = global::System.Math.FusedMultiplyAdd(b" + r + ", " + Unsafe + ".Add(ref rows, j + " + r + " * count), sum);");
                }

                w.Line(Unsafe + ".Add(ref y, j) = sum;");
            }
        }

        w.Line();
    }

    /// <summary>
    /// Backward through one input's edges: returns dL/dx and accumulates dL/dF. With <paramref name="regularized"/>,
    /// each edge's upstream gradient also gets weight*(phi - mean) (std-based regularisers).
    /// </summary>
    private static void WriteBackprop(SourceWriter w, int k, bool regularized)
    {
        string name = regularized ? "BackpropRegularized" : "Backprop";
        string extra = regularized ? ", ref double weight, ref double mean" : string.Empty;
        w.Line(Inline);
        using (w.Block("private static double " + name + "(ref double g, ref double sb, ref double rows, ref double gsb, ref double grows, int count, double bx, double dbx, " + EmitText.Parameters("b", k) + ", " + EmitText.Parameters("d", k) + extra + ")"))
        {
            w.Line("double gx = 0.0;");
            w.Line("int j = 0;");
            using (w.Block("if (" + Vector + ".IsHardwareAccelerated && count >= 4)"))
            {
                w.Line(VectorOfDouble + " accumulated = " + VectorOfDouble + ".Zero;");
                w.Line(VectorOfDouble + " vbx = " + Vector + ".Create(bx);");
                w.Line(VectorOfDouble + " vdbx = " + Vector + ".Create(dbx);");
                for (int r = 0; r <= k; r++)
                {
                    w.Line(VectorOfDouble + " vb" + r + " = " + Vector + ".Create(b" + r + ");");
                    w.Line(VectorOfDouble + " vd" + r + " = " + Vector + ".Create(d" + r + ");");
                }

                using (w.Block("for (; j <= count - 4; j += 4)"))
                {
                    w.Line(VectorOfDouble + " upstream = " + Vector + ".LoadUnsafe(ref g, (nuint)j);");
                    w.Line(VectorOfDouble + " scaleBase = " + Vector + ".LoadUnsafe(ref sb, (nuint)j);");
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line(VectorOfDouble + " row" + r + " = " + Vector + ".LoadUnsafe(ref rows, (nuint)(j + " + r + " * count));");
                    }

                    if (regularized)
                    {
                        var phi = new StringBuilder("vbx * scaleBase");
                        for (int r = 0; r <= k; r++)
                        {
                            phi.Append(" + vb" + r + " * row" + r);
                        }

                        w.Line(VectorOfDouble + " phi = " + phi + ";");
                        w.Line("upstream += " + Vector + ".LoadUnsafe(ref weight, (nuint)j) * (phi - " + Vector + ".LoadUnsafe(ref mean, (nuint)j));");
                    }

                    w.Line(VectorOfDouble + " slope = vdbx * scaleBase;");
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line("slope = " + Vector + ".FusedMultiplyAdd(vd" + r + ", row" + r + ", slope);");
                    }

                    w.Line("accumulated = " + Vector + ".FusedMultiplyAdd(upstream, slope, accumulated);");
                    w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(vbx, upstream, " + Vector + ".LoadUnsafe(ref gsb, (nuint)j)), ref gsb, (nuint)j);");
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(vb" + r + ", upstream, " + Vector + ".LoadUnsafe(ref grows, (nuint)(j + " + r + " * count))), ref grows, (nuint)(j + " + r + " * count));");
                    }
                }

                w.Line("gx = " + Vector + ".Sum(accumulated);");
            }

            using (w.Block("for (; j < count; j++)"))
            {
                w.Line("double upstream = " + Unsafe + ".Add(ref g, j);");
                w.Line("double scaleBase = " + Unsafe + ".Add(ref sb, j);");
                for (int r = 0; r <= k; r++)
                {
                    w.Line("double row" + r + " = " + Unsafe + ".Add(ref rows, j + " + r + " * count);");
                }

                if (regularized)
                {
                    var phi = new StringBuilder("bx * scaleBase");
                    for (int r = 0; r <= k; r++)
                    {
                        phi.Append(" + b" + r + " * row" + r);
                    }

                    w.Line("upstream += " + Unsafe + ".Add(ref weight, j) * (" + phi + " - " + Unsafe + ".Add(ref mean, j));");
                }

                var slope = new StringBuilder("dbx * scaleBase");
                for (int r = 0; r <= k; r++)
                {
                    slope.Append(" + d" + r + " * row" + r);
                }

                w.Line("gx += upstream * (" + slope + ");");
                w.Line(Unsafe + ".Add(ref gsb, j) += bx * upstream;");
                for (int r = 0; r <= k; r++)
                {
                    w.Line(Unsafe + ".Add(ref grows, j + " + r + " * count) += b" + r + " * upstream;");
                }
            }

            w.Line("return gx;");
        }

        w.Line();
    }

}
