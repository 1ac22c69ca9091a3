namespace KanCompile.Symbolic;

/// <summary>
/// The symbolic edges of one layer for <see cref="SymbolicFormula.Compose"/>: edge (i, j) from input node i to
/// output sub-node j is either a live <see cref="SymbolicEdge"/> or absent (masked, contributes nothing). Optional
/// affine maps follow pykan: sub-node_j = SubnodeScale_j·Σ_i edge_ij + SubnodeBias_j, node = NodeScale·(…) + NodeBias.
/// <para>With multiplication nodes (pykan's MultKAN) the first <see cref="AdditionNodes"/> sub-nodes are the addition
/// nodes and each multiplication node n multiplies the <see cref="MultiplicationArity"/> consecutive sub-nodes after
/// them (any arity; pykan's stride-2 indexing bug, issue #404, is not copied). Without them sub-nodes are the nodes.</para>
/// </summary>
public sealed class SymbolicLayer
{
    private readonly SymbolicEdge?[] _edges;

    /// <summary>An empty layer (no live edges, node scales 1, biases 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public SymbolicLayer(int inputCount, int outputCount)
        : this(inputCount, outputCount, 0, 2)
    {
    }

    /// <summary>
    /// An empty layer whose output holds <paramref name="additionNodes"/> addition and <paramref name="multiplicationNodes"/>
    /// multiplication nodes of arity <paramref name="multiplicationArity"/> (pykan's <c>[n_sum, n_mult]</c>): edges end in
    /// additionNodes + arity·multiplicationNodes sub-nodes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, the arity is below 2, or there are no inputs or outputs.</exception>
    public SymbolicLayer(int inputCount, int additionNodes, int multiplicationNodes, int multiplicationArity)
    {
        if (additionNodes < 0 || multiplicationNodes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplicationNodes), multiplicationNodes, $"Node counts cannot be negative (got {additionNodes} addition, {multiplicationNodes} multiplication nodes).");
        }

        if (multiplicationArity < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplicationArity), multiplicationArity, "A multiplication node multiplies at least 2 sub-nodes.");
        }

        int outputCount = additionNodes + multiplicationArity * multiplicationNodes;
        if (inputCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "A symbolic layer needs at least one input node.");
        }

        if (outputCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "A symbolic layer needs at least one output node.");
        }

        InputCount = inputCount;
        OutputCount = outputCount;
        AdditionNodes = additionNodes;
        MultiplicationNodes = multiplicationNodes;
        MultiplicationArity = multiplicationArity;
        _edges = new SymbolicEdge?[inputCount * outputCount];
        SubnodeScale = Enumerable.Repeat(1.0, outputCount).ToArray();
        SubnodeBias = new double[outputCount];
        NodeScale = Enumerable.Repeat(1.0, NodeCount).ToArray();
        NodeBias = new double[NodeCount];
    }

    /// <summary>Input nodes.</summary>
    public int InputCount { get; }

    /// <summary>Output sub-nodes, where the edges end (the output nodes when the layer has no multiplication nodes).</summary>
    public int OutputCount { get; }

    /// <summary>Addition nodes of the output (the first sub-nodes, passed through).</summary>
    public int AdditionNodes { get; }

    /// <summary>Multiplication nodes of the output.</summary>
    public int MultiplicationNodes { get; }

    /// <summary>Sub-nodes each multiplication node multiplies.</summary>
    public int MultiplicationArity { get; }

    /// <summary>Output nodes: addition plus multiplication nodes; what the next layer takes as inputs.</summary>
    public int NodeCount => AdditionNodes + MultiplicationNodes;

    /// <summary>pykan's <c>subnode_scale</c>, one per output sub-node (default 1); write into it.</summary>
    public double[] SubnodeScale { get; }

    /// <summary>pykan's <c>subnode_bias</c>, one per output sub-node (default 0); write into it.</summary>
    public double[] SubnodeBias { get; }

    /// <summary>pykan's <c>node_scale</c>, one per output node (default 1); write into it.</summary>
    public double[] NodeScale { get; }

    /// <summary>pykan's <c>node_bias</c>, one per output node (default 0); write into it.</summary>
    public double[] NodeBias { get; }

    /// <summary>The edge from input <paramref name="input"/> to output <paramref name="output"/>, null when not live.</summary>
    public SymbolicEdge? this[int input, int output]
    {
        get => _edges[Index(input, output)];
        set => _edges[Index(input, output)] = value;
    }

    /// <summary>Makes edge (input → output) the live symbolic edge c·f(a·x + b) + d.</summary>
    public void SetEdge(int input, int output, string functionName, double a, double b, double c, double d) =>
        this[input, output] = new SymbolicEdge(functionName, a, b, c, d);

    /// <summary>Removes edge (input → output) from the formula (pykan: symbolic mask 0).</summary>
    public void ClearEdge(int input, int output) => this[input, output] = null;

    private int Index(int input, int output)
    {
        if ((uint)input >= (uint)InputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, $"The layer has input nodes 0..{InputCount - 1}.");
        }

        if ((uint)output >= (uint)OutputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(output), output, $"The layer has output nodes 0..{OutputCount - 1}.");
        }

        // Same order as the model's masks: edge e = i*out + j.
        return input * OutputCount + output;
    }
}
