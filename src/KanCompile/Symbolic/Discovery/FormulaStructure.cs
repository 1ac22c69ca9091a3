namespace KanCompile.Symbolic.Discovery;

/// <summary>How a part of a law was split by the structure search (issue 18 item 7).</summary>
public enum FormulaStructureKind
{
    /// <summary>A function of one variable, solved by the exhaustive search over short expressions.</summary>
    OneVariable,

    /// <summary>g(x_A) + h(x_B).</summary>
    Additive,

    /// <summary>g(x_A)·h(x_B).</summary>
    Multiplicative,

    /// <summary>c + g(x_A)·h(x_B).</summary>
    ShiftedProduct,

    /// <summary>p(x_A) + q(x_A)·r(x_B).</summary>
    PartlySeparable,

    /// <summary>p(x_A) + s(x_B) + q(x_A)·r(x_B): a sum of the two groups' own terms and one cross product.</summary>
    SumWithProduct,

    /// <summary>F(z) with z simpler (separable) than y.</summary>
    OuterFunction,

    /// <summary>A function of a − b, a + b, a·b or a/b (and the other variables).</summary>
    Combination,

    /// <summary>A variable the part does not depend on, left out.</summary>
    Unused,

    /// <summary>No split: the formula was read off a small KAN's edges (the shape search).</summary>
    Network,
}

/// <summary>
/// The structure the search found for the formula it reports (or for one of its parts): what was split and how,
/// with the parts below, e.g. "multiplicatively separable: {a} × {b, c}".
/// </summary>
public sealed class FormulaStructure
{
    internal FormulaStructure(FormulaStructureKind kind, string description, IReadOnlyList<FormulaStructure>? parts = null)
    {
        Kind = kind;
        Description = description;
        Parts = parts ?? [];
    }

    /// <summary>The kind of split.</summary>
    public FormulaStructureKind Kind { get; }

    /// <summary>One line, e.g. "multiplicatively separable: {a} × {b, c}" or "one variable: b".</summary>
    public string Description { get; }

    /// <summary>The structures of the parts, in order.</summary>
    public IReadOnlyList<FormulaStructure> Parts { get; }

    /// <summary>The description with the parts' below it, indented, one per line.</summary>
    public string ToText()
    {
        var lines = new List<string>();
        Append(this, 0);
        return string.Join(Environment.NewLine, lines);

        void Append(FormulaStructure node, int depth)
        {
            lines.Add(new string(' ', 2 * depth) + node.Description);
            foreach (var part in node.Parts.Where(p => p.Kind != FormulaStructureKind.OneVariable || p.Parts.Count > 0))
            {
                Append(part, depth + 1);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
