namespace KanCompile;

/// <summary>The shape of a model with multiplication nodes (pykan's MultKAN), as seen from the model.</summary>
public abstract partial class KanModel
{
    /// <summary>Multiplication-node counts per layer, inputs first (all zero for a plain KAN).</summary>
    public IReadOnlyList<int> MultiplicationNodes => Architecture.MultiplicationNodes;

    /// <summary>Sub-nodes each multiplication node multiplies (pykan's <c>mult_arity</c>).</summary>
    public int MultiplicationArity => Architecture.MultiplicationArity;

    /// <summary>
    /// Nodes per layer, addition plus multiplication (pykan's <c>width_in</c>). Edge (l, i, j) starts at node i of
    /// layer l; equal to <see cref="Widths"/> for a plain KAN.
    /// </summary>
    public IReadOnlyList<int> NodeWidths => Architecture.NodeWidths;

    /// <summary>
    /// Sub-nodes per layer (pykan's <c>width_out</c>): edge (l, i, j) ends at sub-node j of layer l + 1, and edge
    /// tables are <c>[NodeWidths[l]][SubnodeWidths[l + 1]]</c>. Equal to <see cref="Widths"/> for a plain KAN.
    /// </summary>
    public IReadOnlyList<int> SubnodeWidths => Architecture.SubnodeWidths;

    /// <summary>
    /// The node of layer <paramref name="layer"/> that sub-node <paramref name="subnode"/> feeds: itself for addition
    /// sub-nodes, its multiplication node otherwise.
    /// </summary>
    public int NodeOfSubnode(int layer, int subnode)
    {
        if ((uint)layer > (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Node layers run from 0 (inputs) to {Depth} (outputs).");
        }

        if ((uint)subnode >= (uint)SubnodeWidths[layer])
        {
            throw new ArgumentOutOfRangeException(nameof(subnode), subnode, $"Layer {layer} has {SubnodeWidths[layer]} sub-nodes.");
        }

        int sums = Widths[layer];

        return subnode < sums ? subnode : sums + (subnode - sums) / MultiplicationArity;
    }
}
