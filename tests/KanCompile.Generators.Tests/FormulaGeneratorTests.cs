using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using KanCompile.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using RoslynCompilation = Microsoft.CodeAnalysis.Compilation;

namespace KanCompile.Generators.Tests;

/// <summary>
/// [KanFormula]: a saved model file among AdditionalFiles becomes a static class whose Evaluate reproduces the
/// model exactly; a missing, corrupt or mismatched file is a KAN diagnostic, never a crash.
/// </summary>
public class FormulaGeneratorTests
{
    private const string Declaration = """
        namespace App
        {
            [KanCompile.KanFormula("models/toy.kan.json")]
            public static partial class ToyFormula { }
        }
        """;

    [Theory]
    [InlineData(KanBeyondGrid.Pykan)]
    [InlineData(KanBeyondGrid.Smooth)]
    public void Model_file_compiles_into_an_exact_standalone_evaluator(KanBeyondGrid beyondGrid)
    {
        // The compiled engine: the export runs the same emitted forward code, so results must be bit-identical, beyond
        // the grid too (the file's beyond_grid picks the same continuation).
        var model = new KanNetwork(new[] { 2, 3, 1 }, gridSize: 6, splineOrder: 3, seed: 4, beyondGrid: beyondGrid);
        var random = new Random(2);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = random.NextDouble() * 2 - 1;
        }

