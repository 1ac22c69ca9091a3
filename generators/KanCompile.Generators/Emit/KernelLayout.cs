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
/// discarded).</para>
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
        KnotRowLength = KnotCount + 2 * PhantomKnots;
        CoefficientOffset = new int[depth];
        ScaleBaseOffset = new int[depth];
        ScaleSplineOffset = new int[depth];
        MaskOffset = new int[depth];
        KnotOffset = new int[depth];
        EdgeOffset = new int[depth];
        NodeOffset = new int[depth + 1];
        int parameters = 0, masks = 0, knots = 0, nodes = 0;
        for (int l = 0; l < depth; l++)
        {
            int edges = spec.Width(l) * spec.Width(l + 1);
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

    public int KnotRowLength { get; }

    public int ParameterCount { get; }

    public int EdgeCount { get; }

    /// <summary>All nodes including inputs and outputs.</summary>
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

    public int[] KnotOffset { get; }
}
