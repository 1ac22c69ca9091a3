using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic;

/// <summary>
/// The rules that make discovered formulas read like the law (issue #8): quarter-turn phases of sin/cos, exp of a
/// sum with logs, multiplying out when like terms then cancel, and k ± k·tanh w as a logistic. Each is checked on
/// the formula the search used to print, applied only where it holds, and left alone where it does not.
/// </summary>
public sealed class SimplifierReadabilityTests
{
    private static readonly SymbolicExpression A = SymbolicExpression.Variable(0);
    private static readonly SymbolicExpression B = SymbolicExpression.Variable(1);

    private static SymbolicExpression C(double value) => SymbolicExpression.Constant(value);

    private static SymbolicExpression F(string name, SymbolicExpression argument) => SymbolicExpression.Call(SymbolicLibrary.Default[name], argument);

    private static string Simplified(SymbolicExpression expression) => expression.Simplify().ToText(["a", "b"]);

    [Fact]
    public void Sin_shifted_by_pi_is_minus_sin()
    {
        // The formula printed for I.12.11 before: -sin(b - 3.14159265359)*a + 1.
        var printed = C(-1) * F("sin", B + C(-3.14159265359)) * A + C(1);
        Assert.Equal("a*sin(b) + 1", Simplified(printed));
        Assert.Equal("asin(a*sin(b))", Simplified(C(-1) * F("arcsin", F("sin", B + C(-Math.PI)) * A)));
    }

    [Fact]
    public void A_common_coefficient_leaves_a_root()
    {
        // The formula printed for III.10.19 before: 0.4063*sqrt(6.0578*a^2 + 6.0578*b^2 + 6.0578), whose three
        // fitted coefficients agree to ~1e-12.
        double k = 6.057800000001;
        var printed = C(0.4063) * SymbolicExpression.Power(C(k) * SymbolicExpression.Power(A, 2) + C(k * (1 + 2e-13)) * SymbolicExpression.Power(B, 2) + C(k), 0.5);
        var simplified = printed.Simplify();
        Assert.EndsWith("*sqrt(a^2 + b^2 + 1)", simplified.ToText(["a", "b"]));
        foreach (var (a, b) in new[] { (0.3, -0.7), (1.9, 0.2) })
        {
            Assert.Equal(printed.Evaluate([a, b]), simplified.Evaluate([a, b]), 1e-12);
        }

        // Integer powers take any sign; a root keeps a negative common factor inside; different coefficients stay.
        Assert.Equal("-8*(a + 1)^3", Simplified(SymbolicExpression.Power(C(-2) * A + C(-2), 3)));
        Assert.Equal("sqrt(-2*a - 2)", Simplified(SymbolicExpression.Power(C(-2) * A + C(-2), 0.5)));
        Assert.Equal("sqrt(2*a + 3)", Simplified(SymbolicExpression.Power(C(2) * A + C(3), 0.5)));
    }

    [Fact]
    public void Quarter_turn_shifts_become_sin_or_cos_with_a_sign()
    {
        Assert.Equal("cos(a)", Simplified(F("sin", A + C(Math.PI / 2))));
        Assert.Equal("-cos(a)", Simplified(F("sin", A + C(-Math.PI / 2))));
        Assert.Equal("sin(a)", Simplified(F("sin", A + C(2 * Math.PI))));
        Assert.Equal("-sin(a)", Simplified(F("cos", A + C(Math.PI / 2))));
        Assert.Equal("-cos(2*a)", Simplified(F("cos", C(2) * A + C(3 * Math.PI))));
    }

    [Fact]
    public void Shifts_that_are_not_quarter_turns_stay()
    {
        Assert.Equal("sin(a + 1.5)", Simplified(F("sin", A + C(1.5))));
        Assert.Equal("sin(a + 3.1416)", Simplified(F("sin", A + C(3.1416))));
        Assert.Equal("tanh(a + 3.141592653589793)", Simplified(F("tanh", A + C(Math.PI))));
    }

