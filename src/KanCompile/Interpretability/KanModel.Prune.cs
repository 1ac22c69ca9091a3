namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>pykan's default node threshold for <see cref="Prune(double, double)"/> and <see cref="PruneNode(ReadOnlySpan{double}, double)"/>.</summary>
    public const double DefaultNodeThreshold = 1e-2;

    /// <summary>pykan's default edge threshold for <see cref="Prune(double, double)"/> and <see cref="PruneEdge(ReadOnlySpan{double}, double)"/>.</summary>
    public const double DefaultEdgeThreshold = 3e-2;

    /// <summary>pykan's default input threshold for <see cref="PruneInput(ReadOnlySpan{double}, double)"/>.</summary>
    public const double DefaultInputThreshold = 1e-2;

    /// <summary>
    /// pykan's <c>prune()</c>: removes unimportant hidden nodes (<see cref="PruneNode(ReadOnlySpan{double}, double)"/>),
    /// attributes the smaller model again on the same samples and masks its unimportant edges. Returns a new
    /// model; this one is left unchanged (pykan also zeroes the removed nodes' masks in the original).
    /// </summary>
    /// <param name="nodeThreshold">A hidden node is kept iff its score exceeds this.</param>
    /// <param name="edgeThreshold">An edge stays live iff its score (in the pruned model) exceeds this.</param>
    /// <param name="inputs">Row-major samples (not empty).</param>
    public KanNetwork Prune(ReadOnlySpan<double> inputs, double nodeThreshold = DefaultNodeThreshold, double edgeThreshold = DefaultEdgeThreshold)
    {
        RequireSamples(inputs, nameof(Prune));
        CheckThreshold(nodeThreshold, nameof(nodeThreshold));
        CheckThreshold(edgeThreshold, nameof(edgeThreshold));
        KanNetwork pruned = PruneNode(inputs, nodeThreshold);
        pruned.PruneEdge(pruned.Attribute(inputs), edgeThreshold);
        return pruned;
    }

    /// <summary>As <see cref="Prune(ReadOnlySpan{double}, double, double)"/> on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public KanNetwork Prune(double nodeThreshold = DefaultNodeThreshold, double edgeThreshold = DefaultEdgeThreshold) =>
        Prune(LastFitSamples(nameof(Prune)), nodeThreshold, edgeThreshold);

    /// <summary>
    /// pykan's <c>prune_node()</c>: a new model keeping hidden node i of layer l iff its attribution score on
    /// <paramref name="inputs"/> (row-major, not empty) exceeds <paramref name="threshold"/>. Inputs and
    /// outputs are never removed. The kept nodes' knots, coefficients, scales and masks are copied.
    /// </summary>
    public KanNetwork PruneNode(ReadOnlySpan<double> inputs, double threshold = DefaultNodeThreshold)
    {
        RequireSamples(inputs, nameof(PruneNode));
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

    /// <summary>As <see cref="PruneNode(ReadOnlySpan{double}, double)"/> on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public KanNetwork PruneNode(double threshold = DefaultNodeThreshold) => PruneNode(LastFitSamples(nameof(PruneNode)), threshold);

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
    /// on <paramref name="inputs"/> (row-major, not empty).
    /// </summary>
    public void PruneEdge(ReadOnlySpan<double> inputs, double threshold = DefaultEdgeThreshold)
    {
        RequireSamples(inputs, nameof(PruneEdge));
        PruneEdge(Attribute(inputs), threshold);
    }

    /// <summary>As <see cref="PruneEdge(ReadOnlySpan{double}, double)"/> on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public void PruneEdge(double threshold = DefaultEdgeThreshold) => PruneEdge(LastFitSamples(nameof(PruneEdge)), threshold);

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

        foreach (var edge in Edges)
        {
            // !(score > threshold) also masks edges whose score is NaN, as pykan's comparison does.
            if (!(attribution.EdgeScore(edge) > threshold))
            {
                SetMask(edge, 0.0);
            }
        }
    }

    /// <summary>
    /// pykan's <c>prune_input()</c>: keeps the inputs whose feature score exceeds <paramref name="threshold"/>.
    /// The returned model takes only the kept inputs; <see cref="KanInputPruning.InputIds"/> maps them to the
    /// original columns and <see cref="KanInputPruning.SelectInputs"/> narrows full-width rows. Scores are taken on
    /// <paramref name="inputs"/> (row-major, not empty).
    /// </summary>
    public KanInputPruning PruneInput(ReadOnlySpan<double> inputs, double threshold = DefaultInputThreshold)
    {
        RequireSamples(inputs, nameof(PruneInput));
        CheckThreshold(threshold, nameof(threshold));
        int[] inputIds = Attribute(inputs).NodesAbove(0, threshold);
        if (inputIds.Length == 0)
        {
            throw new InvalidOperationException($"Pruning inputs at threshold {threshold} would remove every input; lower the threshold.");
        }

        return PruneInput(inputIds);
    }

    /// <summary>As <see cref="PruneInput(ReadOnlySpan{double}, double)"/> on <see cref="LastFitInputs"/>, the last fit's training inputs.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public KanInputPruning PruneInput(double threshold = DefaultInputThreshold) => PruneInput(LastFitSamples(nameof(PruneInput)), threshold);

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

    /// <summary>pykan's <c>remove_edge(l, i, j)</c>: masks <paramref name="edge"/>.</summary>
    public void RemoveEdge(KanEdge edge) => SetMask(edge, 0.0);

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
                    SetMask(new KanEdge(layer - 1, i, subnode), 0.0);
                }
            }
        }

        if (layer < Depth)
        {
            for (int j = 0; j < SubnodeWidths[layer + 1]; j++)
            {
                SetMask(new KanEdge(layer, node, j), 0.0);
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
