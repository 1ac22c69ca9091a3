using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;

namespace KanCompile.Tests.Symbolic;

/// <summary>The built-in library (kan-math §1.9): names, complexities, derivatives, safe variants, lookup.</summary>
public sealed class SymbolicLibraryTests
{
    // pykan's SYMBOLIC_LIB names and complexities, in its order (kan-math §1.9).
    private static readonly (string Name, int Complexity)[] Pykan =
    [
        ("x", 1), ("x^2", 2), ("x^3", 3), ("x^4", 3), ("x^5", 3), ("1/x", 2), ("1/x^2", 2), ("1/x^3", 3), ("1/x^4", 4),
        ("1/x^5", 5), ("sqrt", 2), ("x^0.5", 2), ("x^1.5", 4), ("1/sqrt(x)", 2), ("1/x^0.5", 2), ("exp", 2), ("log", 2),
        ("abs", 3), ("sin", 2), ("cos", 2), ("tan", 3), ("tanh", 3), ("sgn", 3), ("arcsin", 4), ("arccos", 4),
        ("arctan", 4), ("arctanh", 4), ("0", 0), ("gaussian", 3),
    ];

    private static readonly Dictionary<string, Func<double, double>> Reference = new()
    {
        ["x"] = x => x, ["x^2"] = x => x * x, ["x^3"] = x => x * x * x, ["x^4"] = x => Math.Pow(x, 4), ["x^5"] = x => Math.Pow(x, 5),
        ["1/x"] = x => 1 / x, ["1/x^2"] = x => 1 / (x * x), ["1/x^3"] = x => Math.Pow(x, -3), ["1/x^4"] = x => Math.Pow(x, -4),
        ["1/x^5"] = x => Math.Pow(x, -5), ["sqrt"] = Math.Sqrt, ["x^0.5"] = Math.Sqrt, ["x^1.5"] = x => Math.Pow(x, 1.5),
        ["1/sqrt(x)"] = x => 1 / Math.Sqrt(x), ["1/x^0.5"] = x => 1 / Math.Sqrt(x), ["exp"] = Math.Exp, ["log"] = Math.Log,
        ["abs"] = Math.Abs, ["sin"] = Math.Sin, ["cos"] = Math.Cos, ["tan"] = Math.Tan, ["tanh"] = Math.Tanh,
        ["sgn"] = x => Math.Sign(x), ["arcsin"] = Math.Asin, ["arccos"] = Math.Acos, ["arctan"] = Math.Atan,
        ["arctanh"] = Math.Atanh, ["0"] = _ => 0, ["gaussian"] = x => Math.Exp(-x * x),
    };

    private static readonly double[] Points = [0.13, 0.37, 0.61, 0.89, -0.29, -0.71];

    public static IEnumerable<object[]> Names() => Pykan.Select(p => new object[] { p.Name });

