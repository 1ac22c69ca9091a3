namespace KanCompile.Interpretability.Hypotheses;

/// <summary>How the inputs of one node of a <see cref="DependencyTree"/> combine (pykan's tree-node properties).</summary>
public enum DependencyProperty
{
    /// <summary>No tested property holds (pykan's <c>''</c>, drawn as a box).</summary>
    None,

    /// <summary>A single child passed through (pykan's <c>'Id'</c>).</summary>
    Identity,

    /// <summary>Generally separable: F(g₁(…) + g₂(…) + …) across the children (pykan's <c>'GS'</c>).</summary>
    GeneralSeparable,

    /// <summary>Additively separable across the children (pykan's <c>'Add'</c>, top node only).</summary>
    Additive,

    /// <summary>Multiplicatively separable across the children (pykan's <c>'Mul'</c>, top node only).</summary>
    Multiplicative,
}

/// <summary>One node of a <see cref="DependencyTree"/>: the inputs it covers, the child molecules it joins and how.</summary>
/// <param name="Inputs">The inputs under the node, in tree order.</param>
/// <param name="Children">The molecules of the level below that it joins, in order.</param>
/// <param name="Property">How they combine.</param>
public sealed record DependencyNode(IReadOnlyList<int> Inputs, IReadOnlyList<IReadOnlyList<int>> Children, DependencyProperty Property)
{
    /// <summary>How many molecules the node joins.</summary>
    public int Arity => Children.Count;
}

/// <summary>
/// How a function's inputs combine hierarchically (pykan's <c>get_molecule</c> and <c>get_tree_node</c>, drawn by
/// <c>plot_tree</c>): level 0 holds each input alone; each higher level joins molecules of the level below whose
/// inputs enter the function only through one combination (<see cref="KanHypotheses.TestSymmetry"/>); the last
/// level is every input. Every node above level 0 says how its children combine.
/// </summary>
public sealed class DependencyTree
{
    internal DependencyTree(IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> molecules, IReadOnlyList<IReadOnlyList<DependencyNode>> nodes)
    {
        Molecules = molecules;
        Nodes = nodes;
    }

    /// <summary>The molecules of each level (pykan's <c>moleculess</c>), level 0 first; each lists its inputs in tree order.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> Molecules { get; }

    /// <summary>The nodes of levels 1, 2, … (one per molecule of that level).</summary>
    public IReadOnlyList<IReadOnlyList<DependencyNode>> Nodes { get; }

    /// <summary>The inputs in the order the tree draws them (the last level's molecule).</summary>
    public IReadOnlyList<int> InputOrder => Molecules[^1].SelectMany(m => m).ToArray();

    /// <summary>
    /// The tree as nested text, e.g. <c>(a × GS(b, c))</c>: + and × for additive and multiplicative nodes, GS(…) for
    /// generally separable ones, f(…) when no property holds.
    /// </summary>
    /// <param name="inputNames">Names of the inputs; x1, x2, … when null.</param>
    public string ToText(IReadOnlyList<string>? inputNames = null)
    {
        string Name(int i) => inputNames is not null && i < inputNames.Count ? inputNames[i] : "x" + (i + 1);

        string Render(int level, IReadOnlyList<int> molecule)
        {
            if (level == 0)
            {
                return Name(molecule[0]);
            }

            var node = Nodes[level - 1].First(n => n.Inputs.SequenceEqual(molecule));
            var parts = node.Children.Select(child => Render(level - 1, child)).ToArray();
            return node.Property switch
            {
                DependencyProperty.Identity => parts[0],
                DependencyProperty.Additive => "(" + string.Join(" + ", parts) + ")",
                DependencyProperty.Multiplicative => "(" + string.Join(" × ", parts) + ")",
                DependencyProperty.GeneralSeparable => "GS(" + string.Join(", ", parts) + ")",
                _ => "f(" + string.Join(", ", parts) + ")",
            };
        }

        return Render(Molecules.Count - 1, Molecules[^1][0]);
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();
}
