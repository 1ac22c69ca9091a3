using System.Text;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes the multiplication-node step (pykan's MultKAN, kan-math §2.4 step 5) into kernels: forward, the first
/// n_sum sub-nodes pass through and node n_sum + m is the product of sub-nodes n_sum + arity·m … + arity − 1;
/// backward, the product rule. The scalar and batch emitters call these hooks once per layer; for a layer without
/// multiplication nodes every hook writes nothing, so plain kernels are unchanged. Factors multiply left to right
/// and each factor's gradient is the product of the others (never a division), exactly as the reference kernel's
/// <c>MultiplicationStep</c>, so both agree bit for bit.
/// </summary>
internal static class MultiplicationEmitter
{
    /// <summary>Bytes of extra per-sample scratch the sub-node slots need (values and gradients).</summary>
    public static long ScratchBytes(Model.KernelSpec spec)
    {
        long subnodes = 0;
        for (int l = 0; l <= spec.Depth; l++)
        {
            if (spec.MultiplicationWidth(l) != 0)
            {
                subnodes += spec.SubnodeWidth(l);
            }
        }

        return 2 * subnodes * 8;
    }

    /// <summary>
    /// The ref-local a single-sample forward accumulates layer <paramref name="layer"/>'s edges into: the node buffer
    /// <c>a{layer}</c>, or the sub-node buffer <c>s{layer}</c> (see <see cref="WriteSubnodeBuffer"/>) when the layer multiplies.
    /// </summary>
    public static string Accumulator(KernelLayout layout, int layer) =>
        (layout.Spec.MultiplicationWidth(layer) != 0 ? "s" : "a") + layer;

    /// <summary>Declares the zeroed sub-node buffer <c>s{layer}</c> of a multiplying layer for a stack-buffer forward.</summary>
    public static void WriteSubnodeBuffer(SourceWriter w, KernelLayout layout, int layer)
    {
        if (layout.Spec.MultiplicationWidth(layer) == 0)
        {
            return;
        }

        w.Line("global::System.Span<double> subnodes" + layer + " = stackalloc double[" + layout.Spec.SubnodeWidth(layer) + "];");
        w.Line("subnodes" + layer + ".Clear();");
        w.Line("ref double s" + layer + " = ref " + Marshal + ".GetReference(subnodes" + layer + ");");
    }

    /// <summary>
    /// Node values of <paramref name="layer"/> from its sub-node values: <paramref name="subnodes"/>[<paramref name="subnodeBase"/> + j]
    /// into <paramref name="nodes"/>[<paramref name="nodeBase"/> + n] (refs named by the caller).
    /// </summary>
    public static void WriteForward(SourceWriter w, KernelLayout layout, int layer, string subnodes, int subnodeBase, string nodes, int nodeBase)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        w.Line();
        w.Line("// Layer " + layer + " nodes: " + sums + " addition sub-nodes pass through, " + multiplications + " multiplication nodes each multiply " + arity + " sub-nodes.");
        using (w.Block("for (int j = 0; j < " + sums + "; j++)"))
        {
            w.Line(Unsafe + ".Add(ref " + nodes + ", " + nodeBase + " + j) = " + Unsafe + ".Add(ref " + subnodes + ", " + subnodeBase + " + j);");
        }

        using (w.Block("for (int m = 0; m < " + multiplications + "; m++)"))
        {
            w.Line("ref double factor = ref " + Unsafe + ".Add(ref " + subnodes + ", " + (subnodeBase + sums) + " + m * " + arity + ");");
            var product = new StringBuilder();
            for (int r = 0; r < arity; r++)
            {
                product.Append(r == 0 ? "factor" : " * " + Unsafe + ".Add(ref factor, " + r + ")");
            }

            w.Line(Unsafe + ".Add(ref " + nodes + ", " + (nodeBase + sums) + " + m) = " + product + ";");
        }
    }

    /// <summary>
    /// dL/d(sub-node) of <paramref name="layer"/> from dL/d(node), in the flat per-node tables of a backward pass
    /// (<paramref name="values"/> and <paramref name="gradients"/> indexed by <see cref="KernelLayout"/> offsets).
    /// </summary>
    public static void WriteBackward(SourceWriter w, KernelLayout layout, int layer, string values, string gradients)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        int node = layout.NodeOffset[layer], subnode = layout.SubnodeOffset[layer];
        w.Line();
        w.Line("// Layer " + layer + " sub-node gradients: addition nodes pass theirs through, multiplication nodes by the product rule.");
        using (w.Block("for (int j = 0; j < " + sums + "; j++)"))
        {
            w.Line(Unsafe + ".Add(ref " + gradients + ", " + subnode + " + j) = " + Unsafe + ".Add(ref " + gradients + ", " + node + " + j);");
        }

        using (w.Block("for (int m = 0; m < " + multiplications + "; m++)"))
        {
            w.Line("ref double factor = ref " + Unsafe + ".Add(ref " + values + ", " + (subnode + sums) + " + m * " + arity + ");");
            w.Line("ref double factorGradient = ref " + Unsafe + ".Add(ref " + gradients + ", " + (subnode + sums) + " + m * " + arity + ");");
            w.Line("double productGradient = " + Unsafe + ".Add(ref " + gradients + ", " + (node + sums) + " + m);");
            for (int r = 0; r < arity; r++)
            {
                var others = new StringBuilder();
                for (int q = 0; q < arity; q++)
                {
                    if (q != r)
                    {
                        others.Append(others.Length == 0 ? string.Empty : " * ").Append(q == 0 ? "factor" : Unsafe + ".Add(ref factor, " + q + ")");
                    }
                }

                w.Line((r == 0 ? "factorGradient" : Unsafe + ".Add(ref factorGradient, " + r + ")") + " = productGradient * (" + others + ");");
            }
        }
    }
    /// <summary>
    /// <see cref="WriteForward"/> for every sample of a batch block: the caller's <paramref name="sampleLine"/> declares
    /// <c>sc</c>, the sample's scratch, which holds node and sub-node values at <see cref="KernelLayout"/> offsets.
    /// </summary>
    public static void WriteBlockForward(SourceWriter w, KernelLayout layout, int layer, string sampleLine)
    {
        if (layout.Spec.MultiplicationWidth(layer) == 0)
        {
            return;
        }

        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line(sampleLine);
            WriteForward(w, layout, layer, "sc", layout.SubnodeOffset[layer], "sc", layout.NodeOffset[layer]);
        }
    }

    /// <summary>
    /// <see cref="WriteBackward"/> for every sample of a batch block: values in the sample's scratch <c>sc</c>, gradients
    /// at <c>sc + ScratchGradients</c> (the batch path's per-sample layout).
    /// </summary>
    public static void WriteBlockBackward(SourceWriter w, KernelLayout layout, int layer, string sampleLine)
    {
        if (layout.Spec.MultiplicationWidth(layer) == 0)
        {
            return;
        }

        using (w.Block("for (int s = 0; s < count; s++)"))
        {
            w.Line(sampleLine);
            w.Line("ref double sampleGradients = ref " + Unsafe + ".Add(ref sc, ScratchGradients);");
            WriteBackward(w, layout, layer, "sc", "sampleGradients");
        }

        w.Line();
    }
}
