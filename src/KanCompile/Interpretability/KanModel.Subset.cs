using KanCompile.Generators.Emit;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// A new network made of the listed nodes (<paramref name="keptNodes"/>[l] for every layer boundary
    /// l = 0..depth, original indices, strictly ascending) with their knots, coefficients, scales and masks —
    /// pykan's <c>KANLayer.get_subset</c> applied to every layer. The grid size is this model's current one.
    /// A kept multiplication node keeps all its sub-nodes (and their incoming edges); a dropped one drops them all.
    /// </summary>
    internal KanNetwork CreateSubset(int[][] keptNodes)
    {
        for (int l = 0; l <= Depth; l++)
        {
            CheckKeptNodes(keptNodes[l], l);
        }

        // Addition nodes precede multiplication nodes, so ascending kept nodes give ascending kept sub-nodes.
        int[] widths = keptNodes.Select((nodes, l) => nodes.Count(n => n < Widths[l])).ToArray();
        int[] multiplications = keptNodes.Select((nodes, l) => nodes.Length - widths[l]).ToArray();
        int[][] keptSubnodes = keptNodes.Select((nodes, l) => KeptSubnodes(nodes, l)).ToArray();
        KanArchitecture architecture = Architecture.HasMultiplication
            ? Architecture.WithWidths(widths, multiplications, GridSize)
            : Architecture.WithWidths(widths, GridSize);
        var subset = new KanNetwork(architecture, Seed, Engine);
        var source = Layout;
        var target = new KernelLayout(subset.Architecture.KernelSpecFor(GridSize));
        var knots = new double[target.NodeOffset[Depth] * target.KnotCount];
        var parameters = new double[target.ParameterCount];
        var masks = new double[target.EdgeCount];
        int coefficients = source.CoefficientsPerEdge;
        ReadOnlySpan<double> sourceKnots = KnotBuffer;
        for (int l = 0; l < Depth; l++)
        {
            int sourceOutputs = SubnodeWidths[l + 1], targetOutputs = keptSubnodes[l + 1].Length;
            for (int a = 0; a < keptNodes[l].Length; a++)
            {
                int i = keptNodes[l][a];
                sourceKnots.Slice((source.NodeOffset[l] + i) * source.KnotCount, source.KnotCount)
                    .CopyTo(knots.AsSpan((target.NodeOffset[l] + a) * target.KnotCount, target.KnotCount));
                for (int b = 0; b < targetOutputs; b++)
                {
                    int from = i * sourceOutputs + keptSubnodes[l + 1][b], to = a * targetOutputs + b;
                    ParameterBuffer.AsSpan(source.CoefficientOffset[l] + from * coefficients, coefficients)
                        .CopyTo(parameters.AsSpan(target.CoefficientOffset[l] + to * coefficients, coefficients));
                    parameters[target.ScaleBaseOffset[l] + to] = ParameterBuffer[source.ScaleBaseOffset[l] + from];
                    parameters[target.ScaleSplineOffset[l] + to] = ParameterBuffer[source.ScaleSplineOffset[l] + from];
                    masks[target.MaskOffset[l] + to] = MaskBuffer[source.MaskOffset[l] + from];
                }
            }
        }

        subset.ReplaceGrid(GridSize, knots, parameters);
        masks.CopyTo(subset.MaskBuffer, 0);
        CopySymbolicEdges(subset, keptNodes, keptSubnodes);
        if (keptNodes[Depth].Length == OutputCount)
        {
            // Every output kept: still the same classifier.
            subset.Classes = Classes;
        }

        return subset;
    }

    /// <summary>The sub-nodes of layer boundary <paramref name="layer"/> that the kept nodes own, ascending.</summary>
    private int[] KeptSubnodes(int[] nodes, int layer)
    {
        int sums = Widths[layer], arity = MultiplicationArity;
        var subnodes = new List<int>();
        foreach (int node in nodes)
        {
            if (node < sums)
            {
                subnodes.Add(node);
            }
            else
            {
                for (int r = 0; r < arity; r++)
                {
                    subnodes.Add(sums + (node - sums) * arity + r);
                }
            }
        }

        return subnodes.ToArray();
    }

    /// <summary>Carries the symbolic branch of every kept edge (function, affine, mask), the library and the
    /// singularity threshold over.</summary>
    private void CopySymbolicEdges(KanNetwork subset, int[][] keptNodes, int[][] keptSubnodes)
    {
        subset.SymbolicLibrary = SymbolicLibrary;
        if (SymbolicSingularityThreshold is double threshold)
        {
            subset.SymbolicSingularityThreshold = threshold;
        }

        if (_symbolicTable is not { } table)
        {
            return;
        }

        const int affineCount = Symbolic.SymbolicEdgeTable.AffinePerEdge;
        for (int l = 0; l < Depth; l++)
        {
            int sourceOutputs = SubnodeWidths[l + 1], targetOutputs = keptSubnodes[l + 1].Length;
            for (int a = 0; a < keptNodes[l].Length; a++)
            {
                for (int b = 0; b < targetOutputs; b++)
                {
                    int from = Layout.EdgeOffset[l] + keptNodes[l][a] * sourceOutputs + keptSubnodes[l + 1][b];
                    int to = subset.Layout.EdgeOffset[l] + a * targetOutputs + b;
                    subset.RestoreSymbolicEdge(to, table.Functions[from], table.Affine.AsSpan(from * affineCount, affineCount), table.Masks[from]);
                }
            }
        }
    }

    private void CheckKeptNodes(int[] nodes, int layer)
    {
        if (nodes is null || nodes.Length == 0)
        {
            throw new ArgumentException($"Layer {layer} would have no nodes left; keep at least one.", nameof(nodes));
        }

        for (int n = 0; n < nodes.Length; n++)
        {
            if ((uint)nodes[n] >= (uint)NodeWidths[layer])
            {
                throw new ArgumentOutOfRangeException(nameof(nodes), nodes[n], $"Layer {layer} has {NodeWidths[layer]} nodes; node {nodes[n]} does not exist.");
            }

            if (n > 0 && nodes[n] <= nodes[n - 1])
            {
                throw new ArgumentException($"The kept nodes of layer {layer} must be strictly ascending; got [{string.Join(", ", nodes)}].", nameof(nodes));
            }
        }
    }
}
