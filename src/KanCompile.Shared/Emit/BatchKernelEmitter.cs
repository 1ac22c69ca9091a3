using System.Collections.Generic;
using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's batch path (ForwardBatch, SquaredErrorGradientBatch), used by Predict and training.
/// <para>Why it differs from the single-sample path: per call the parameters are first "folded" into a
/// table F = mask·scale_sp·coef laid out [in][G+k][out] (plus mask·scale_base as [in][out]). For one input
/// value the k+1 non-zero basis functions then select k+1 consecutive rows of F, and every outgoing edge is
/// updated at once by a few vector multiply-adds over the outputs (Vector256 where the hardware has it,
/// scalar otherwise). Backward accumulates dL/dF the same way and unfolds it into dL/dθ once per call.</para>
/// <para>The per-input work is cut down too, because it dominates narrow layers: the basis window on every
/// knot interval is precomputed as polynomials in u = x − t_mu (rebuilt only when the knots change), so a
/// window is an interval search plus a few vector Horner steps; the base function b(x) of all inputs of a
/// layer is evaluated four at a time (inline exp for SiLU, see <see cref="BaseValuesEmitter"/>); with few knots (M ≤ 33)
/// the interval is found by counting the knots below x with four-wide compares instead of a halving search. In the
/// gradient pass, knot rows on a lattice skip the table: <see cref="LatticeWindowEmitter"/> computes four samples'
/// windows at once. Summation order and the basis evaluation differ from the reference engine, so results agree to
/// rounding (≤ 1e-12 relative), not bit for bit. F, dL/dF and the scratch sit on cache-line boundaries
/// (AlignedBuffer), so no vector straddles two lines.</para>
/// <para>Narrow layers: a layer with one output takes <see cref="SingleOutputEmitter"/>'s path in the gradient
/// (lanes over the k+1 window rows instead of over outputs); otherwise the outputs past the last whole vector run
/// as one more vector with the finished lanes masked (dL/dF rows: scalars, see EdgeWidthEmitter.WriteBackpropPair);
/// <see cref="EdgeWidthEmitter"/> writes those edge helpers once per layer width, unrolled at constant offsets.</para>
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

        var shape = new BatchShape(layout);
        w.Line("// ---- Batch path: folded table F = mask*scale_sp*coef as [in][G+k][out], mask*scale_base as [in][out]. ----");
        w.Line();
        w.Line("/// <summary>Length of the folded parameter table.</summary>");
        w.Line("public const int FoldedTableLength = " + length + ";");
        w.Line();
        w.Line("/// <summary>Slots of a kept basis window (k+1 rounded up to whole vectors of 4).</summary>");
        w.Line("private const int WindowSlots = " + shape.Slots + ";");
        w.Line();
        w.Line("/// <summary>Doubles per knot interval in the polynomial table: k+1 rows (powers of u) of WindowSlots.</summary>");
        w.Line("private const int PolynomialBlock = " + shape.Block + ";");
        w.Line();
        w.Line("/// <summary>Length of the polynomial table: every inner node, every one of its " + layout.Intervals + " knot intervals.</summary>");
        w.Line("private const int PolynomialLength = " + (shape.Inner * layout.Intervals * shape.Block) + ";");
        w.Line();
        w.Line("/// <summary>Where the lattice table (t_0, 1/h, on-lattice flag per inner node) follows the polynomial table.</summary>");
        w.Line("private const int LatticeOffset = PolynomialLength;");
        w.Line();
        w.Line("// Per-sample scratch: node values and gradients (+4 so b(x) can run four");
        w.Line("// at a time past a layer's end), b(x), b'(x), and the basis window and its derivative of every inner node.");
        w.Line("private const int ScratchGradients = " + shape.Gradients + ";");
        w.Line("private const int ScratchBases = " + shape.Bases + ";");
        w.Line("private const int ScratchBaseSlopes = " + shape.BaseSlopes + ";");
        w.Line("private const int ScratchWindows = " + shape.Windows + ";");
        w.Line("private const int ScratchWindowSlopes = " + shape.WindowSlopes + ";");
        w.Line("private const int ScratchLength = " + shape.Length + ";");
        w.Line();
        w.Line("/// <summary>Samples the gradient pass carries through a layer together (per-sample scratch above, each).</summary>");
        w.Line("private const int SampleBlock = 8;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static global::KanCompile.Compilation.AlignedBuffer? t_scratch;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static int[]? t_starts;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static global::KanCompile.Compilation.AlignedBuffer? t_folded;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static global::KanCompile.Compilation.AlignedBuffer? t_foldedGradient;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static double[]? t_polynomials;");
        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static double[]? t_polynomialKnots;");
        w.Line();
        WriteEntryPoints(w);
        WritePolynomials(w, layout, shape);
        WriteFold(w, layout, foldCoefficients, foldBase);
        WriteUnfold(w, layout, foldCoefficients, foldBase);
        WriteForwardFolded(w, layout, shape, foldCoefficients, foldBase);
        WriteBackwardFolded(w, layout, shape, foldCoefficients, foldBase);
        WriteWindow(w, layout, shape);
        bool tableWindows = HasTableWindows(layout);
        if (tableWindows)
        {
            WriteTableWindows(w, layout, shape);
        }

        LatticeWindowEmitter.Write(w, layout, shape.Slots, tableWindows);
        BaseValuesEmitter.Write(w, spec.BaseFunction);
        EdgeWidthEmitter.Write(w, spec.SplineOrder, ForwardWidths(layout), BackwardWidths(layout, shape));
        SingleOutputEmitter.WriteHelpers(w, layout);
        BatchTraceEmitter.Write(w, layout, shape, foldCoefficients, foldBase);
    }

    /// <summary>Sizes and scratch offsets of the batch path.</summary>
    internal sealed class BatchShape
    {
        public BatchShape(KernelLayout layout)
        {
            int k = layout.Spec.SplineOrder;
            Inner = layout.NodeOffset[layout.Spec.Depth];
            Slots = (k + 1 + 3) / 4 * 4;
            Block = (k + 1) * Slots;
            // Each part starts on a multiple of 4 doubles and a sample's scratch is a whole number of cache lines, so in
            // the aligned scratch buffer node n's value, gradient, b(x) and b'(x) vectors share one alignment.
            Gradients = RoundUp(layout.NodeCount + 4, 4);
            Bases = RoundUp(Gradients + layout.NodeCount + 4, 4);
            BaseSlopes = RoundUp(Bases + Inner + 4, 4);
            Windows = RoundUp(BaseSlopes + Inner + 4, 4);
            WindowSlopes = Windows + Inner * Slots;
            Length = RoundUp(WindowSlopes + Inner * Slots, 8);
        }

        public int Inner { get; }

        public int Slots { get; }

        public int Block { get; }

        public int Gradients { get; }

        public int Bases { get; }

        public int BaseSlopes { get; }

        public int Windows { get; }

        public int WindowSlopes { get; }

        public int Length { get; }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }

    private static void WriteEntryPoints(SourceWriter w)
    {
        w.Lines("""
            /// <inheritdoc/>
            public override int FoldedLength => FoldedTableLength;

            /// <inheritdoc/>
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public override void ForwardBatch(global::System.ReadOnlySpan<double> inputs, global::System.Span<double> outputs, int count, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks)
            {
                Check(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
                if (count < 0 || inputs.Length < count * InputCount || outputs.Length < count * OutputCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, outputs.Length);
                }

                global::System.Span<double> folded = (t_folded ??= new global::KanCompile.Compilation.AlignedBuffer(FoldedTableLength)).Span;
                Fold(parameters, masks, folded);
                global::System.Span<double> scratch = stackalloc double[ScratchLength];
                global::System.Span<int> starts = stackalloc int[NodeCount];
                ref double f = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(folded);
                ref int st = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(starts);
                ref double kt = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(knots);
                ref double sc = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(scratch);
                ref double x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(inputs);
                ref double y = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(outputs);
                for (int s = 0; s < count; s++)
                {
                    ForwardFolded(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, s * InputCount), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, s * OutputCount), ref f, ref kt, ref sc, ref st);
                }
            }

            /// <inheritdoc/>
            public override double SquaredErrorGradientBatch(global::System.ReadOnlySpan<double> inputs, global::System.ReadOnlySpan<double> labels, int count, double scale, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
                => LossGradientBatch(inputs, labels, count, scale, global::KanCompile.KanLoss.MeanSquaredError, parameters, knots, masks, parameterGradient, in statistics);

            /// <inheritdoc/>
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public override double LossGradientBatch(global::System.ReadOnlySpan<double> inputs, global::System.ReadOnlySpan<double> labels, int count, double scale, global::KanCompile.KanLoss loss, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> knots, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
            {
                Check(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
                if (parameterGradient.Length != ParameterCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowGradientMismatch(ParameterCount, InputCount, parameterGradient.Length, 0);
                }

                // The three parts of the folded path in one call; dL/dF is left zeroed for the next call.
                // Cache-line aligned (see AlignedBuffer): F and dL/dF are read and written as 32-byte vectors.
                global::System.Span<double> folded = (t_folded ??= new global::KanCompile.Compilation.AlignedBuffer(FoldedTableLength)).Span;
                global::System.Span<double> foldedGradient = (t_foldedGradient ??= new global::KanCompile.Compilation.AlignedBuffer(FoldedTableLength)).Span;
                Fold(parameters, masks, folded);
                double sum = LossGradientFolded(inputs, labels, count, scale, loss, folded, knots, foldedGradient, in statistics);
                UnfoldGradient(foldedGradient, parameters, masks, parameterGradient);
                foldedGradient.Clear();
                return sum;
            }

            /// <inheritdoc/>
            public override double SquaredErrorGradientFolded(global::System.ReadOnlySpan<double> inputs, global::System.ReadOnlySpan<double> labels, int count, double scale, global::System.ReadOnlySpan<double> folded, global::System.ReadOnlySpan<double> knots, global::System.Span<double> foldedGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
                => LossGradientFolded(inputs, labels, count, scale, global::KanCompile.KanLoss.MeanSquaredError, folded, knots, foldedGradient, in statistics);

            /// <inheritdoc/>
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public override double LossGradientFolded(global::System.ReadOnlySpan<double> inputs, global::System.ReadOnlySpan<double> labels, int count, double scale, global::KanCompile.KanLoss loss, global::System.ReadOnlySpan<double> folded, global::System.ReadOnlySpan<double> knots, global::System.Span<double> foldedGradient, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)
            {
                if (count < 0 || inputs.Length < count * InputCount || labels.Length < count * OutputCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowBatchMismatch(count, InputCount, OutputCount, inputs.Length, labels.Length);
                }

            """);
        w.Indent();
        WriteKnotTableCheck(w);
        w.Unindent();
        w.Lines("""
                if (folded.Length < FoldedTableLength || foldedGradient.Length < FoldedTableLength)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowFoldedMismatch(FoldedTableLength, global::System.Math.Min(folded.Length, foldedGradient.Length));
                }

                if (statistics.IsActive)
                {
                    statistics.Validate(EdgeCount, NodeCount);
                }

            """);
        w.Indent();
        WriteBlockReferences(w, foldedGradient: true);
        w.Unindent();
        w.Lines("""
                ref double t = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(labels);
                // The squared error is computed inline; any other loss is called once per sample (KanKernel.SampleLoss).
                global::KanCompile.KanLoss? sampleLoss = IsSquaredError(loss) ? null : loss;
                double sum = 0.0;
                for (int s = 0; s < count; s += SampleBlock)
                {
                    sum += BackwardBlock(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, s * InputCount), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref t, s * OutputCount), global::System.Math.Min(SampleBlock, count - s), scale, sampleLoss, ref f, ref af, ref pt, ref kt, ref sc, ref st, in statistics);
                }

                return sum;
            }

            """);
    }

    /// <summary>The block entry points' (LossGradientFolded's, TraceFolded's) knot-table check, inside the method body.</summary>
    internal static void WriteKnotTableCheck(SourceWriter w) => w.Lines("""
        if (knots.Length != KnotTableLength)
        {
            global::KanCompile.Compilation.KanKernel.ThrowBufferMismatch(InputCount, OutputCount, ParameterCount, KnotTableLength, EdgeCount, InputCount, OutputCount, ParameterCount, knots.Length, EdgeCount);
        }

        """);

    /// <summary>
    /// The block entry points' per-thread buffers (spline polynomials, scratch, window starts) and the references every
    /// block reads: f (and af, the folded gradient), pt, kt, sc, st and x, inside the method body.
    /// </summary>
    internal static void WriteBlockReferences(SourceWriter w, bool foldedGradient)
    {
        w.Lines("""
            double[] polynomials = Polynomials(knots);
            global::System.Span<double> scratch = (t_scratch ??= new global::KanCompile.Compilation.AlignedBuffer(SampleBlock * ScratchLength)).Span;
            int[] starts = t_starts ??= new int[SampleBlock * NodeCount];
            ref double f = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(folded);
            """);
        if (foldedGradient)
        {
            w.Line("ref double af = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(foldedGradient);");
        }

        w.Lines("""
            ref double pt = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(polynomials);
            ref double kt = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(knots);
            ref double sc = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(scratch);
            ref int st = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(starts);
            ref double x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(inputs);
            """);
    }

    private static void WritePolynomials(SourceWriter w, KernelLayout layout, BatchShape shape)
    {
        int k = layout.Spec.SplineOrder, g = layout.Spec.GridSize, terms = k + 1;
        w.Line("/// <summary>The calling thread's polynomial table for these knots, rebuilt only when the knots differ from the last call's.</summary>");
        using (w.Block("private static double[] Polynomials(global::System.ReadOnlySpan<double> knots)"))
        {
            int padded = layout.PaddedKnotCount, row = layout.KnotRowLength;
            w.Line("double[] polynomials = t_polynomials ??= new double[PolynomialLength + " + (shape.Inner * LatticeWindowEmitter.LatticeStride) + "];");
            w.Line("double[] built = t_polynomialKnots ??= new double[" + (shape.Inner * padded) + "];");
            w.Line("// The reciprocals in a knot row follow from its knots, so comparing the knots (a fraction of the row) is enough.");
            w.Line("bool same = t_polynomialsValid;");
            using (w.Block("for (int n = 0; same && n < " + shape.Inner + "; n++)"))
            {
                w.Line("same = global::System.MemoryExtensions.SequenceEqual(knots.Slice(n * " + row + ", " + padded + "), new global::System.ReadOnlySpan<double>(built, n * " + padded + ", " + padded + "));");
            }

            w.Line();
            using (w.Block("if (same)"))
            {
                w.Line("return polynomials;");
            }

            w.Line();
            w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
            w.Line("ref double pt = ref " + Marshal + ".GetArrayDataReference(polynomials);");
            using (w.Block("for (int n = 0; n < " + shape.Inner + "; n++)"))
            {
                w.Line("WindowPolynomials(ref " + Unsafe + ".Add(ref kt, n * " + layout.KnotRowLength + "), ref " + Unsafe + ".Add(ref pt, n * " + (layout.Intervals * shape.Block) + "));");
            }

            w.Line("global::System.Span<double> lattice = global::System.MemoryExtensions.AsSpan(polynomials, LatticeOffset);");
            LatticeWindowEmitter.WriteLatticeDetection(w, layout, shape.Inner);

            using (w.Block("for (int n = 0; n < " + shape.Inner + "; n++)"))
            {
                w.Line("knots.Slice(n * " + row + ", " + padded + ").CopyTo(new global::System.Span<double>(built, n * " + padded + ", " + padded + "));");
            }

            w.Line();

            w.Line("t_polynomialsValid = true;");
            w.Line("return polynomials;");
        }

        w.Line();
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static bool t_polynomialsValid;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The basis window of one input on each of its knot intervals mu as polynomials in u = x - t_mu: slot r is");
        w.Line("/// sum_p P[p][r] u^p (its derivative: sum_p p P[p][r] u^(p-1)). Cox-de Boor carried out on polynomials, with the same");
        w.Line("/// reciprocal knot differences and the same window shift in the padding zones as Basis.");
        w.Line("/// </summary>");
        w.Line(Optimize);
        using (w.Block("private static void WindowPolynomials(ref double row, ref double block)"))
        {
            w.Line("// n[r][q]: coefficient of u^q in window function r.");
            w.Line("global::System.Span<double> n = stackalloc double[" + (terms * terms) + "];");
            w.Line("global::System.Span<double> temp = stackalloc double[" + terms + "];");
            w.Line("global::System.Span<double> saved = stackalloc double[" + terms + "];");
            using (w.Block("for (int mu = 0; mu < " + layout.Intervals + "; mu++)"))
            {
                w.Line("ref double t = ref " + Unsafe + ".Add(ref row, " + layout.PhantomKnots + " + mu);");
                w.Line("ref double inv = ref " + Unsafe + ".Add(ref row, " + layout.PaddedKnotCount + " + mu * " + layout.ReciprocalsPerInterval + ");");
                w.Line("n.Clear();");
                w.Line("n[0] = 1.0;");
                using (w.Block("for (int j = 1; j <= " + k + "; j++)"))
                {
                    w.Line("saved.Clear();");
                    using (w.Block("for (int r = 0; r < j; r++)"))
                    {
                        w.Line("double reciprocal = " + Unsafe + ".Add(ref inv, (j - 1) * j / 2 + r);");
                        w.Line("double right = " + Unsafe + ".Add(ref t, r + 1) - t; // t_{mu+r+1} - x = right - u");
                        w.Line("double left = t - " + Unsafe + ".Add(ref t, r + 1 - j); // x - t_{mu+1-j+r} = u + left");
                        using (w.Block("for (int q = 0; q < " + terms + "; q++)"))
                        {
                            w.Line("temp[q] = n[r * " + terms + " + q] * reciprocal;");
                        }

                        using (w.Block("for (int q = 0; q < " + terms + "; q++)"))
                        {
                            w.Line("double lower = q > 0 ? temp[q - 1] : 0.0;");
                            w.Line("n[r * " + terms + " + q] = saved[q] + right * temp[q] - lower;");
                            w.Line("saved[q] = left * temp[q] + lower;");
                        }
                    }

                    using (w.Block("for (int q = 0; q < " + terms + "; q++)"))
                    {
                        w.Line("n[j * " + terms + " + q] = saved[q];");
                    }
                }

                w.Line("// Padding zones: shift the window onto existing basis functions, as Basis does.");
                w.Line("int shift = global::System.Math.Clamp(mu - " + k + ", 0, " + (g - 1) + ") - (mu - " + k + ");");
                w.Line("ref double target = ref " + Unsafe + ".Add(ref block, mu * PolynomialBlock);");
                using (w.Block("for (int r = 0; r < WindowSlots; r++)"))
                {
                    w.Line("int source = r + shift;");
                    w.Line("bool present = r <= " + k + " && source >= 0 && source <= " + k + ";");
                    using (w.Block("for (int q = 0; q < " + terms + "; q++)"))
                    {
                        w.Line(Unsafe + ".Add(ref target, q * WindowSlots + r) = present ? n[source * " + terms + " + q] : 0.0;");
                    }

                }
            }
        }

        w.Line();
    }

    private static void WriteFold(SourceWriter w, KernelLayout layout, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int c = layout.CoefficientsPerEdge;
        w.Line("/// <summary>F = mask*scale_sp*coef as [in][G+k][out] and mask*scale_base as [in][out], layer after layer.</summary>");
        w.Line(Optimize);
        using (w.Block("public override void Fold(global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> masks, global::System.Span<double> folded)"))
        {
            CheckFoldBuffers(w, "folded.Length");
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double f = ref " + Marshal + ".GetReference(folded);");
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
        w.Line("/// <summary>Adds dL/dθ from dL/dF (chain rule through the fold).</summary>");
        w.Line(Optimize);
        using (w.Block("public override void UnfoldGradient(global::System.ReadOnlySpan<double> foldedGradient, global::System.ReadOnlySpan<double> parameters, global::System.ReadOnlySpan<double> masks, global::System.Span<double> parameterGradient)"))
        {
            CheckFoldBuffers(w, "foldedGradient.Length");
            using (w.Block("if (parameterGradient.Length != ParameterCount)"))
            {
                w.Line("global::KanCompile.Compilation.KanKernel.ThrowGradientMismatch(ParameterCount, InputCount, parameterGradient.Length, 0);");
            }

            w.Line();
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("ref double gp = ref " + Marshal + ".GetReference(parameterGradient);");
            w.Line("ref double af = ref " + Marshal + ".GetReference(foldedGradient);");
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
                            w.Line("double a = " + Unsafe + ".Add(ref af, " + foldCoefficients[l] + " + (i * " + c + " + m) * " + nOut + " + j);");
                            w.Line(Unsafe + ".Add(ref coefficientGradient, m) += spline * a;");
                            w.Line("splineScaleGradient += " + Unsafe + ".Add(ref coefficient, m) * a;");
                        }

                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleSplineOffset[l] + " + e) += mask * splineScaleGradient;");
                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleBaseOffset[l] + " + e) += mask * " + Unsafe + ".Add(ref af, " + foldBase[l] + " + e);");
                    }
                }
            }
        }

        w.Line();
    }

    /// <summary>The parameter and mask checks of Fold/UnfoldGradient, and the folded buffer's length.</summary>
    private static void CheckFoldBuffers(SourceWriter w, string length)
    {
        using (w.Block("if (parameters.Length != ParameterCount || masks.Length != EdgeCount)"))
        {
            w.Line("global::KanCompile.Compilation.KanKernel.ThrowBufferMismatch(InputCount, OutputCount, ParameterCount, KnotTableLength, EdgeCount, InputCount, OutputCount, parameters.Length, KnotTableLength, masks.Length);");
        }

        w.Line();
        using (w.Block("if (" + length + " < FoldedTableLength)"))
        {
            w.Line("global::KanCompile.Compilation.KanKernel.ThrowFoldedMismatch(FoldedTableLength, " + length + ");");
        }

        w.Line();
    }

    private static void WriteScratchReferences(SourceWriter w)
    {
        w.Line("ref double v = ref scratch;");
        w.Line("ref double bx = ref " + Unsafe + ".Add(ref scratch, ScratchBases);");
        w.Line("ref double ws = ref " + Unsafe + ".Add(ref scratch, ScratchWindows);");
        w.Line("// Node values: the inputs, then zeros for every sum.");
        using (w.Block("for (int n = 0; n < InputCount; n++)"))
        {
            w.Line(Unsafe + ".Add(ref v, n) = " + Unsafe + ".Add(ref input, n);");
        }

        using (w.Block("for (int n = InputCount; n < NodeCount; n++)"))
        {
            w.Line(Unsafe + ".Add(ref v, n) = 0.0;");
        }
    }

    private static string WindowOuts(int k)
    {
        var parts = new string[k + 1];
        for (int r = 0; r <= k; r++)
        {
            parts[r] = "out " + Slot("window", r);
        }

        return string.Join(", ", parts);
    }

    private static void WriteForwardFolded(SourceWriter w, KernelLayout layout, BatchShape shape, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder, c = layout.CoefficientsPerEdge, depth = spec.Depth;
        w.Line("/// <summary>One sample of ForwardBatch: the same basis (Basis) and b(x) (Base) as ForwardCore, and the same fused multiply-adds, so Forward and Predict agree bit for bit.</summary>");
        w.Line(Inline);
        using (w.Block("private static void ForwardFolded(ref double input, ref double output, ref double f, ref double kt, ref double scratch, ref int st)"))
        {
            WriteScratchReferences(w);
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + ". Basis window and b(x) of every input (independent, so they overlap), then each input's " + nOut + " edges.");
                using (w.Block("for (int n = " + layout.NodeOffset[l] + "; n < " + layout.NodeOffset[l + 1] + "; n++)"))
                {
                    w.Line("double x = " + Unsafe + ".Add(ref v, n);");
                    w.Line("ref double window = ref " + Unsafe + ".Add(ref ws, n * WindowSlots);");
                    w.Line(Unsafe + ".Add(ref st, n) = Basis(x, ref " + Unsafe + ".Add(ref kt, n * " + layout.KnotRowLength + "), " + WindowOuts(k) + ");");
                    w.Line(Unsafe + ".Add(ref bx, n) = Base(x);");
                }

                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("int n = " + layout.NodeOffset[l] + " + i;");
                    w.Line("int start = " + Unsafe + ".Add(ref st, n);");
                    w.Line(EdgeWidthEmitter.Accumulate(nOut) + "(ref " + Unsafe + ".Add(ref v, " + layout.SubnodeOffset[l + 1] + "), ref " + Unsafe + ".Add(ref f, " + foldBase[l] + " + i * " + nOut + "), ref "
                        + Unsafe + ".Add(ref f, " + foldCoefficients[l] + " + (i * " + c + " + start) * " + nOut + "), " + Unsafe + ".Add(ref bx, n), ref " + Unsafe + ".Add(ref ws, n * WindowSlots));");
                }

                MultiplicationEmitter.WriteForward(w, layout, l + 1, "v", layout.SubnodeOffset[l + 1], "v", layout.NodeOffset[l + 1]);
            }

            w.Line();
            using (w.Block("for (int o = 0; o < OutputCount; o++)"))
            {
                w.Line(Unsafe + ".Add(ref output, o) = " + Unsafe + ".Add(ref v, " + layout.NodeOffset[depth] + " + o);");
            }
        }

        w.Line();
    }

    /// <summary>Each sample of a block starts with its node values: the inputs, then zeros for every sum (BackwardBlock, TraceBlock).</summary>
    internal static void WriteBlockNodes(SourceWriter w)
    {
        w.Line("// Sample s keeps its node values, gradients, b(x), b'(x) and basis windows at scratch[s * ScratchLength..], its window starts at starts[s * NodeCount..].");
        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line("ref double v = ref " + Unsafe + ".Add(ref scratch, s * ScratchLength);");
            w.Line("ref double x = ref " + Unsafe + ".Add(ref input, s * InputCount);");
            using (w.Block("for (int n = 0; n < InputCount; n++)"))
            {
                w.Line(Unsafe + ".Add(ref v, n) = " + Unsafe + ".Add(ref x, n);");
            }

            using (w.Block("for (int n = InputCount; n < NodeCount; n++)"))
            {
                w.Line(Unsafe + ".Add(ref v, n) = 0.0;");
            }
        }
    }

    /// <summary>b(x), b'(x) and the basis windows of layer <paramref name="l"/>'s nodes for every sample of a block (BackwardBlock, TraceBlock).</summary>
    internal static void WriteBlockBases(SourceWriter w, KernelLayout layout, BatchShape shape, int l)
    {
        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line(BlockSample);
            w.Line("BaseValuesWithDerivative(ref " + Unsafe + ".Add(ref sc, " + layout.NodeOffset[l] + "), ref " + Unsafe + ".Add(ref sc, ScratchBases + " + layout.NodeOffset[l] + "), ref "
                + Unsafe + ".Add(ref sc, ScratchBaseSlopes + " + layout.NodeOffset[l] + "), " + layout.Spec.Width(l) + ");");
        }

        using (w.Block("for (nint n = " + layout.NodeOffset[l] + "; n < " + layout.NodeOffset[l + 1] + "; n++)"))
        {
            w.Line("BlockWindows(n, count, ref scratch, ref starts, ref " + Unsafe + ".Add(ref kt, n * " + layout.KnotRowLength + "), ref "
                + Unsafe + ".Add(ref pt, n * " + (layout.Intervals * shape.Block) + "), ref " + Unsafe + ".Add(ref pt, LatticeOffset + n * " + LatticeWindowEmitter.LatticeStride + "));");
        }
    }

    /// <summary>Declares <c>sc</c>, sample s's scratch in a block.</summary>
    internal const string BlockSample = "ref double sc = ref " + Unsafe + ".Add(ref scratch, s * ScratchLength);";

    private static void WriteBackwardFolded(SourceWriter w, KernelLayout layout, BatchShape shape, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder, c = layout.CoefficientsPerEdge, depth = spec.Depth;
        const string Sample = BlockSample;
        w.Line("/// <summary>");
        w.Line("/// Up to SampleBlock samples of the batch gradient, layer by layer: within a layer, input i's rows of F and dL/dF");
        w.Line("/// are used by every sample of the block in turn while they are in L1. Accumulates dL/dF into <paramref name=\"af\"/>,");
        w.Line("/// returns the summed loss: the squared error, or <paramref name=\"loss\"/>'s when it is not null.");
        w.Line("/// </summary>");
        w.Line(Optimize);
        using (w.Block("private static double BackwardBlock(ref double input, ref double label, int count, double scale, global::KanCompile.KanLoss? loss, ref double f, ref double af, ref double pt, ref double kt, ref double scratch, ref int starts, in global::KanCompile.Compilation.EdgeStatisticGradient statistics)"))
        {
            w.Line("bool regularized = statistics.IsActive;");
            w.Line("ref double ea = ref " + Marshal + ".GetReference(statistics.EdgeWeight);");
            w.Line("ref double em = ref " + Marshal + ".GetReference(statistics.EdgeMean);");
            w.Line("ref double nb = ref " + Marshal + ".GetReference(statistics.NodeWeight);");
            w.Line("ref double nm = ref " + Marshal + ".GetReference(statistics.NodeMean);");
            WriteBlockNodes(w);
            for (int l = 0; l < depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Forward, layer " + l + ": " + nIn + " -> " + nOut + ": b(x), b'(x), then basis windows node by node (both kept for the backward pass), then each input's " + nOut + " edges.");
                WriteBlockBases(w, layout, shape, l);
                if (SingleOutputEmitter.Applies(layout, l, shape.Slots))
                {
                    SingleOutputEmitter.WriteForward(w, layout, l, foldCoefficients[l], foldBase[l], Sample);
                    MultiplicationEmitter.WriteBlockForward(w, layout, l + 1, Sample);
                    continue;
                }

                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("nint n = " + layout.NodeOffset[l] + " + i; // native-sized: offsets from n need no sign extension");
                    WriteInputRows(w, foldCoefficients[l], foldBase[l], nOut, c, "f");
                    using (w.Block("for (nint s = 0; s < count; s++)"))
                    {
                        w.Line(Sample);
                        w.Line("nint start = " + Unsafe + ".Add(ref starts, s * NodeCount + n);");
                        w.Line(EdgeWidthEmitter.Accumulate(nOut) + "(ref " + Unsafe + ".Add(ref sc, " + layout.SubnodeOffset[l + 1] + "), ref fBase, ref "
                            + Unsafe + ".Add(ref fRows, start * " + nOut + "), " + Unsafe + ".Add(ref sc, ScratchBases + n), ref " + Unsafe + ".Add(ref sc, ScratchWindows + n * WindowSlots));");
                    }
                }

                MultiplicationEmitter.WriteBlockForward(w, layout, l + 1, Sample);
            }

            w.Line();
            w.Line("double lossSum = 0.0;");
            using (w.Block("if (loss is null)"))
            {
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line(Sample);
                    w.Line("ref double t = ref " + Unsafe + ".Add(ref label, s * OutputCount);");
                    using (w.Block("for (int o = 0; o < OutputCount; o++)"))
                    {
                        w.Line("double error = " + Unsafe + ".Add(ref sc, " + layout.NodeOffset[depth] + " + o) - " + Unsafe + ".Add(ref t, o);");
                        w.Line("lossSum += error * error;");
                        w.Line(Unsafe + ".Add(ref sc, ScratchGradients + " + layout.NodeOffset[depth] + " + o) = 2.0 * scale * error;");
                    }
                }
            }

            using (w.Block("else"))
            {
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line(Sample);
                    w.Line("lossSum += SampleLoss(loss, ref " + Unsafe + ".Add(ref sc, " + layout.NodeOffset[depth] + "), ref " + Unsafe + ".Add(ref label, s * OutputCount), ref "
                        + Unsafe + ".Add(ref sc, ScratchGradients + " + layout.NodeOffset[depth] + "), OutputCount, scale);");
                }
            }

            for (int l = depth - 1; l >= 0; l--)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                MultiplicationEmitter.WriteBlockBackward(w, layout, l + 1, Sample);
                w.Line("// Backward, layer " + l + ": " + nOut + " -> " + nIn + ".");
                if (SingleOutputEmitter.Applies(layout, l, shape.Slots))
                {
                    SingleOutputEmitter.WriteBackward(w, layout, l, foldCoefficients[l], foldBase[l], Sample);
                    continue;
                }

                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("nint n = " + layout.NodeOffset[l] + " + i; // native-sized: offsets from n need no sign extension");
                    WriteInputRows(w, foldCoefficients[l], foldBase[l], nOut, c, "f", "af");
                    using (w.Block("for (nint s = 0; s < count; s++)"))
                    {
                        w.Line(Sample);
                        w.Line("nint start = " + Unsafe + ".Add(ref starts, s * NodeCount + n);");
                        string common = "ref " + Unsafe + ".Add(ref sc, ScratchGradients + " + layout.SubnodeOffset[l + 1] + "), ref fBase, ref " + Unsafe + ".Add(ref fRows, start * " + nOut + "), ref afBase, ref "
                            + Unsafe + ".Add(ref afRows, start * " + nOut + "), " + Unsafe + ".Add(ref sc, ScratchBases + n), " + Unsafe + ".Add(ref sc, ScratchBaseSlopes + n), "
                            + "ref " + Unsafe + ".Add(ref sc, ScratchWindows + n * WindowSlots), ref " + Unsafe + ".Add(ref sc, ScratchWindowSlopes + n * WindowSlots), " + (l > 0 ? "true" : "false /* inputs need no gradient */");
                        w.Line("double gx;");
                        using (w.Block("if (regularized)"))
                        {
                            w.Line("gx = " + EdgeWidthEmitter.Backprop(nOut, regularized: true) + "(" + common + ", ref " + Unsafe + ".Add(ref ea, " + layout.EdgeOffset[l] + " + i * " + nOut + "), ref " + Unsafe + ".Add(ref em, " + layout.EdgeOffset[l] + " + i * " + nOut + "));");
                            w.Line("gx += " + Unsafe + ".Add(ref nb, n) * (" + Unsafe + ".Add(ref sc, n) - " + Unsafe + ".Add(ref nm, n));");
                        }

                        using (w.Block("else"))
                        {
                            w.Line("gx = " + EdgeWidthEmitter.Backprop(nOut, regularized: false) + "(" + common + ");");
                        }

                        w.Line(Unsafe + ".Add(ref sc, ScratchGradients + n) = gx;");
                    }
                }
            }

            w.Line();
            w.Line("return lossSum;");
        }

        w.Line();
    }

    /// <summary>
    /// WindowWithDerivative(x, row, polynomials, values, slopes): the interval search (branch-free, a constant number of steps),
    /// then Horner on the interval's polynomial block, four window slots per vector.
    /// </summary>
    private static void WriteWindow(SourceWriter w, KernelLayout layout, BatchShape shape)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder, g = spec.GridSize, intervals = layout.Intervals;
        w.Line("/// <summary>Basis window of <paramref name=\"x\"/> and its derivative from the polynomial table; returns the index of the first coefficient it weights.</summary>");
        w.Line(Inline);
        bool continues = spec.Continues, tangent = continues && k > 0;
        string point = continues ? "inside" : "x";
        using (w.Block("private static int WindowWithDerivative(double x, ref double row, ref double polynomials, ref double values, ref double slopes)"))
        {
            if (continues)
            {
                w.Line("// Continued beyond [t_k, t_{G+k}]: the window of the nearest point of the range, each value along its slope.");
                w.Line("double inside = double.MinNative(double.MaxNative(x, Knot(ref row, " + k + ")), Knot(ref row, " + (g + k) + "));");
                w.Line("double beyond = x - inside;");
            }
            else
            {
                using (w.Block("if (!(x >= Knot(ref row, 0) && x < Knot(ref row, " + intervals + ")))"))
                {
                    w.Line("// Outside the extended grid every basis function is zero (no clamping, as pykan).");
                    using (w.Block("for (int r = 0; r < WindowSlots; r++)"))
                    {
                        w.Line(Unsafe + ".Add(ref values, r) = 0.0;");
                        w.Line(Unsafe + ".Add(ref slopes, r) = 0.0;");
                    }

                    w.Line("return 0;");
                }
            }

            int chunks = (intervals - 1 + 3) / 4;
            bool counted = intervals > 1 && chunks <= MaxCountedChunks && 4 * chunks <= intervals + layout.PhantomKnots;
            if (counted)
            {
                // Few knots: counting them is cheaper than a search, and four compares are one vector instruction.
                w.Line("nint mu; // native-sized: the offsets below need no sign extension");
                using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
                {
                    w.Line("// Last knot <= x among t_0..t_{M-1} = how many of t_1..t_{M-1} are <= x (sorted knots), four per compare;");
                    w.Line("// the compares past t_{M-1} read t_M and phantom knots, which lie above x.");
                    w.Line(VectorOfDouble + " vx = " + Vector + ".Create(" + point + ");");
                    w.Line("global::System.Runtime.Intrinsics.Vector256<long> below = global::System.Runtime.Intrinsics.Vector256<long>.Zero;");
                    for (int q = 0; q < chunks; q++)
                    {
                        w.Line("below -= " + Vector + ".AsInt64(" + Vector + ".LessThanOrEqual(" + Vector + ".LoadUnsafe(ref row, " + (layout.PhantomKnots + 1 + 4 * q) + "), vx));");
                    }

                    w.Line("mu = (nint)" + Vector + ".Sum(below);");
                }

                using (w.Block("else"))
                {
                    WriteHalvingSearch(w, intervals, layout.PhantomKnots, declare: false, point);
                }
            }
            else
            {
                WriteHalvingSearch(w, intervals, layout.PhantomKnots, declare: true, point);
            }

            if (continues)
            {
                w.Line("// Only the G real intervals: t_{G+k} itself belongs to the last one, whose slope continues.");
                w.Line("mu = global::System.Math.Min(global::System.Math.Max(mu, " + k + "), " + (g + k - 1) + ");");
            }

            w.Line("double u = " + point + " - " + Unsafe + ".Add(ref row, " + layout.PhantomKnots + " + mu); // t_mu");
            w.Line("ref double p = ref " + Unsafe + ".Add(ref polynomials, mu * PolynomialBlock);");
            using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
            {
                w.Line(VectorOfDouble + " vu = " + Vector + ".Create(u);");
                if (tangent)
                {
                    w.Line(VectorOfDouble + " vbeyond = " + Vector + ".Create(beyond);");
                }

                for (int q = 0; q < shape.Slots; q += 4)
                {
                    WriteWindowSlots(w, q, k, tangent, vector: true);
                }
            }

            using (w.Block("else"))
            {
                using (w.Block("for (int r = 0; r < WindowSlots; r++)"))
                {
                    WriteWindowSlots(w, -1, k, tangent, vector: false);
                }
            }

            if (k == 0)
            {
                using (w.Block("for (int r = 0; r < WindowSlots; r++)"))
                {
                    w.Line(Unsafe + ".Add(ref slopes, r) = 0.0;");
                }
            }

            if (continues)
            {
                w.Line("return (int)(mu - " + k + ");");
            }
            else
            {
                w.Line("// The window starts k knots back, shifted into 0..G-1 in the padding zones (Min/Max: conditional moves, no branch).");
                w.Line("return (int)global::System.Math.Min(global::System.Math.Max(mu - " + k + ", 0), " + (g - 1) + ");");
            }
        }

        w.Line();
    }

    /// <summary>
    /// Window slots from the interval's polynomial block (four from <paramref name="slot"/> as a vector, or slot r): values and
    /// slopes by Horner, and with <paramref name="tangent"/> each value continued along its slope (value + beyond·slope, fused),
    /// the same operations in the vector and scalar forms.
    /// </summary>
    private static void WriteWindowSlots(SourceWriter w, int slot, int k, bool tangent, bool vector)
    {
        WriteHorner(w, "value", "values", slot, k, derivative: false, vector, store: !tangent);
        if (k > 0)
        {
            WriteHorner(w, "slope", "slopes", slot, k - 1, derivative: true, vector, store: !tangent);
        }

        if (!tangent)
        {
            return;
        }

        if (vector)
        {
            w.Line(Vector + ".StoreUnsafe(" + Vector + ".FusedMultiplyAdd(slope" + slot + ", vbeyond, value" + slot + "), ref values, (nuint)" + slot + ");");
            w.Line(Vector + ".StoreUnsafe(slope" + slot + ", ref slopes, (nuint)" + slot + ");");
        }
        else
        {
            w.Line(Unsafe + ".Add(ref values, r) = global::System.Math.FusedMultiplyAdd(slope, beyond, value);");
            w.Line(Unsafe + ".Add(ref slopes, r) = slope;");
        }
    }

    /// <summary>Whether <see cref="WriteTableWindows"/> applies: knot rows short enough to count their knots for four samples at once.</summary>
    public static bool HasTableWindows(KernelLayout layout) =>
        layout.Spec.SplineOrder > 0 && layout.Intervals > 1 && layout.Intervals - 1 <= 4 * MaxCountedChunks;

    /// <summary>
    /// TableWindows(n, scratch, starts, row, polynomials): the windows of four consecutive samples on any knot row, or false
    /// (nothing written) if a sample lies off the extended grid. The interval search runs for the four at once (one
    /// compare per knot, four samples per compare); then each sample's Horner on its interval's polynomial block as in
    /// WindowWithDerivative, so the windows are the same bits.
    /// </summary>
    private static void WriteTableWindows(SourceWriter w, KernelLayout layout, BatchShape shape)
    {
        int k = layout.Spec.SplineOrder, g = layout.Spec.GridSize, intervals = layout.Intervals;
        w.Line("/// <summary>Windows of node <paramref name=\"n\"/> for four consecutive samples from the polynomial table, the interval search four samples at a time; false (nothing written) if a sample is off the extended grid.</summary>");
        w.Line(Inline);
        using (w.Block("private static bool TableWindows(nint n, ref double scratch, ref int starts, ref double row, ref double polynomials)"))
        {
            bool continues = layout.Spec.Continues;
            w.Line(VectorOfDouble + " x = " + LatticeWindowEmitter.FourSamplesOfNode + ";");
            if (continues)
            {
                w.Line("// NaN is left to WindowWithDerivative; every other lane takes the window of its nearest point of [t_k, t_{G+k}].");
                using (w.Block("if (" + Vector + ".ExtractMostSignificantBits(" + Vector + ".Equals(x, x)) != 0b1111)"))
                {
                    w.Line("return false;");
                }

                w.Line(VectorOfDouble + " inside = " + Vector + ".MinNative(" + Vector + ".MaxNative(x, " + Vector + ".Create(Knot(ref row, " + k + "))), " + Vector + ".Create(Knot(ref row, " + (g + k) + ")));");
                w.Line(VectorOfDouble + " beyond = x - inside;");
                w.Line();
                w.Line("// mu - k = how many of t_{k+1}..t_{G+k-1} are <= inside (so t_{G+k} belongs to the last real interval), for each lane.");
                w.Line("global::System.Runtime.Intrinsics.Vector256<long> below = global::System.Runtime.Intrinsics.Vector256<long>.Zero;");
                for (int j = k + 1; j < g + k; j++)
                {
                    w.Line("below -= " + Vector + ".AsInt64(" + Vector + ".LessThanOrEqual(" + Vector + ".Create(Knot(ref row, " + j + ")), inside));");
                }
            }
            else
            {
                w.Line("// Off the extended grid (or NaN) the window is zero: left to WindowWithDerivative.");
                using (w.Block("if (" + Vector + ".ExtractMostSignificantBits(" + Vector + ".GreaterThanOrEqual(x, " + Vector + ".Create(Knot(ref row, 0))) & " + Vector + ".LessThan(x, " + Vector + ".Create(Knot(ref row, " + intervals + ")))) != 0b1111)"))
                {
                    w.Line("return false;");
                }

                w.Line();
                w.Line("// mu = how many of t_1..t_{M-2} are <= x (t_{M-1} lies above every lane), for each lane.");
                w.Line("global::System.Runtime.Intrinsics.Vector256<long> below = global::System.Runtime.Intrinsics.Vector256<long>.Zero;");
                for (int j = 1; j < intervals; j++)
                {
                    w.Line("below -= " + Vector + ".AsInt64(" + Vector + ".LessThanOrEqual(" + Vector + ".Create(Knot(ref row, " + j + ")), x));");
                }
            }

            for (int lane = 0; lane < 4; lane++)
            {
                using (w.Block(string.Empty))
                {
                    string sample = lane == 0 ? string.Empty : lane + " * ScratchLength + ";
                    w.Line("nint mu = " + (continues ? k + " + " : string.Empty) + "(nint)" + Vector + ".GetElement(below, " + lane + ");");
                    w.Line("ref double values = ref " + Unsafe + ".Add(ref scratch, " + sample + "ScratchWindows + n * WindowSlots);");
                    w.Line("ref double slopes = ref " + Unsafe + ".Add(ref scratch, " + sample + "ScratchWindowSlopes + n * WindowSlots);");
                    w.Line("ref double p = ref " + Unsafe + ".Add(ref polynomials, mu * PolynomialBlock);");
                    string point = continues ? Vector + ".GetElement(inside, " + lane + ")" : Unsafe + ".Add(ref scratch, " + sample + "n)";
                    w.Line(VectorOfDouble + " vu = " + Vector + ".Create(" + point + " - " + Unsafe + ".Add(ref row, " + layout.PhantomKnots + " + mu));");
                    if (continues)
                    {
                        w.Line(VectorOfDouble + " vbeyond = " + Vector + ".Create(" + Vector + ".GetElement(beyond, " + lane + "));");
                    }

                    for (int q = 0; q < shape.Slots; q += 4)
                    {
                        WriteWindowSlots(w, q, k, continues, vector: true);
                    }

                    string start = continues ? "(int)(mu - " + k + ")" : "(int)global::System.Math.Min(global::System.Math.Max(mu - " + k + ", 0), " + (g - 1) + ")";
                    w.Line(Unsafe + ".Add(ref starts, " + (lane == 0 ? string.Empty : lane + " * NodeCount + ") + "n) = " + start + ";");
                }
            }

            w.Line("return true;");
        }

        w.Line();
    }

    /// <summary>Knot intervals up to which the window counts knots with vector compares (8 compares: M ≤ 33) instead of halving.</summary>
    private const int MaxCountedChunks = 8;

    /// <summary>mu = last knot &lt;= x among t_0..t_{M-1} by a fixed number of halving steps.</summary>
    private static void WriteHalvingSearch(SourceWriter w, int intervals, int phantomKnots, bool declare, string point = "x")
    {
        w.Line("// Last knot <= " + point + " among t_0..t_{M-1}: a fixed number of halving steps, each a compare and a mask (no branch).");
        w.Line((declare ? "nint " : string.Empty) + "mu = 0;");
        int length = intervals;
        while (length > 1)
        {
            int half = length >> 1;
            w.Line("mu += " + half + " & -(" + Unsafe + ".Add(ref row, " + phantomKnots + " + mu + " + half + ") <= " + point + " ? 1 : 0);");
            length -= half;
        }
    }

    /// <summary>
    /// target = ((P[degree] u + P[degree-1]) u + …) + P[0] over the interval's rows; for the <paramref name="derivative"/>
    /// the coefficient of u^p is (p+1)·P[p+1] (the table keeps only the values' rows).
    /// </summary>
    private static void WriteHorner(SourceWriter w, string name, string target, int slot, int degree, bool derivative, bool vector, bool store = true)
    {
        string Scaled(int power, string load) => derivative ? (power == 0 ? load : SourceWriter.Literal((double)(power + 1)) + " * " + load) : load;
        if (vector)
        {
            string Row(int power) => Scaled(power, Vector + ".LoadUnsafe(ref p, (nuint)(" + ((derivative ? power + 1 : power) + " * WindowSlots + " + slot) + "))");
            w.Line(VectorOfDouble + " " + name + slot + " = " + Row(degree) + ";");
            for (int power = degree - 1; power >= 0; power--)
            {
                w.Line(name + slot + " = " + Vector + ".FusedMultiplyAdd(" + name + slot + ", vu, " + Row(power) + ");");
            }

            if (store)
            {
                w.Line(Vector + ".StoreUnsafe(" + name + slot + ", ref " + target + ", (nuint)" + slot + ");");
            }
        }
        else
        {
            string Row(int power) => Scaled(power, Unsafe + ".Add(ref p, " + (derivative ? power + 1 : power) + " * WindowSlots + r)");
            w.Line("double " + name + " = " + Row(degree) + ";");
            for (int power = degree - 1; power >= 0; power--)
            {
                w.Line(name + " = global::System.Math.FusedMultiplyAdd(" + name + ", u, " + Row(power) + ");");
            }

            if (store)
            {
                w.Line(Unsafe + ".Add(ref " + target + ", r) = " + name + ";");
            }
        }
    }

    /// <summary>
    /// <c>ref double {table}Base</c> and <c>{table}Rows</c> for each table (F, dL/dF): input i's scale_base row and first
    /// coefficient row. They are the same for every sample of the block; named once here, the JIT does not recompute them per sample.
    /// </summary>
    internal static void WriteInputRows(SourceWriter w, int foldCoefficients, int foldBase, int nOut, int c, params string[] tables)
    {
        w.Line("// Input i's scale_base row and first coefficient row (the same for every sample).");
        foreach (string table in tables)
        {
            w.Line("ref double " + table + "Base = ref " + Unsafe + ".Add(ref " + table + ", " + foldBase + " + i * " + nOut + ");");
            w.Line("ref double " + table + "Rows = ref " + Unsafe + ".Add(ref " + table + ", " + foldCoefficients + " + i * " + (c * nOut) + ");");
        }
    }

    private static string Slot(string table, int r) => r == 0 ? table : Unsafe + ".Add(ref " + table + ", " + r + ")";

    /// <summary>Output widths of the layers whose edges the forward passes walk with Accumulate (every layer in ForwardBatch).</summary>
    private static IEnumerable<int> ForwardWidths(KernelLayout layout)
    {
        for (int l = 0; l < layout.Spec.Depth; l++)
        {
            yield return layout.Spec.SubnodeWidth(l + 1);
        }
    }

    /// <summary>Output widths of the layers the gradient walks with Backprop (one-output layers take SingleOutputEmitter's path).</summary>
    private static IEnumerable<int> BackwardWidths(KernelLayout layout, BatchShape shape)
    {
        for (int l = 0; l < layout.Spec.Depth; l++)
        {
            if (!SingleOutputEmitter.Applies(layout, l, shape.Slots))
            {
                yield return layout.Spec.SubnodeWidth(l + 1);
            }
        }
    }
}
