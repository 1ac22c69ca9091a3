using System.Collections.ObjectModel;

namespace KanCompile;

/// <summary>
/// Attribution scores of a KAN on a set of samples (pykan's <c>attribute()</c>, kan-math §2.11): how much each
/// node, edge and input contributes to the outputs, propagated backwards from the outputs through each edge's
/// share of the spread of the node it feeds. Immutable; indices follow the model the scores were computed on.
/// </summary>
public sealed class KanAttribution
{
    private readonly int[] _widths;
    private readonly int[] _subnodeWidths;
    private readonly double[][] _subnodeScores;
    private readonly double[][] _nodeScores;
    private readonly double[][] _edgeScores;
    private readonly double[][] _edgeActivationScales;
    private readonly double[][] _subnodeActivationScales;

    internal KanAttribution(int[] widths, int[] subnodeWidths, int sampleCount, double[][] nodeScores, double[][] subnodeScores, double[][] edgeScores, double[][] edgeActivationScales, double[][] subnodeActivationScales)
    {
        _widths = widths;
        _subnodeWidths = subnodeWidths;
        _subnodeScores = subnodeScores;
        SampleCount = sampleCount;
        _nodeScores = nodeScores;
        _edgeScores = edgeScores;
        _edgeActivationScales = edgeActivationScales;
        _subnodeActivationScales = subnodeActivationScales;
        NodeScores = ReadOnly(nodeScores);
        EdgeScores = ReadOnly(edgeScores);
    }

    /// <summary>Node counts per layer of the attributed model, inputs first (addition plus multiplication nodes).</summary>
    public IReadOnlyList<int> Widths => _widths;

    /// <summary>
    /// Sub-node counts per layer (pykan's <c>width_out</c>): where each layer's incoming edges end. Equal to
    /// <see cref="Widths"/> without multiplication nodes.
    /// </summary>
    public IReadOnlyList<int> SubnodeWidths => _subnodeWidths;

    /// <summary>Number of layers of edges.</summary>
    public int Depth => _widths.Length - 1;

    /// <summary>Number of samples the statistics were taken over.</summary>
    public int SampleCount { get; }

    /// <summary>
    /// Node scores per layer boundary l = 0..<see cref="Depth"/> (pykan's <c>node_scores</c>): entry 0 holds the
    /// inputs (= <see cref="FeatureScores"/>), the last entry the outputs (1/outputs each).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> NodeScores { get; }

    /// <summary>
    /// Edge scores per layer l = 0..<see cref="Depth"/>−1 (pykan's <c>edge_scores</c>), each flattened in pykan's
    /// <b>[out][in]</b> order: entry <c>output * inputs + input</c>. <see cref="EdgeScore"/> reads one edge by name.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> EdgeScores { get; }

    /// <summary>Scores of the model inputs (pykan's <c>feature_score</c>).</summary>
    public IReadOnlyList<double> FeatureScores => NodeScores[0];

    /// <summary>Score of node <paramref name="node"/> at layer boundary <paramref name="layer"/> (0 = inputs).</summary>
    public double NodeScore(int layer, int node)
    {
        if ((uint)layer > (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Node layers run from 0 (inputs) to {Depth} (outputs).");
        }

        CheckIndex(node, _widths[layer], nameof(node), $"Layer {layer} has {_widths[layer]} nodes.");
        return _nodeScores[layer][node];
    }

    /// <summary>Score of <paramref name="edge"/> (pykan's <c>edge_scores[l][j, i]</c>).</summary>
    public double EdgeScore(KanEdge edge)
    {
        int index = EdgeIndex(edge);
        return _edgeScores[edge.Layer][index];
    }

    /// <summary>
    /// Unbiased standard deviation over the samples of the edge's activation φ (pykan's <c>edge_actscale</c>,
    /// masked, numeric branch).
    /// </summary>
    public double EdgeActivationScale(KanEdge edge)
    {
        int index = EdgeIndex(edge);
        return _edgeActivationScales[edge.Layer][index];
    }

    /// <summary>
    /// Unbiased standard deviation over the samples of the sum entering sub-node <paramref name="output"/> of layer
    /// boundary <paramref name="layer"/> + 1 (pykan's <c>subnode_actscale</c>).
    /// </summary>
    public double SubnodeActivationScale(int layer, int output)
    {
        CheckLayer(layer);
        CheckIndex(output, _subnodeWidths[layer + 1], nameof(output), $"Layer {layer} has {_subnodeWidths[layer + 1]} output sub-nodes.");
        return _subnodeActivationScales[layer][output];
    }

    /// <summary>
    /// Score of sub-node <paramref name="output"/> fed by <paramref name="layer"/> (pykan's <c>subnode_scores</c>): the
    /// score of the node it belongs to — the addition node itself, or the multiplication node, copied to each factor.
    /// </summary>
    public double SubnodeScore(int layer, int output)
    {
        CheckLayer(layer);
        CheckIndex(output, _subnodeWidths[layer + 1], nameof(output), $"Layer {layer} has {_subnodeWidths[layer + 1]} output sub-nodes.");
        return _subnodeScores[layer][output];
    }

    /// <summary>Nodes at layer boundary <paramref name="layer"/> whose score exceeds <paramref name="threshold"/> (pykan's pruning test).</summary>
    public int[] NodesAbove(int layer, double threshold)
    {
        if ((uint)layer > (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Node layers run from 0 (inputs) to {Depth} (outputs).");
        }

        var kept = new List<int>();
        for (int node = 0; node < _widths[layer]; node++)
        {
            if (_nodeScores[layer][node] > threshold)
            {
                kept.Add(node);
            }
        }

        return kept.ToArray();
    }

    /// <summary>True when these scores were computed on a model of the given widths.</summary>
    internal bool Fits(IReadOnlyList<int> widths) => widths.SequenceEqual(_widths);

    /// <summary>The edge's position in pykan's output-major order of its layer, after checking it exists.</summary>
    private int EdgeIndex(KanEdge edge)
    {
        edge.IndexInLayer(_widths, _subnodeWidths, nameof(edge));
        return edge.Output * _widths[edge.Layer] + edge.Input;
    }

    private void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has {Depth} layers of edges.");
        }
    }

    private static void CheckIndex(int index, int count, string name, string message)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(name, index, message);
        }
    }

    private static ReadOnlyCollection<IReadOnlyList<double>> ReadOnly(double[][] rows) =>
        Array.AsReadOnly(rows.Select(row => (IReadOnlyList<double>)Array.AsReadOnly(row)).ToArray());
}
