using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes TraceFolded: every node value and edge activation φ of a batch through the folded table, for the
/// regulariser's batch statistics (pykan's std(φ)/(std(x)+0.1) needs every edge of every sample on every evaluation).
/// <para>Why a batch path: the single-sample Trace runs Cox-de Boor per node and sample and reads the unfolded
/// parameters; on a regularised fit it cost as much as the gradient itself. TraceBlock is the forward half of
/// BackwardBlock (the same b(x), the same windows, one sample block at a time) with each input's edges accumulated
/// into their own slots by the Accumulate helper, then added into the node sums edge by edge in input order. The
/// node sums may therefore differ from BackwardBlock's in the last bit; the statistics only need them to rounding.</para>
/// </summary>
internal static class BatchTraceEmitter
{
    public static void Write(SourceWriter w, KernelLayout layout, BatchKernelEmitter.BatchShape shape, int[] foldCoefficients, int[] foldBase)
    {
        WriteEntryPoint(w);
        WriteBlock(w, layout, shape, foldCoefficients, foldBase);
    }

    private static void WriteEntryPoint(SourceWriter w)
    {
        w.Lines("""
            /// <inheritdoc/>
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public override void TraceFolded(global::System.ReadOnlySpan<double> inputs, int count, global::System.ReadOnlySpan<double> folded, global::System.ReadOnlySpan<double> knots, global::System.Span<double> nodeValues, global::System.Span<double> edgeValues)
            {
                if (count < 0 || inputs.Length < count * InputCount || nodeValues.Length < count * NodeCount || edgeValues.Length < count * EdgeCount)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowTraceBatchMismatch(count, InputCount, NodeCount, EdgeCount, inputs.Length, nodeValues.Length, edgeValues.Length);
                }

            """);
        w.Indent();
        BatchKernelEmitter.WriteKnotTableCheck(w);
        w.Unindent();
        w.Lines("""
                if (folded.Length < FoldedTableLength)
                {
                    global::KanCompile.Compilation.KanKernel.ThrowFoldedMismatch(FoldedTableLength, folded.Length);
                }

            """);
        w.Indent();
        BatchKernelEmitter.WriteBlockReferences(w, foldedGradient: false);
        w.Unindent();
        w.Lines("""
                ref double nv = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(nodeValues);
                ref double ev = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(edgeValues);
                for (int s = 0; s < count; s += SampleBlock)
                {
                    TraceBlock(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, s * InputCount), global::System.Math.Min(SampleBlock, count - s), ref f, ref pt, ref kt, ref sc, ref st,
                        ref global::System.Runtime.CompilerServices.Unsafe.Add(ref nv, s * NodeCount), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref ev, s * EdgeCount));
                }
            }

            """);
    }

    private static void WriteBlock(SourceWriter w, KernelLayout layout, BatchKernelEmitter.BatchShape shape, int[] foldCoefficients, int[] foldBase)
    {
        KernelSpec spec = layout.Spec;
        int c = layout.CoefficientsPerEdge;
        w.Line("/// <summary>Up to SampleBlock samples of TraceFolded: node values into <paramref name=\"nodes\"/>, edge activations into <paramref name=\"edges\"/> (a row per sample).</summary>");
        w.Line(Optimize);
        using (w.Block("private static void TraceBlock(ref double input, int count, ref double f, ref double pt, ref double kt, ref double scratch, ref int starts, ref double nodes, ref double edges)"))
        {
            BatchKernelEmitter.WriteBlockNodes(w);
            w.Line("// Every edge slot starts at zero, well before Accumulate reads it back as vectors (a vector load right after");
            w.Line("// scalar stores to the same slots would wait for them: no store forwarding).");
            w.Line(Marshal + ".CreateSpan(ref edges, count * EdgeCount).Clear();");
            for (int l = 0; l < spec.Depth; l++)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                w.Line();
                w.Line("// Layer " + l + ": " + nIn + " -> " + nOut + ": b(x) and windows as BackwardBlock's, then each input's " + nOut + " edges into their slots and the node sums.");
                BatchKernelEmitter.WriteBlockBases(w, layout, shape, l);
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    w.Line("nint n = " + layout.NodeOffset[l] + " + i;");
                    BatchKernelEmitter.WriteInputRows(w, foldCoefficients[l], foldBase[l], nOut, c, "f");
                    using (w.Block("for (nint s = 0; s < count; s++)"))
                    {
                        w.Line(BatchKernelEmitter.BlockSample);
                        w.Line("ref double phi = ref " + Unsafe + ".Add(ref edges, s * EdgeCount + " + layout.EdgeOffset[l] + " + i * " + nOut + ");");
                        w.Line(EdgeWidthEmitter.Accumulate(nOut) + "(ref phi, ref fBase, ref " + Unsafe + ".Add(ref fRows, " + Unsafe + ".Add(ref starts, s * NodeCount + n) * " + nOut + "), "
                            + Unsafe + ".Add(ref sc, ScratchBases + n), ref " + Unsafe + ".Add(ref sc, ScratchWindows + n * WindowSlots));");
                        w.Line("AddEdges(ref " + Unsafe + ".Add(ref sc, " + layout.SubnodeOffset[l + 1] + "), ref phi, " + nOut + ");");
                    }
                }

                MultiplicationEmitter.WriteBlockForward(w, layout, l + 1, BatchKernelEmitter.BlockSample);
            }

            w.Line();
            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line(BatchKernelEmitter.BlockSample);
                w.Line("ref double row = ref " + Unsafe + ".Add(ref nodes, s * NodeCount);");
                using (w.Block("for (int n = 0; n < NodeCount; n++)"))
                {
                    w.Line(Unsafe + ".Add(ref row, n) = " + Unsafe + ".Add(ref sc, n);");
                }
            }
        }

        w.Line();
        w.Line("/// <summary>sums[j] += phi[j] for j &lt; <paramref name=\"width\"/>: four at a time where vectors are accelerated (the same bits: one addition each).</summary>");
        w.Line(Inline);
        using (w.Block("private static void AddEdges(ref double sums, ref double phi, nint width)"))
        {
            w.Line("nint j = 0;");
            using (w.Block("if (" + Vector + ".IsHardwareAccelerated)"))
            {
                using (w.Block("for (; j + 4 <= width; j += 4)"))
                {
                    w.Line(Vector + ".StoreUnsafe(" + Vector + ".LoadUnsafe(ref sums, (nuint)j) + " + Vector + ".LoadUnsafe(ref phi, (nuint)j), ref sums, (nuint)j);");
                }
            }

            using (w.Block("for (; j < width; j++)"))
            {
                w.Line(Unsafe + ".Add(ref sums, j) += " + Unsafe + ".Add(ref phi, j);");
            }
        }

        w.Line();
    }
}
