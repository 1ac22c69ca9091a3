namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>pykan's default node threshold for <see cref="Prune"/> and <see cref="PruneNode(double, ReadOnlySpan{double})"/>.</summary>
    public const double DefaultNodeThreshold = 1e-2;

    /// <summary>pykan's default edge threshold for <see cref="Prune"/> and <see cref="PruneEdge(double, ReadOnlySpan{double})"/>.</summary>
    public const double DefaultEdgeThreshold = 3e-2;

    /// <summary>pykan's default input threshold for <see cref="PruneInput(double, ReadOnlySpan{double})"/>.</summary>
    public const double DefaultInputThreshold = 1e-2;

    /// <summary>
    /// pykan's <c>prune()</c>: removes unimportant hidden nodes (<see cref="PruneNode(double, ReadOnlySpan{double})"/>),
    /// attributes the smaller model again on the same samples and masks its unimportant edges. Returns a new
    /// model; this one is left unchanged (pykan also zeroes the removed nodes' masks in the original).
    /// </summary>
    /// <param name="nodeThreshold">A hidden node is kept iff its score exceeds this.</param>
    /// <param name="edgeThreshold">An edge stays live iff its score (in the pruned model) exceeds this.</param>
    /// <param name="inputs">Row-major samples; <see cref="LastFitInputs"/> when empty.</param>
    public KanNetwork Prune(double nodeThreshold = DefaultNodeThreshold, double edgeThreshold = DefaultEdgeThreshold, ReadOnlySpan<double> inputs = default)
    {
        CheckThreshold(nodeThreshold, nameof(nodeThreshold));
        CheckThreshold(edgeThreshold, nameof(edgeThreshold));
        ReadOnlySpan<double> samples = SamplesOrLastFit(inputs, nameof(Prune));
        KanNetwork pruned = PruneNode(nodeThreshold, samples);
        pruned.PruneEdge(pruned.Attribute(samples), edgeThreshold);
        return pruned;
    }

    /// <summary>
    /// pykan's <c>prune_node()</c>: a new model keeping hidden node i of layer l iff its attribution score on
    /// <paramref name="inputs"/> (or <see cref="LastFitInputs"/>) exceeds <paramref name="threshold"/>. Inputs and
    /// outputs are never removed. The kept nodes' knots, coefficients, scales and masks are copied.
    /// </summary>
    public KanNetwork PruneNode(double threshold = DefaultNodeThreshold, ReadOnlySpan<double> inputs = default)
    {
        CheckThreshold(threshold, nameof(threshold));
        KanAttribution attribution = Attribute(inputs);
        var hidden = new int[Depth - 1][];
        for (int l = 1; l < Depth; l++)
        {
            hidden[l - 1] = attribution.NodesAbove(l, threshold);
            if (hidden[l - 1].Length == 0)
            {
                double best = attribution.NodeScores[l].Max();
                throw new InvalidOperationException(
                    $"Pruning at threshold {threshold} would remove every node of hidden layer {l} (highest score {best}); lower the threshold.");
            }
        }

        return PruneNode(hidden);
    }

    /// <summary>
    /// pykan's <c>prune_node(active_neurons_id=...)</c>: a new model keeping exactly the listed hidden nodes
    /// (<paramref name="activeNodes"/>[l − 1] for hidden layer l, ascending, original indices).
    /// </summary>
    public KanNetwork PruneNode(IReadOnlyList<int[]> activeNodes)
    {
        ArgumentNullException.ThrowIfNull(activeNodes);
        if (activeNodes.Count != Depth - 1)
        {
            throw new ArgumentException($"Give one list of kept nodes per hidden layer: the model has {Depth - 1}, got {activeNodes.Count}.", nameof(activeNodes));
        }

        var kept = new int[Depth + 1][];
        kept[0] = Enumerable.Range(0, InputCount).ToArray();
        kept[Depth] = Enumerable.Range(0, OutputCount).ToArray();
        for (int l = 1; l < Depth; l++)
        {
            kept[l] = activeNodes[l - 1] ?? throw new ArgumentException($"The kept nodes of hidden layer {l} are null.", nameof(activeNodes));
        }

        KanNetwork pruned = CreateSubset(kept);
        pruned.LastFitInputs = LastFitInputs is null ? null : (double[])LastFitInputs.Clone();
        return pruned;
    }

    /// <summary>
    /// pykan's <c>prune_edge()</c>, in place: mask ← mask·[edge score &gt; <paramref name="threshold"/>], with scores
    /// on <paramref name="inputs"/> (or <see cref="LastFitInputs"/>).
    /// </summary>
    public void PruneEdge(double threshold = DefaultEdgeThreshold, ReadOnlySpan<double> inputs = default) =>
        PruneEdge(Attribute(inputs), threshold);

    /// <summary>pykan's <c>prune_edge()</c> with scores already computed on this model.</summary>
    public void PruneEdge(KanAttribution attribution, double threshold = DefaultEdgeThreshold)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        CheckThreshold(threshold, nameof(threshold));
        if (!attribution.Fits(NodeWidths) || !attribution.SubnodeWidths.SequenceEqual(SubnodeWidths))
        {
            throw new ArgumentException(
                $"The attribution was computed on widths [{string.Join(", ", attribution.Widths)}] but this model has [{string.Join(", ", NodeWidths)}].", nameof(attribution));
        }

        for (int l = 0; l < Depth; l++)
        {
            for (int i = 0; i < NodeWidths[l]; i++)
            {
                for (int j = 0; j < SubnodeWidths[l + 1]; j++)
                {
                    // !(score > threshold) also masks edges whose score is NaN, as pykan's comparison does.
                    if (!(attribution.EdgeScore(l, i, j) > threshold))
                    {
                        SetMask(l, i, j, 0.0);
                    }
                }
            }
        }
    }

    /// <summary>
    /// pykan's <c>prune_input()</c>: keeps the inputs whose feature score exceeds <paramref name="threshold"/>.
    /// The returned model takes only the kept inputs; <see cref="KanInputPruning.InputIds"/> maps them to the
    /// original columns and <see cref="KanInputPruning.SelectInputs"/> narrows full-width rows.
    /// </summary>
    public KanInputPruning PruneInput(double threshold = DefaultInputThreshold, ReadOnlySpan<double> inputs = default)
    {
        CheckThreshold(threshold, nameof(threshold));
        int[] inputIds = Attribute(inputs).NodesAbove(0, threshold);
        if (inputIds.Length == 0)
        {
            throw new InvalidOperationException($"Pruning inputs at threshold {threshold} would remove every input; lower the threshold.");
        }

        return PruneInput(inputIds);
    }

    /// <summary>pykan's <c>prune_input(active_inputs=...)</c>: keeps exactly the listed inputs (ascending, original indices).</summary>
    public KanInputPruning PruneInput(int[] activeInputs)
    {
        ArgumentNullException.ThrowIfNull(activeInputs);
        var kept = new int[Depth + 1][];
        kept[0] = activeInputs;
        for (int l = 1; l <= Depth; l++)
        {
            kept[l] = Enumerable.Range(0, NodeWidths[l]).ToArray();
        }

        KanNetwork pruned = CreateSubset(kept);
        var selection = new KanInputPruning(pruned, (int[])activeInputs.Clone(), InputCount);
        if (LastFitInputs is not null)
        {
            pruned.LastFitInputs = new double[LastFitInputs.Length / InputCount * activeInputs.Length];
            selection.SelectInputs(LastFitInputs, pruned.LastFitInputs);
        }

        return selection;
    }

    /// <summary>pykan's <c>remove_edge(l, i, j)</c>: masks the edge <paramref name="input"/> → <paramref name="output"/> of <paramref name="layer"/>.</summary>
    public void RemoveEdge(int layer, int input, int output) => SetMask(layer, input, output, 0.0);

    /// <summary>
    /// pykan's <c>remove_node(l, i)</c>: masks every edge into and out of node <paramref name="node"/> at layer
    /// boundary <paramref name="layer"/> (0 = inputs, <see cref="Depth"/> = outputs). The node stays in the model.
    /// </summary>
    public void RemoveNode(int layer, int node)
    {
        if ((uint)layer > (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Node layers run from 0 (inputs) to {Depth} (outputs).");
        }

        if ((uint)node >= (uint)NodeWidths[layer])
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Layer {layer} has {NodeWidths[layer]} nodes.");
        }

        if (layer > 0)
        {
            // Into every sub-node the node owns: itself, or each factor of a multiplication node.
            for (int subnode = 0; subnode < SubnodeWidths[layer]; subnode++)
            {
                if (NodeOfSubnode(layer, subnode) != node)
                {
                    continue;
                }

                for (int i = 0; i < NodeWidths[layer - 1]; i++)
                {
                    SetMask(layer - 1, i, subnode, 0.0);
                }
            }
        }

        if (layer < Depth)
        {
            for (int j = 0; j < SubnodeWidths[layer + 1]; j++)
            {
                SetMask(layer, node, j, 0.0);
            }
        }
    }

    private static void CheckThreshold(double threshold, string name)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(name, threshold, "A pruning threshold must be a number.");
        }
    }
}
