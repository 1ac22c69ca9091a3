using System.Globalization;

namespace KanCompile;

/// <summary>
/// One edge of a KAN: the learnable function from input node <paramref name="Input"/> of layer
/// <paramref name="Layer"/> to output (sub-)node <paramref name="Output"/> of the next — pykan's (l, i, j).
/// A model checks it against its shape wherever one is passed: an out-of-range part throws
/// <see cref="ArgumentOutOfRangeException"/> saying which part and the valid range.
/// </summary>
/// <param name="Layer">The layer of edges, 0 for the edges leaving the inputs (pykan's l).</param>
/// <param name="Input">The node the edge leaves, in layer <paramref name="Layer"/> (pykan's i).</param>
/// <param name="Output">The (sub-)node of layer <paramref name="Layer"/> + 1 the edge enters (pykan's j).</param>
public readonly record struct KanEdge(int Layer, int Input, int Output)
{
    /// <summary>pykan's notation, <c>(l,i,j)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Layer},{Input},{Output})");

    /// <summary>
    /// Checks the edge against a network's shape and returns its position in the layer's input-major edge order
    /// (<c>Input · outputs + Output</c>). <paramref name="nodeWidths"/>[l] counts the nodes layer l's edges leave,
    /// <paramref name="subnodeWidths"/>[l + 1] the (sub-)nodes they enter.
    /// </summary>
    internal int IndexInLayer(IReadOnlyList<int> nodeWidths, IReadOnlyList<int> subnodeWidths, string paramName)
    {
        int depth = nodeWidths.Count - 1;
        if ((uint)Layer >= (uint)depth)
        {
            throw new ArgumentOutOfRangeException(paramName, this, $"Edge {this}: layer {Layer} does not exist; the model has {depth} layers of edges (0 to {depth - 1}).");
        }

        int inputs = nodeWidths[Layer], outputs = subnodeWidths[Layer + 1];
        if ((uint)Input >= (uint)inputs)
        {
            throw new ArgumentOutOfRangeException(paramName, this, $"Edge {this}: input {Input} does not exist; layer {Layer} has {inputs} input nodes (0 to {inputs - 1}).");
        }

        if ((uint)Output >= (uint)outputs)
        {
            throw new ArgumentOutOfRangeException(paramName, this, $"Edge {this}: output {Output} does not exist; layer {Layer} has {outputs} output (sub-)nodes (0 to {outputs - 1}).");
        }

        return Input * outputs + Output;
    }
}