    [Fact]
    public void Exp_of_a_sum_with_logs_is_a_product_of_powers()
    {
        Assert.Equal("a*exp(-b)", Simplified(F("exp", C(-1) * B + F("log", A))));
        Assert.Equal("a/b", Simplified(F("exp", F("log", A) + C(-1) * F("log", B))));
        Assert.Equal("asin(a/b)", Simplified(F("arcsin", F("exp", F("log", A) + C(-1) * F("log", B)))));
        Assert.Equal("sqrt(a)*b^2", Simplified(F("exp", C(0.5) * F("log", A) + C(2) * F("log", B))));
        Assert.Equal("exp(a + b)", Simplified(F("exp", A + B)));

        // A fitted coefficient a hair from a half-integer becomes that exponent (the I.27.6 and I.40.1 outputs);
        // one that is not stays.
        Assert.Equal("a*exp(-b)", Simplified(F("exp", C(-1) * B + C(1.0000000000000007) * F("log", A))));
        Assert.Equal("1/(a*b + 1)", Simplified(SymbolicExpression.Power(F("exp", C(0.9999999999999974) * F("log", A) + C(0.9999999999999979) * F("log", B)) + C(1), -1)));
        Assert.Equal("a^1.001", Simplified(F("exp", C(1.001) * F("log", A))));
    }

    [Fact]
    public void Like_terms_cancel_after_multiplying_out()
    {
        // The formula printed for I.44.4 before: -1.3*a + (log(b) + 1.3)*a.
        Assert.Equal("a*log(b)", Simplified(C(-1.3) * A + (F("log", B) + C(1.3)) * A));
        Assert.Equal("a*b", Simplified((A + B) * (A + C(-1) * B) + C(-1) * A * A + B * B + A * B));
    }

    [Fact]
    public void Multiplying_out_that_does_not_shorten_is_left_alone()
    {
        Assert.Equal("b + a*(log(b) + 1.3)", Simplified((F("log", B) + C(1.3)) * A + B));
    }

    [Fact]
    public void Half_minus_half_tanh_is_a_logistic()
    {
        // The formula printed for I.27.6 before: -0.5*tanh(0.5*log(a) + 0.5*log(b)) + 0.5 = 1/(1 + a*b).
        var printed = C(-0.5) * F("tanh", C(0.5) * F("log", A) + C(0.5) * F("log", B)) + C(0.5);
        Assert.Equal("1/(a*b + 1)", Simplified(printed));
        // Not shorter: left as it is.
        Assert.Equal("tanh(a) + 1", Simplified(C(1) + F("tanh", A)));
    }

    [Fact]
    public void Tanh_whose_coefficient_differs_from_the_constant_stays()
    {
        Assert.Equal("-0.4*tanh(a) + 0.5", Simplified(C(-0.4) * F("tanh", A) + C(0.5)));
    }

    [Fact]
    public void Readable_forms_equal_the_originals_where_those_are_defined()
    {
        var pairs = new[]
        {
            C(-1) * F("sin", B + C(-Math.PI)) * A + C(1),
            C(-0.5) * F("tanh", C(0.5) * F("log", A) + C(0.5) * F("log", B)) + C(0.5),
            F("exp", C(-1) * B + F("log", A)),
            C(-1.3) * A + (F("log", B) + C(1.3)) * A,
            C(0.7) + C(0.7) * F("tanh", C(3) * A + C(-1) * B),
            F("cos", A + C(-3 * Math.PI / 2)) * B,
        };
        var random = new Random(8);
        foreach (var expression in pairs)
        {
            var simplified = expression.Simplify();
            for (int point = 0; point < 50; point++)
            {
                double[] x = [random.NextDouble() * 3, random.NextDouble() * 3 + 0.1];
                double expected = expression.Evaluate(x);
                Assert.Equal(expected, simplified.Evaluate(x), 1e-12 * Math.Max(1.0, Math.Abs(expected)));
            }
        }
    }
}