    [Fact]
    public void DefaultHasPykansEntriesAndComplexitiesInOrder()
    {
        Assert.Equal(Pykan.Select(p => p.Name), SymbolicLibrary.Default.Names);
        Assert.Equal(Pykan.Select(p => p.Complexity), SymbolicLibrary.Default.Select(f => f.Complexity));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FunctionMatchesItsDefinitionAndDerivativeMatchesFiniteDifferences(string name)
    {
        var f = SymbolicLibrary.Default[name];
        foreach (double x in Points)
        {
            double expected = Reference[name](x);
            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(f.Evaluate(x)), $"{name}({x}) should be NaN like torch.");
                continue;
            }

            Assert.Equal(expected, f.Evaluate(x), 1e-14 * (1 + Math.Abs(expected)));
            const double h = 1e-6;
            double numeric = (f.Evaluate(x + h) - f.Evaluate(x - h)) / (2 * h);
            Assert.Equal(numeric, f.Derivative(x), 1e-6 * (1 + Math.Abs(numeric)));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ApplyBuildsAnExpressionThatEvaluatesLikeTheFunction(string name)
    {
        var f = SymbolicLibrary.Default[name];
        var expression = f.Apply(SymbolicExpression.Variable(0));
        foreach (double x in Points.Where(p => !double.IsNaN(f.Evaluate(p))))
        {
            Assert.Equal(f.Evaluate(x), expression.Evaluate([x]), 1e-14 * (1 + Math.Abs(f.Evaluate(x))));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SafeVariantIsFiniteEverywhereAndItsDerivativeMatchesFiniteDifferences(string name)
    {
        var f = SymbolicLibrary.Default[name];
        const double yTh = 10.0;
        foreach (double x in new[] { -3.7, -1.2, -0.4, -1e-3, 0.0, 1e-3, 0.05, 0.4, 0.999, 1.2, 1.5707963, 3.7 })
        {
            double value = f.EvaluateSafe(x, yTh);
            Assert.True(double.IsFinite(value), $"safe {name}({x}) = {value}");
            const double h = 1e-7;
            double numeric = (f.EvaluateSafe(x + h, yTh) - f.EvaluateSafe(x - h, yTh)) / (2 * h);
            // Skip points within h of a branch switch, where the central difference straddles a kink or jump.
            double right = f.EvaluateSafe(x + h, yTh) - value, left = value - f.EvaluateSafe(x - h, yTh);
            if (Math.Abs(right - left) < 1e-9 * (1 + Math.Abs(value)) && Math.Abs(right) < 1e-3)
            {
                Assert.Equal(numeric, f.DerivativeSafe(x, yTh), 1e-4 * (1 + Math.Abs(numeric)));
            }
        }
    }

    [Fact]
    public void SafeVariantsFollowPykansThresholds()
    {
        var lib = SymbolicLibrary.Default;
        Assert.Equal(100 * 0.05, lib["1/x"].EvaluateSafe(0.05, 10), 1e-15);          // |x| < 1/y_th → y_th²·x
        Assert.Equal(1 / 0.5, lib["1/x"].EvaluateSafe(0.5, 10), 1e-15);
        Assert.Equal(10, lib["1/x^2"].EvaluateSafe(0.3, 10));                        // |x| < y_th^(−1/2) → y_th
        Assert.Equal(-10, lib["log"].EvaluateSafe(1e-6, 10));                        // |x| < e^(−y_th) → −y_th
        Assert.Equal(Math.Log(2.0), lib["log"].EvaluateSafe(-2.0, 10), 1e-15);       // ln|x|
        Assert.Equal(10, lib["exp"].EvaluateSafe(5.0, 10));                          // x > ln y_th → y_th
        Assert.Equal(-Math.Sqrt(0.25), lib["sqrt"].EvaluateSafe(-0.25, 10), 1e-15);  // odd extension
        Assert.Equal(Math.Pow(0.25, 1.5), lib["x^1.5"].EvaluateSafe(-0.25, 10), 1e-15); // |x|^1.5, not pykan's tuple bug
        Assert.Equal(Math.PI / 2, lib["arcsin"].EvaluateSafe(1.5, 10), 1e-15);
        Assert.Equal(Math.PI, lib["arccos"].EvaluateSafe(-1.5, 10), 1e-15);
        Assert.Equal(-10, lib["arctanh"].EvaluateSafe(-0.99999, 10));
        Assert.Equal(Math.Tan(0.3), lib["tan"].EvaluateSafe(0.3 - 2 * Math.PI, 10), 1e-12); // folded into [0, π)
    }

    [Fact]
    public void UnknownNameListsTheValidNames()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => SymbolicLibrary.Create("x", "besselj"));

        Assert.Contains("'besselj'", error.Message);
        Assert.Contains("x^2, x^3", error.Message);
        Assert.Contains("AddSymbolic", error.Message);
    }

    [Fact]
    public void CreateKeepsTheGivenOrder()
    {
        var lib = SymbolicLibrary.Create("sin", "x", "exp");

        Assert.Equal(["sin", "x", "exp"], lib.Names);
        Assert.Same(SymbolicLibrary.Default["sin"], lib["sin"]);
    }

    [Fact]
    public void AddSymbolicReturnsANewLibraryWithTheUserFunction()
    {
        var lib = SymbolicLibrary.Create("x").AddSymbolic(
            "cube", x => x * x * x, x => 3 * x * x, 3, "cube({x})", "Cube({x})", @"\operatorname{cube}\left({x}\right)");

        Assert.Equal(["x", "cube"], lib.Names);
        Assert.False(SymbolicLibrary.Default.Contains("cube"));
        var expression = SymbolicFormula.Edge(new SymbolicEdge("cube", 2, 1, 3, 4), SymbolicExpression.Variable(0), lib).Simplify();
        Assert.Equal("3*cube(2*x1 + 1) + 4", expression.ToText());
        Assert.Equal(3 * Math.Pow(2 * 0.5 + 1, 3) + 4, expression.Evaluate([0.5]), 1e-14);
        Assert.Throws<ArgumentException>(() => lib.AddSymbolic("cube", x => x, _ => 1, 1, "a({x})", "a({x})", "a({x})"));
        Assert.Throws<ArgumentException>(() => lib.AddSymbolic("bad", x => x, _ => 1, 1, "no placeholder", "a({x})", "a({x})"));
    }

    [Fact]
    public void UserFunctionsFitThroughTheScalarPath()
    {
        var lib = SymbolicLibrary.Create("sin").AddSymbolic("mysin", Math.Sin, Math.Cos, 2, "mysin({x})", "Math.Sin({x})", @"\sin({x})");
        double[] x = Enumerable.Range(0, 101).Select(s => -1 + s / 50.0).ToArray();
        double[] y = x.Select(v => 2 * Math.Sin(3 * v + 0.5) - 1).ToArray();

        var builtIn = SymbolicFit.FitParameters(x, y, lib["sin"]);
        var user = SymbolicFit.FitParameters(x, y, lib["mysin"]);

        Assert.Equal(builtIn.RSquared, user.RSquared, 1e-12);
    }
}

/// <summary>SymbolicEdgeGradient against central finite differences.</summary>
public sealed class SymbolicEdgeGradientTests
{
    [Theory]
    [InlineData("sin", null)]
    [InlineData("x^2", null)]
    [InlineData("tanh", null)]
    [InlineData("1/x", 10.0)]
    [InlineData("log", 10.0)]
    public void MatchesFiniteDifferences(string name, double? yThreshold)
    {
        var f = SymbolicLibrary.Default[name];
        var edge = new SymbolicEdge(name, 1.3, 0.4, -0.7, 0.2);
        double x = 0.37;
        double Value(SymbolicEdge e, double at) => SymbolicEdgeGradient.Compute(f, e, at, yThreshold).Value;
        const double h = 1e-6;

        var g = SymbolicEdgeGradient.Compute(f, edge, x, yThreshold);

        Assert.Equal(edge.C * (yThreshold is null ? f.Evaluate(1.3 * x + 0.4) : f.EvaluateSafe(1.3 * x + 0.4, 10)) + edge.D, g.Value, 1e-15);
        Assert.Equal((Value(edge with { A = edge.A + h }, x) - Value(edge with { A = edge.A - h }, x)) / (2 * h), g.DA, 1e-7);
        Assert.Equal((Value(edge with { B = edge.B + h }, x) - Value(edge with { B = edge.B - h }, x)) / (2 * h), g.DB, 1e-7);
        Assert.Equal((Value(edge with { C = edge.C + h }, x) - Value(edge with { C = edge.C - h }, x)) / (2 * h), g.DC, 1e-7);
        Assert.Equal(1.0, g.DD);
        Assert.Equal((Value(edge, x + h) - Value(edge, x - h)) / (2 * h), g.DX, 1e-7);
    }
}
