using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;
using KanCompile.Tests.Support;
using static KanCompile.Tests.Support.InProcessCompiler;

namespace KanCompile.Tests.Symbolic;

/// <summary>FormulaExport.ToCSharp output compiled in-process with Roslyn and run against Evaluate.</summary>
public sealed class FormulaExportTests
{

    [Fact]
    public void ExportedMultiOutputClassMatchesEvaluateOnRandomInputs()
    {
        var lib = SymbolicLibrary.Default;
        var x1 = SymbolicExpression.Variable(0);
        var x2 = SymbolicExpression.Variable(1);
        var x3 = SymbolicExpression.Variable(2);
        // Every built-in except the '0' entry appears once, on arguments kept inside its domain.
        SymbolicExpression[] outputs =
        [
            SymbolicExpression.Add(lib.Where(f => f.Name != "0").Select((f, k) =>
                SymbolicExpression.Constant(0.1 * (k + 1)) * f.Apply(SymbolicExpression.Affine(x1, 0.3, 0.5)))),
            SymbolicExpression.Add(
                SymbolicExpression.Constant(1.7) * lib["exp"].Apply(SymbolicExpression.Affine(lib["sin"].Apply(x2), 0.6, 0.1)),
                SymbolicExpression.Constant(-1e-7) * lib["sgn"].Apply(x3),
                SymbolicExpression.Constant(-0.4)),
            SymbolicExpression.Constant(Math.PI),
        ];

        var evaluate = CompileSpanEvaluate(FormulaExport.ToCSharp(outputs, "Formula", "Exported.Kan"), "Exported.Kan.Formula");

        var random = new Random(1234);
        double[] input = new double[3];
        double[] actual = new double[3];
        for (int trial = 0; trial < 200; trial++)
        {
            for (int i = 0; i < 3; i++)
            {
                input[i] = random.NextDouble() * 2 - 1;
            }

            evaluate(input, actual);
            for (int k = 0; k < outputs.Length; k++)
            {
                double expected = outputs[k].Evaluate(input);
                Assert.Equal(expected, actual[k], 1e-12 * (1 + Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void SingleOutputGetsAConvenienceOverloadWithNamedInputs()
    {
        var lib = SymbolicLibrary.Default;
        var layer0 = new SymbolicLayer(2, 1);
        layer0.SetEdge(0, 0, "sin", 2.1, -0.3, 0.8, 0.25);
        layer0.SetEdge(1, 0, "x^2", 0.9, 0.4, -1.3, 0.05);
        var layer1 = new SymbolicLayer(1, 1);
        layer1.SetEdge(0, 0, "exp", 0.6, 0.1, 1.7, -0.4);
        var formula = SymbolicFormula.Compose([layer0, layer1], lib)[0].Simplify();

        string source = FormulaExport.ToCSharp([formula], "Toy", "", ["speed", "angle"]);
        var assembly = Compile(source);
        var method = assembly.GetType("Toy")!.GetMethod("Evaluate", [typeof(double), typeof(double)])!;

        Assert.Equal(["speed", "angle"], method.GetParameters().Select(p => p.Name));
        var random = new Random(7);
        for (int trial = 0; trial < 100; trial++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 4 - 2;
            double expected = formula.Evaluate([a, b]);
            Assert.Equal(expected, (double)method.Invoke(null, [a, b])!, 1e-12 * (1 + Math.Abs(expected)));
        }
    }

    [Fact]
    public void ExportedCodeRejectsWrongLengths()
    {
        var evaluate = CompileSpanEvaluate(FormulaExport.ToCSharp([SymbolicExpression.Variable(1)], "Pick", "N"), "N.Pick");

        var error = Assert.Throws<ArgumentException>(() => evaluate(new double[3], new double[1]));
        Assert.Contains("Expected 2 input", error.Message);
    }

    [Theory]
    [InlineData("class")]
    [InlineData("2x")]
    [InlineData("input")]
    [InlineData("Math")]
    public void BadVariableNamesAreRejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FormulaExport.ToCSharp([SymbolicExpression.Variable(0)], "F", "N", [name]));

        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void ExportedSourceHasNoKanCompileDependencyAndUsesInvariantLiterals()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            // A comma-decimal culture must not leak into the literals.
            // (The suite runs in invariant-globalization mode, so build such a culture by hand.)
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            Thread.CurrentThread.CurrentCulture = comma;
            Assert.Equal("0,1", 0.1.ToString());
            string source = FormulaExport.ToCSharp([SymbolicExpression.Constant(0.1) * SymbolicExpression.Variable(0)], "F", "N");

            Assert.DoesNotContain("KanCompile.", source.Replace("exported by KanCompile.", string.Empty, StringComparison.Ordinal));
            Assert.Contains("0.1 * x1", source);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void EveryLibraryCSharpTemplateCompilesAndMatchesTheFunction()
    {
        var lib = SymbolicLibrary.Default;
        var methods = string.Join(Environment.NewLine, lib.Select((f, k) =>
            $"    public static double F{k}(double x) => {f.RenderCSharp("x")};"));
        string source = $$"""
            using System;
            public static class Templates
            {
            {{methods}}
                private static double Sgn(double value) => value > 0 ? 1.0 : value < 0 ? -1.0 : value;
            }
            """;
        var type = Compile(source).GetType("Templates")!;

        for (int k = 0; k < lib.Count; k++)
        {
            var method = type.GetMethod("F" + k)!;
            foreach (double x in new[] { 0.3, 0.77, -0.45 })
            {
                double expected = lib[k].Evaluate(x);
                double actual = (double)method.Invoke(null, [x])!;
                Assert.True(
                    double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= 1e-14 * (1 + Math.Abs(expected)),
                    $"{lib[k].Name}({x}): template gives {actual}, function gives {expected}");
            }
        }
    }
}
