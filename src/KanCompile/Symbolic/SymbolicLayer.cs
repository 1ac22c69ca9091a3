namespace KanCompile.Symbolic;

/// <summary>
/// The symbolic edges of one layer for <see cref="SymbolicFormula.Compose"/>: edge (i, j) from input node i to
/// output node j is either a live <see cref="SymbolicEdge"/> or absent (masked, contributes nothing). Optional
/// per-node affine maps follow pykan: node_j = NodeScale_j·(SubnodeScale_j·Σ_i edge_ij + SubnodeBias_j) + NodeBias_j.
/// </summary>
public sealed class SymbolicLayer
{
    private readonly SymbolicEdge?[] _edges;

    /// <summary>An empty layer (no live edges, node scales 1, biases 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public SymbolicLayer(int inputCount, int outputCount)
    {
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
        _edges = new SymbolicEdge?[inputCount * outputCount];
        SubnodeScale = Enumerable.Repeat(1.0, outputCount).ToArray();
        SubnodeBias = new double[outputCount];
        NodeScale = Enumerable.Repeat(1.0, outputCount).ToArray();
        NodeBias = new double[outputCount];
    }

    /// <summary>Input nodes.</summary>
    public int InputCount { get; }

    /// <summary>Output nodes.</summary>
    public int OutputCount { get; }

    /// <summary>pykan's <c>subnode_scale</c>, one per output node (default 1); write into it.</summary>
    public double[] SubnodeScale { get; }

    /// <summary>pykan's <c>subnode_bias</c>, one per output node (default 0); write into it.</summary>
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
