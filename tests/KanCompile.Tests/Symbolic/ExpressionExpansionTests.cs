using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic;

/// <summary>Multiplying out, defined once (ExpressionExpansion): all the way down, one level, and the law itself.</summary>
public sealed class ExpressionExpansionTests
{
    private static readonly SymbolicFunction Exp = SymbolicLibrary.Default.Get("exp");

    private static SymbolicExpression A => SymbolicExpression.Variable(0);

    private static SymbolicExpression B => SymbolicExpression.Variable(1);

    private static SymbolicExpression C(double value) => SymbolicExpression.Constant(value);

    [Fact]
    public void MultiplyOut_expands_products_and_powers_of_sums_inside_functions_too()
    {
        var square = SymbolicExpression.Power(A + B, 2);
        var expanded = ExpressionExpansion.MultiplyOut(square + C(-1))!;
        Assert.Equal("a^2 + 2*a*b + b^2 - 1", expanded.ToText(["a", "b"]));

        // Inside a function argument too: exp((a + 1)·(a − 1)) = exp(a² − 1).
        var inside = SymbolicExpression.Call(Exp, (A + C(1)) * (A + C(-1)));
        var expandedInside = ExpressionExpansion.MultiplyOut(inside)!;
        Assert.EndsWith("*exp(a^2)", expandedInside.ToText(["a", "b"]));
        Assert.Equal(inside.Evaluate([0.7, 0.0]), expandedInside.Evaluate([0.7, 0.0]), 1e-14);
    }

    [Fact]
    public void MultiplyOut_gives_up_beyond_the_term_limit()
    {
        // (a + b + 1)^4 has 81 products before like terms are collected: more than MaxTerms.
        var power = SymbolicExpression.Power(A + B + C(1), 4);
        Assert.Null(ExpressionExpansion.MultiplyOut(power));
        Assert.NotNull(ExpressionExpansion.MultiplyOut(SymbolicExpression.Power(A + B + C(1), 3)));
    }

    [Fact]
    public void MultiplyOutOnce_distributes_one_level_and_only_when_a_product_holds_a_sum()
    {
        // a·(b + 1) + exp(a·(b + 1)): the product is distributed, the function's argument is not.
        var call = SymbolicExpression.Call(Exp, A * (B + C(1)));
        var terms = ExpressionExpansion.MultiplyOutOnce([A * (B + C(1)), call], SymbolicExpression.Multiply)!;
        Assert.Equal(3, terms.Count);
        Assert.Equal([A, B], ((ProductExpression)terms[0]).Factors, (x, y) => x.ToText() == y.ToText());
        Assert.Equal([A, C(1)], ((ProductExpression)terms[1]).Factors, (x, y) => x.ToText() == y.ToText());
        Assert.Same(call, terms[2]);
        Assert.Null(ExpressionExpansion.MultiplyOutOnce([A * B, call], SymbolicExpression.Multiply));
    }

    [Fact]
    public void Distribute_takes_one_term_per_factor_first_factor_slowest()
    {
        IReadOnlyList<SymbolicExpression>[] factors = [[A, B], [C(2), C(3)]];
        var products = ExpressionExpansion.Distribute(factors, "", (text, term) => text + "[" + term.ToText(["a", "b"]) + "]");
        Assert.Equal(["[a][2]", "[a][3]", "[b][2]", "[b][3]"], products);
        Assert.Equal(4, ExpressionExpansion.TermCount(factors));
    }
}