        model.UpdateGrid(Enumerable.Range(0, 200).Select(_ => Math.Tanh(random.NextDouble() * 4 - 2)).ToArray());
        model.SetMask(new KanEdge(0, 1, 2), 0.0);
        (GeneratorDriverRunResult result, RoslynCompilation output) = Run(Declaration, ("/project/models/toy.kan.json", Save(model)));
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedTrees);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        Type formula = Load(output).GetType("App.ToyFormula")!;
        MethodInfo evaluate = formula.GetMethod("Evaluate", new[] { typeof(double), typeof(double) })!;
        var y = new double[1];
        for (int s = 0; s < 100; s++)
        {
            var x = new[] { random.NextDouble() * 6 - 3, random.NextDouble() * 6 - 3 };
            model.Forward(x, y);
            Assert.Equal(y[0], (double)evaluate.Invoke(null, new object[] { x[0], x[1] })!);
        }
    }

    [Fact]
    public void Symbolic_model_file_generates_exactly_the_runtime_formula_export()
    {
        // Fully symbolic: [KanFormula] prints the simplified formula with the runtime's own simplifier and printer.
        var model = new KanNetwork(new[] { 2, 1, 1 }, gridSize: 4, seed: 1, engine: KanEngine.Reference);
        Fix(model, 0, 0, 0, "sin", 3.14159, 0.0, 1.0, 0.0);
        Fix(model, 0, 1, 0, "x^2", 1.0, 0.0, 1.0, 0.0);
        Fix(model, 1, 0, 0, "exp", 1.0, 0.0, 1.0, 0.0);
        string generated = AssertGeneratedEqualsExport(model);
        Assert.Contains("Math.Exp(", generated);
        Assert.DoesNotContain("s_parameters", generated);
    }

    [Theory]
    [InlineData(KanBeyondGrid.Pykan)]
    [InlineData(KanBeyondGrid.Smooth)]
    public void Mixed_model_file_generates_exactly_the_runtime_mixed_export(KanBeyondGrid beyondGrid)
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, gridSize: 5, splineOrder: 3, seed: 4, engine: KanEngine.Reference, beyondGrid: beyondGrid);
        var random = new Random(3);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = random.NextDouble() * 2 - 1;
        }

        Fix(model, 0, 0, 1, "sin", 2.0, 0.5, -0.7, 0.1);
        Fix(model, 0, 1, 2, "1/x", 0.3, 2.0, 0.2, 0.0);
        Fix(model, 1, 1, 0, "tanh", 1.1, -0.2, 0.9, 0.3);
        model.SetSymbolicMode(new KanEdge(1, 1, 0), KanCompile.Symbolic.SymbolicMode.Both);
        model.SetMask(new KanEdge(0, 1, 0), 0.0);
        string generated = AssertGeneratedEqualsExport(model);
        Assert.Contains("SplineLayer0.Evaluate(", generated);
        Assert.Contains("Math.Tanh(", generated);
    }

    [Fact]
    public void Mixed_model_file_with_multiplication_nodes_generates_exactly_the_runtime_mixed_export()
    {
        // pykan width=[2,[3,2],1]: edges of layer 0 end at 7 sub-nodes, the last 4 multiplied in pairs.
        var model = new KanNetwork(new[] { 2, 3, 1 }, gridSize: 4, splineOrder: 3, seed: 6, engine: KanEngine.Reference, multiplicationNodes: new[] { 0, 2, 0 });
        var random = new Random(8);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = random.NextDouble() * 2 - 1;
        }

        FixAtSubnode(model, 0, 0, 3, "sin", 2.0, 0.5, -0.7, 0.1);
        FixAtSubnode(model, 0, 1, 6, "x^2", 0.8, 0.1, 1.2, 0.0);
        FixAtSubnode(model, 1, 4, 0, "tanh", 1.1, -0.2, 0.9, 0.3);
        model.SetSymbolicMode(new KanEdge(0, 1, 6), KanCompile.Symbolic.SymbolicMode.Both);
        string generated = AssertGeneratedEqualsExport(model);
        Assert.Contains("nodes1[4] = subnodes1[5] * subnodes1[6];", generated);
    }

    [Fact]
    public void User_function_in_a_model_file_is_KAN0017()
    {
        var model = new KanNetwork(new[] { 1, 1 }, gridSize: 3, engine: KanEngine.Reference);
        model.SymbolicLibrary = model.SymbolicLibrary.AddSymbolic("cube", x => x * x * x, x => 3 * x * x, 3, "cube({x})", "MyMath.Cube({x})", "{x}^3");
        model.FixSymbolic(new KanEdge(0, 0, 0), "cube", fitParameters: false);
        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/toy.kan.json", Save(model)));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0017", diagnostic.Id);
        Assert.Contains("'cube'", diagnostic.GetMessage());
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void Malformed_symbolic_edge_is_KAN0016_naming_the_field()
    {
        var model = new KanNetwork(new[] { 1, 1 }, gridSize: 3, engine: KanEngine.Reference);
        Fix(model, 0, 0, 0, "sin", 1.0, 0.0, 1.0, 0.0);
        string text = Save(model);
        string broken = System.Text.RegularExpressions.Regex.Replace(text, "\"affine\": \\[[^\\]]*\\]", "\"affine\": [1, 2, 3]");
        Assert.NotEqual(text, broken);
        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/toy.kan.json", broken));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0016", diagnostic.Id);
        Assert.Contains("symbolic_edges[0].affine", diagnostic.GetMessage());
    }

    /// <summary>
    /// One emitter, two hosts: the generated class is KanModel.ExportCSharp's text with the one declared difference
    /// (static partial, completing the user's declaration), and it evaluates like the model.
    /// </summary>
    private static string AssertGeneratedEqualsExport(KanNetwork model)
    {
        (GeneratorDriverRunResult result, RoslynCompilation output) = Run(Declaration, ("/project/models/toy.kan.json", Save(model)));
        Assert.Empty(result.Diagnostics);
        string generated = Assert.Single(Assert.Single(result.Results).GeneratedSources).SourceText.ToString();
        string exported = model.ExportCSharp("ToyFormula", "App");
        Assert.Contains("public static class ToyFormula", exported);
        Assert.Equal(exported.Replace("public static class ToyFormula", "static partial class ToyFormula"), generated);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Type formula = Load(output).GetType("App.ToyFormula")!;
        MethodInfo evaluate = formula.GetMethod("Evaluate", new[] { typeof(double), typeof(double) })
            ?? formula.GetMethod("Evaluate", new[] { typeof(double) })!;
        var random = new Random(5);
        var y = new double[1];
        for (int s = 0; s < 50; s++)
        {
            var x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            model.Forward(x, y);
            double value = (double)evaluate.Invoke(null, x.Cast<object>().ToArray())!;
            Assert.True(Math.Abs(value - y[0]) <= 1e-12 * Math.Max(1.0, Math.Abs(y[0])), $"generated {value:R}, model {y[0]:R}");
        }

        return generated;
    }

    private static void FixAtSubnode(KanModel model, int layer, int input, int subnode, string name, double a, double b, double c, double d)
    {
        model.FixSymbolic(new KanEdge(layer, input, subnode), name, fitParameters: false);
        int edge = Enumerable.Range(0, layer).Sum(l => model.NodeWidths[l] * model.SubnodeWidths[l + 1]) + input * model.SubnodeWidths[layer + 1] + subnode;
        int p = edge * 4;
        (model.SymbolicParameters[p], model.SymbolicParameters[p + 1], model.SymbolicParameters[p + 2], model.SymbolicParameters[p + 3]) = (a, b, c, d);
    }

    private static void Fix(KanModel model, int layer, int input, int output, string name, double a, double b, double c, double d)
    {
        model.FixSymbolic(new KanEdge(layer, input, output), name, fitParameters: false);
        int edge = Enumerable.Range(0, layer).Sum(l => model.Widths[l] * model.Widths[l + 1]) + input * model.Widths[layer + 1] + output;
        int p = edge * 4;
        (model.SymbolicParameters[p], model.SymbolicParameters[p + 1], model.SymbolicParameters[p + 2], model.SymbolicParameters[p + 3]) = (a, b, c, d);
    }

    [Fact]
    public void Missing_file_is_KAN0015()
    {
        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/other.kan.json", Save(new KanNetwork(new[] { 1, 1 }, engine: KanEngine.Reference))));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0015", diagnostic.Id);
        Assert.Contains("<AdditionalFiles Include=\"models/toy.kan.json\" />", diagnostic.GetMessage());
        Assert.Empty(result.GeneratedTrees);
    }

    [Theory]
    [InlineData("{ \"format\": \"kancompile.model\", ", "expected a property name at line 1")]
    [InlineData("[1, 2, 3]", "not a JSON object")]
    [InlineData("{ \"format\": \"something else\" }", "\"format\"")]
    public void Corrupt_file_is_KAN0016_naming_the_problem(string text, string expected)
    {
        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/toy.kan.json", text));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0016", diagnostic.Id);
        Assert.Contains(expected, diagnostic.GetMessage());
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void Wrong_array_length_and_newer_version_are_KAN0016()
    {
        string good = Save(new KanNetwork(new[] { 2, 1 }, gridSize: 3, engine: KanEngine.Reference));
        string shortCoefficients = good.Replace("\"width\": [\n    2,\n    1\n  ]", "\"width\": [\n    2,\n    2\n  ]");
        Assert.NotEqual(good, shortCoefficients);
        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/toy.kan.json", shortCoefficients));
        Assert.Equal("KAN0016", Assert.Single(result.Diagnostics).Id);

        string newer = good.Replace("\"version\": 1", "\"version\": 99");
        Assert.NotEqual(good, newer);
        (result, _) = Run(Declaration, ("/project/models/toy.kan.json", newer));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("version 99", diagnostic.GetMessage());
    }

    /// <summary>One model-file schema: a corrupt file gets the same problem text from KanModel.Load and from KAN0016.</summary>
    [Theory]
    [InlineData("\"version\": 1", "\"version\": 99")]
    [InlineData("\"base_fun\": \"silu\"", "\"base_fun\": \"tanh\"")]
    [InlineData("\"grid_intervals\": 3", "\"grid_intervals\": 0")]
    [InlineData("\"width\": [\n    2,\n    1\n  ]", "\"width\": [\n    2,\n    2\n  ]")]
    [InlineData("\"format\": \"kancompile.model\"", "\"format\": \"other\"")]
    [InlineData("\"symbolic_edges\": null", "\"symbolic_edges\": [{\"layer\": 0, \"input\": 1, \"output\": 0, \"function\": \"sin\", \"affine\": [1, 0, 1], \"mask\": 1}]")]
    [InlineData("\"symbolic_edges\": null", "\"symbolic_edges\": [{\"layer\": 0, \"input\": 1, \"output\": 0, \"function\": \"sin\", \"affine\": [1, 0, 1, 0]}]")]
    public void Corrupt_file_has_the_runtime_problem_text(string from, string to)
    {
        string good = Save(new KanNetwork(new[] { 2, 1 }, gridSize: 3, engine: KanEngine.Reference));
        string corrupt = good.Replace(from, to);
        Assert.NotEqual(good, corrupt);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(corrupt));
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(stream));

        (GeneratorDriverRunResult result, _) = Run(Declaration, ("/project/models/toy.kan.json", corrupt));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0016", diagnostic.Id);
        Assert.Contains("cannot be used: " + error.Problem.TrimEnd('.') + ". Save it again", diagnostic.GetMessage());
    }

    [Fact]
    public void Non_static_class_is_KAN0014()
    {
        (GeneratorDriverRunResult result, _) = Run(
            "[KanCompile.KanFormula(\"models/toy.kan.json\")] public partial class ToyFormula { }",
            ("/project/models/toy.kan.json", Save(new KanNetwork(new[] { 1, 1 }, engine: KanEngine.Reference))));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KAN0014", diagnostic.Id);
        Assert.Equal("Model0.cs", diagnostic.Location.GetLineSpan().Path);
    }

    private static string Save(KanModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static (GeneratorDriverRunResult Result, RoslynCompilation Output) Run(string source, params (string Path, string Text)[] files)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new KanFormulaGenerator().AsSourceGenerator() },
            additionalTexts: files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)),
            parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(source), out RoslynCompilation output, out ImmutableArray<Diagnostic> _);
        return (driver.GetRunResult(), output);
    }

    private static Assembly Load(RoslynCompilation compilation)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
