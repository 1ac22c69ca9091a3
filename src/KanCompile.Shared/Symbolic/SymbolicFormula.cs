using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

/// <summary>
/// pykan's <c>symbolic_formula</c> (kan-math §2.13): composes the symbolic edges of a layered network into one
/// expression per output. Unlike pykan, absent (masked) edges are left out rather than read from stale state.
/// </summary>
public static class SymbolicFormula
{
    /// <summary>
    /// Composes every output: sub-node j of layer l+1 = Σ_i c·f(a·x_i + b) + d over the live edges of layer l (with the
    /// layer's affine maps when they are not identities); addition nodes are their sub-nodes and each multiplication
    /// node is the product of its <see cref="SymbolicLayer.MultiplicationArity"/> consecutive sub-nodes. The result is
    /// unsimplified and evaluates in pykan's order; call <see cref="SymbolicExpression.Simplify"/> or
    /// <see cref="SymbolicExpression.Round"/> to tidy it.
    /// </summary>
    /// <param name="layers">The layers, first to last; each layer's inputs must equal the previous layer's outputs.</param>
    /// <param name="library">Where edge function names are looked up; <see cref="SymbolicLibrary.Default"/> when null.</param>
    /// <exception cref="ArgumentException">No layers, or widths do not chain.</exception>
    /// <exception cref="KeyNotFoundException">An edge names a function missing from the library.</exception>
    public static IReadOnlyList<SymbolicExpression> Compose(IReadOnlyList<SymbolicLayer> layers, SymbolicLibrary? library = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("Compose needs at least one layer.", nameof(layers));
        }

        library ??= SymbolicLibrary.Default;
        var nodes = Enumerable.Range(0, layers[0].InputCount).Select(SymbolicExpression.Variable).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.InputCount != nodes.Length)
            {
                throw new ArgumentException(
                    $"Layer {l} has {layer.InputCount} input nodes but layer {l - 1} has {nodes.Length} output nodes; the widths must chain.",
                    nameof(layers));
            }

            var subnodes = new SymbolicExpression[layer.OutputCount];
            for (int j = 0; j < layer.OutputCount; j++)
            {
                var terms = new List<SymbolicExpression>();
                for (int i = 0; i < layer.InputCount; i++)
                {
                    if (layer[i, j] is SymbolicEdge edge)
                    {
                        terms.Add(Edge(edge, nodes[i], library));
                    }
                }

                subnodes[j] = AffineUnlessIdentity(SymbolicExpression.Add(terms), layer.SubnodeScale[j], layer.SubnodeBias[j]);
            }

            var next = new SymbolicExpression[layer.NodeCount];
            for (int n = 0; n < layer.NodeCount; n++)
            {
                // Node n < n_sum is sub-node n; multiplication node m = n − n_sum owns sub-nodes n_sum + arity·m onwards.
                SymbolicExpression node = n < layer.AdditionNodes
                    ? subnodes[n]
                    : SymbolicExpression.Multiply(subnodes.Skip(layer.AdditionNodes + (n - layer.AdditionNodes) * layer.MultiplicationArity).Take(layer.MultiplicationArity));
                next[n] = AffineUnlessIdentity(node, layer.NodeScale[n], layer.NodeBias[n]);
            }

            nodes = next;
        }

        return nodes;
    }

    /// <summary>The edge expression c·f(a·input + b) + d.</summary>
    /// <exception cref="KeyNotFoundException">The function is missing from the library.</exception>
    public static SymbolicExpression Edge(SymbolicEdge edge, SymbolicExpression input, SymbolicLibrary? library = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var function = (library ?? SymbolicLibrary.Default).Get(edge.FunctionName);
        var inner = SymbolicExpression.Affine(input, edge.A, edge.B);
        return SymbolicExpression.Affine(function.Apply(inner), edge.C, edge.D);
    }

    private static SymbolicExpression AffineUnlessIdentity(SymbolicExpression node, double scale, double bias) =>
        scale == 1.0 && bias == 0.0 ? node : SymbolicExpression.Affine(node, scale, bias);
}
