using System.Text.Json;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;
using Xunit.Abstractions;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Symbolic;

/// <summary>SymbolicFormula.Compose and Round against pykan's symbolic_formula / ex_round (golden/formula.json).</summary>
public sealed class FormulaGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() =>
        GoldenFixture.Load("formula.json").GetProperty("cases").EnumerateArray()
            .Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComposedExpressionEvaluatesToTheModelOutput(string name)
    {
        var golden = Case(name);
        var expression = Compose(golden);
        var simplified = expression.Simplify();
        output.WriteLine($"{name}: {simplified}");

        var x = golden.GetProperty("x").Matrix();
        var yModel = golden.GetProperty("y_model").Matrix();
        var yFormula = golden.GetProperty("y_formula").Vector();
        for (int s = 0; s < x.Length; s++)
        {
            Assert.Equal(yFormula[s], expression.Evaluate(x[s]), 1e-13);
            Assert.Equal(yModel[s][0], expression.Evaluate(x[s]), 1e-13);
            Assert.Equal(yModel[s][0], simplified.Evaluate(x[s]), 1e-13);
            Assert.Equal(yModel[s][0], SympyStringEvaluator.Evaluate(golden.GetProperty("formula").GetString()!, x[s]), 1e-13);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundedToFourDigitsEvaluatesLikePykansExRound(string name)
    {
        var golden = Case(name);
        var rounded = Compose(golden).Round(4);
        string pykanRounded = golden.GetProperty("formula_ex_round_4").GetString()!;
        output.WriteLine($"{name}: ours {rounded} | pykan {pykanRounded}");

        // Both round 4-digit constants, but of differently arranged expressions (sympy pulls e^const out of exp and
        // factors (0.9x + 0.4)^2), so they agree to the size of that rounding, not to machine precision.
        var x = golden.GetProperty("x").Matrix();
        double worst = 0;
        for (int s = 0; s < x.Length; s++)
        {
            double ours = rounded.Evaluate(x[s]);
            double theirs = SympyStringEvaluator.Evaluate(pykanRounded, x[s]);
            worst = Math.Max(worst, Math.Abs(ours - theirs) / (1 + Math.Abs(theirs)));
        }

        output.WriteLine($"{name}: max relative gap to pykan's rounded formula {worst:E3}");
        Assert.True(worst < 5e-4, $"Rounded formula differs from pykan's ex_round(4) by {worst:E3} (relative).");
        Assert.All(ConstantsOf(rounded), c => Assert.Equal(Math.Round(c, 4), c));
    }

    [Fact]
    public void BriefCasePrintsLikePykanWithoutUnitFactors()
    {
        var expression = Compose(Case("brief"));

        Assert.Equal("exp(x2^2 + sin(3.14159*x1))", expression.Simplify().ToText());
        Assert.Equal("exp(x2^2 + sin(3.1416*x1))", expression.Round(4).ToText());
        Assert.Equal("exp(y^2 + sin(3.1416*t))", expression.Round(4).ToText(["t", "y"]));
        Assert.Equal(@"e^{x_{2}^{2} + \sin\left(3.1416 x_{1}\right)}", expression.Round(4).ToLatex());
        Assert.Equal("Math.Exp(Math.Pow(x2, 2.0) + Math.Sin(3.1416 * x1))", expression.Round(4).ToCSharp());
    }

    [Fact]
    public void GeneralAffineMergesTheNestedAffineMaps()
    {
        var text = Compose(Case("general_affine")).Simplify().Round(4).ToText();

        // exp(0.6*(0.8*sin(2.1*x1 - 0.3) + 0.25 - 1.3*(0.9*x2 + 0.4)^2 + 0.05) + 0.1): the inner sum collapses into
        // one affine map inside exp, whose constant leaves as e^0.28 — sympy's form, pykan's 2.24932068097364*exp(...) - 0.4.
        Assert.Equal("2.2493*exp(-0.78*(0.9*x2 + 0.4)^2 + 0.48*sin(2.1*x1 - 0.3)) - 0.4", text);
    }

    private static JsonElement Case(string name) =>
        GoldenFixture.Load("formula.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    // Rebuilds the network from the stored per-layer arrays: affine [out][in][4], symbolic mask [out][in], names [out][in].
    private static SymbolicExpression Compose(JsonElement golden)
    {
        var width = golden.GetProperty("width").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var layers = new List<SymbolicLayer>();
        for (int l = 0; l < width.Length - 1; l++)
        {
            var layer = new SymbolicLayer(width[l], width[l + 1]);
            var affine = golden.GetProperty("symbolic_affine")[l];
            var mask = golden.GetProperty("symbolic_mask")[l];
            var names = golden.GetProperty("funs_name")[l];
            for (int j = 0; j < width[l + 1]; j++)
            {
                for (int i = 0; i < width[l]; i++)
                {
                    if (mask[j][i].GetDouble() != 0)
                    {
                        var abcd = affine[j][i].Vector();
                        layer.SetEdge(i, j, names[j][i].GetString()!, abcd[0], abcd[1], abcd[2], abcd[3]);
                    }
                }
            }

            layers.Add(layer);
        }

        return Assert.Single(SymbolicFormula.Compose(layers));
    }

    private static IEnumerable<double> ConstantsOf(SymbolicExpression expression) => expression switch
    {
        ConstantExpression c => [c.Value],
        CallExpression call => ConstantsOf(call.Argument),
        PowerExpression power => ConstantsOf(power.Base),
        ProductExpression product => product.Factors.SelectMany(ConstantsOf),
        SumExpression sum => sum.Terms.SelectMany(ConstantsOf),
        _ => [],
    };
}
