namespace KanCompile.Symbolic.Expressions;

/// <summary>Rebuilds expression trees node by node: the one place that knows how to copy every kind of node.</summary>
internal static class ExpressionRewriter
{
    /// <summary>
    /// The tree with each node replaced by <paramref name="replace"/>'s result, or rebuilt from its rewritten
    /// children where it returns null (top-down: a replaced node's children are not visited).
    /// </summary>
    public static SymbolicExpression Rewrite(SymbolicExpression expression, Func<SymbolicExpression, SymbolicExpression?> replace)
    {
        return Visit(expression);

        SymbolicExpression Visit(SymbolicExpression node) => replace(node) ?? node switch
        {
            CallExpression call => SymbolicExpression.Call(call.Function, Visit(call.Argument)),
            PowerExpression power => SymbolicExpression.Power(Visit(power.Base), power.Exponent),
            ProductExpression product => SymbolicExpression.Multiply(product.Factors.Select(Visit).ToArray()),
            SumExpression sum => SymbolicExpression.Add(sum.Terms.Select(Visit).ToArray()),
            _ => node,
        };
    }

    /// <summary>
    /// The tree rebuilt bottom-up: each node's children are rewritten first, then <paramref name="transform"/> gets the
    /// node rebuilt from them and returns its replacement (or the node itself).
    /// </summary>
    public static SymbolicExpression RewriteBottomUp(SymbolicExpression expression, Func<SymbolicExpression, SymbolicExpression> transform)
    {
        return Visit(expression);

        SymbolicExpression Visit(SymbolicExpression node) => transform(node switch
        {
            CallExpression call => SymbolicExpression.Call(call.Function, Visit(call.Argument)),
            PowerExpression power => SymbolicExpression.Power(Visit(power.Base), power.Exponent),
            ProductExpression product => SymbolicExpression.Multiply(product.Factors.Select(Visit).ToArray()),
            SumExpression sum => SymbolicExpression.Add(sum.Terms.Select(Visit).ToArray()),
            _ => node,
        });
    }

    /// <summary>The tree with every variable x_i replaced by <paramref name="variable"/>(i).</summary>
    public static SymbolicExpression ReplaceVariables(SymbolicExpression expression, Func<int, SymbolicExpression> variable) =>
        Rewrite(expression, node => node is VariableExpression v ? variable(v.Index) : null);

    /// <summary>Every node, parents before their children, children in order (the order constants are numbered in).</summary>
    public static IEnumerable<SymbolicExpression> Nodes(SymbolicExpression expression)
    {
        var nodes = new List<SymbolicExpression>();
        Rewrite(expression, node =>
        {
            nodes.Add(node);
            return null;
        });
        return nodes;
    }

    /// <summary>Every constant in tree order (exponents are structural and not listed).</summary>
    public static List<double> Constants(SymbolicExpression expression) =>
        Nodes(expression).OfType<ConstantExpression>().Select(c => c.Value).ToList();

    /// <summary>The tree with its constants, in tree order, replaced by <paramref name="values"/>.</summary>
    public static SymbolicExpression ReplaceConstants(SymbolicExpression expression, IReadOnlyList<double> values)
    {
        int index = 0;
        return Rewrite(expression, node => node is ConstantExpression ? SymbolicExpression.Constant(values[index++]) : null);
    }

    /// <summary>The tree with its <paramref name="position"/>-th constant (in tree order) replaced by <paramref name="replacement"/>.</summary>
    public static SymbolicExpression ReplaceConstant(SymbolicExpression expression, int position, SymbolicExpression replacement)
    {
        int index = 0;
        return Rewrite(expression, node => node is ConstantExpression ? index++ == position ? replacement : node : null);
    }
}
