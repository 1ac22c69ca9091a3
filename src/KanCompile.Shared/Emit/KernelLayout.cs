using System;
using KanCompile.Generators.Model;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Where every number lives in the flat buffers a kernel reads. Shared (linked) by the emitter and the
/// runtime so the two can never disagree.
/// <para>Parameters, layer after layer: <c>coef[in][out][G+k]</c>, then <c>scale_base[in][out]</c>, then
/// <c>scale_sp[in][out]</c> (pykan's index order). Masks: <c>mask[in][out]</c> per layer. Knot table: for each
/// layer and input node, the G+2k+1 knots padded by max(k-1, 0) phantom knots on each side so the local
/// Cox-de Boor recurrence never reads outside the row (phantom knots only feed basis functions that are
/// discarded), followed by per-interval reciprocal knot differences (0 where knots coincide).</para>
/// <para>Edges of layer l run from the <c>Width(l)</c> nodes to the <c>SubnodeWidth(l+1)</c> sub-nodes. Per-node tables
/// hold every layer's nodes first (<see cref="NodeOffset"/>), then, only for layers with multiplication nodes, their
/// sub-node values (<see cref="SubnodeOffset"/>); elsewhere sub-nodes are the nodes, so plain models are unchanged.</para>
/// </summary>
internal sealed class KernelLayout
{
    public KernelLayout(KernelSpec spec)
    {
        Spec = spec;
        int depth = spec.Depth;
        CoefficientsPerEdge = spec.GridSize + spec.SplineOrder;
        KnotCount = spec.GridSize + 2 * spec.SplineOrder + 1;
        PhantomKnots = Math.Max(spec.SplineOrder - 1, 0);
        PaddedKnotCount = KnotCount + 2 * PhantomKnots;
        Intervals = spec.GridSize + 2 * spec.SplineOrder;
        ReciprocalsPerInterval = spec.SplineOrder * (spec.SplineOrder + 1) / 2 + spec.SplineOrder;
        KnotRowLength = PaddedKnotCount + Intervals * ReciprocalsPerInterval;
        CoefficientOffset = new int[depth];
        ScaleBaseOffset = new int[depth];
        ScaleSplineOffset = new int[depth];
        MaskOffset = new int[depth];
        KnotOffset = new int[depth];
        EdgeOffset = new int[depth];
        NodeOffset = new int[depth + 1];
        SubnodeOffset = new int[depth + 1];
        int parameters = 0, masks = 0, knots = 0, nodes = 0;
        for (int l = 0; l < depth; l++)
        {
            int edges = spec.Width(l) * spec.SubnodeWidth(l + 1);
            CoefficientOffset[l] = parameters;
            parameters += edges * CoefficientsPerEdge;
            ScaleBaseOffset[l] = parameters;
            parameters += edges;
            ScaleSplineOffset[l] = parameters;
            parameters += edges;
            MaskOffset[l] = masks;
            EdgeOffset[l] = masks;
            masks += edges;
            KnotOffset[l] = knots;
            knots += spec.Width(l) * KnotRowLength;
            NodeOffset[l] = nodes;
            nodes += spec.Width(l);
        }

        NodeOffset[depth] = nodes;
        nodes += spec.Width(depth);
        for (int l = 0; l <= depth; l++)
        {
            SubnodeOffset[l] = NodeOffset[l];
            if (spec.MultiplicationWidth(l) != 0)
            {
                SubnodeOffset[l] = nodes;
                nodes += spec.SubnodeWidth(l);
            }
        }

        ParameterCount = parameters;
        EdgeCount = masks;
        KnotTableLength = knots;
        NodeCount = nodes;
    }

    public KernelSpec Spec { get; }

    /// <summary>G + k: spline coefficients per edge.</summary>
    public int CoefficientsPerEdge { get; }

    /// <summary>G + 2k + 1: real knots per input node.</summary>
    public int KnotCount { get; }

    /// <summary>Phantom knots added on each side of a knot row in the kernel's knot table.</summary>
    public int PhantomKnots { get; }

    /// <summary>Real knots plus phantom padding on both sides: the first part of a knot-table row.</summary>
    public int PaddedKnotCount { get; }

    /// <summary>M = G + 2k knot intervals.</summary>
    public int Intervals { get; }

    /// <summary>
    /// Reciprocal knot differences stored per interval after the padded knots, so the kernel's Cox-de Boor
    /// recurrence multiplies instead of divides: k(k+1)/2 for the triangle plus k for the derivative.
    /// </summary>
    public int ReciprocalsPerInterval { get; }

    /// <summary>Length of one knot-table row: padded knots, then <see cref="ReciprocalsPerInterval"/> per interval.</summary>
    public int KnotRowLength { get; }

    /// <summary>
    /// Slot of 1/(t_{mu+r+1} − t_{mu+1−j+r}) used at triangle level j (1..k), term r (0..j−1), within an interval's block.
    /// </summary>
    public static int TriangleReciprocal(int level, int term) => (level - 1) * level / 2 + term;

    /// <summary>Slot of 1/(t_{mu+r} − t_{mu−k+r}) for derivative term r (1..k) within an interval's block.</summary>
    public static int DerivativeReciprocal(int splineOrder, int term) => splineOrder * (splineOrder + 1) / 2 + term - 1;

    public int ParameterCount { get; }

    public int EdgeCount { get; }

    /// <summary>All per-node slots: every node including inputs and outputs, then sub-nodes of multiplication layers.</summary>
    public int NodeCount { get; }

    public int KnotTableLength { get; }

    public int[] CoefficientOffset { get; }

    public int[] ScaleBaseOffset { get; }

    public int[] ScaleSplineOffset { get; }

    /// <summary>Offset of layer l's <c>mask[in][out]</c> in the mask buffer.</summary>
    public int[] MaskOffset { get; }

    /// <summary>Offset of layer l's edges in per-edge tables (same as <see cref="MaskOffset"/>).</summary>
    public int[] EdgeOffset { get; }

    /// <summary>Offset of layer l's nodes in per-node tables (layer 0 = inputs, layer depth = outputs).</summary>
    public int[] NodeOffset { get; }

    /// <summary>
    /// Offset of layer l's sub-nodes (what its incoming edges sum into) in per-node tables: <see cref="NodeOffset"/>
    /// for layers without multiplication nodes, a block after all nodes otherwise.
    /// </summary>
    public int[] SubnodeOffset { get; }

    public int[] KnotOffset { get; }
}
