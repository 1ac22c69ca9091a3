using System.Globalization;
using System.Text;
using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>
/// `kan fit --symbolic --recipe pykan`, `--export-cs` and `kan formula` end to end on laws a [2, 1, 1] KAN can express
/// exactly (sums of one-variable functions): the printed formula must be the law and reproduce the test rows.
/// </summary>
public sealed class SymbolicCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>y = law(a, b) on 200 seeded points uniform in [-1, 1]², as "a,b,y".</summary>
    private string WriteLaw(string name, Func<double, double, double> law, string header = "a,b,y")
    {
        var random = new Random(11);
        var text = new StringBuilder(header).Append('\n');
        for (int r = 0; r < 200; r++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            text.Append(string.Join(',', new[] { a, b, law(a, b) }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }

        string path = _temp.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.True(result.Stderr.Length == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public void AdditiveLawIsRecoveredExactlyAndSavedModelPrintsItInEveryFormat()
    {
        string data = WriteLaw("sum.csv", (a, b) => a + Math.Sin(Math.PI * b));
        string model = _temp.File("sum.kan.json");
        CliResult result = CliResult.Run(
            "fit", data, "--target", "y", "--hidden", "1", "--steps", "20", "--symbolic", "--recipe", "pykan", "--lib", "x,x^2,sin,exp", "--save", model, "--json");
        JsonElement json = Json(result);
        Assert.DoesNotContain("\\u002B", result.Stdout);

        Assert.Contains("\"formula\": \"a ", result.Stdout);
        Assert.Equal(["fit", "symbolic", "fit"], json.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("kind").GetString()));
        string formula = json.GetProperty("formula").GetString()!;
        // π needs more than pykan's 4 decimals for the printed formula to reproduce the data to 1e-6.
        // sin is odd, so a - sin(-πb) is the same law.
        Assert.Matches(@"^a (\+ sin\(3\.14159\d*\*b\)|- sin\(-3\.14159\d*\*b\))$", formula);
        Assert.InRange(json.GetProperty("formulaDigits").GetInt32(), 6, 15);
        Assert.True(json.GetProperty("formulaTestRmse").GetDouble() <= 1e-6, formula + " " + json);
        Assert.True(json.GetProperty("exactFormulaTestRmse").GetDouble() <= 1e-6, json.ToString());
        Assert.True(json.GetProperty("testRmse").GetDouble() <= 1e-6, json.ToString());
        Assert.False(json.TryGetProperty("formulaError", out _));

        CliResult text = CliResult.Run("formula", model);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        // Model files do not keep column names, and hold no data to check the rounding against: x1, x2 and 4 decimals.
        Assert.Matches(@"^x1 (\+ sin\(3\.1416\*x2\)|- sin\(-3\.1416\*x2\))$", text.Stdout.Trim());

        CliResult latex = CliResult.Run("formula", model, "--format", "latex");
        Assert.True(latex.ExitCode == ExitCodes.Success, latex.ToString());
        Assert.Contains(@"\sin", latex.Stdout);

        CliResult csharp = CliResult.Run("formula", model, "--format", "csharp");
        Assert.True(csharp.ExitCode == ExitCodes.Success, csharp.ToString());
        Assert.Contains("namespace KanFormulas;", csharp.Stdout);
        Assert.Contains("public static class KanFormula", csharp.Stdout);
        Assert.Contains("Math.Sin(", csharp.Stdout);
    }

    [Fact]
    public void ExportWritesTheFormulaClassNamedAfterTheFileWithColumnNames()
    {
        string data = WriteLaw("law.csv", (a, b) => Math.Exp(a) + b * b, "dose a,b,y");
        string export = _temp.File("my-law.cs");
        CliResult result = CliResult.Run("fit", data, "--target", "y", "--hidden", "1", "--steps", "20", "--symbolic", "--recipe", "pykan", "--lib", "x,x^2,exp,sin", "--export-cs", export);
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Empty(result.Stderr);
        Assert.Contains("formula: ", result.Stdout);
        string formula = result.Stdout.Split('\n').Single(l => l.StartsWith("formula: ", StringComparison.Ordinal));
        // The fitted affine constants cancel in the simplifier: the law itself, with the column names.
        Assert.Equal("formula: b^2 + exp(dose_a)", formula.TrimEnd('\r'));
        string rmse = result.Stdout.Split('\n').Single(l => l.StartsWith("formula test RMSE: ", StringComparison.Ordinal));
        Assert.True(double.Parse(rmse["formula test RMSE: ".Length..], CultureInfo.InvariantCulture) <= 1e-5, result.Stdout);

        string source = File.ReadAllText(export);
        Assert.Contains("namespace KanFormulas;", source);
        Assert.Contains("public static class my_law", source);
        Assert.Contains("Evaluate(double dose_a, double b)", source);
        Assert.Contains("Math.Exp(", source);

        // The file compiles on its own and computes the law.
        var evaluate = CompileEvaluate(source, "KanFormulas.my_law");
        foreach (var (a, b) in new[] { (0.3, -0.7), (-0.9, 0.2), (0.0, 1.0) })
        {
            Assert.Equal(Math.Exp(a) + b * b, evaluate(a, b), 1e-5);
        }
    }

    /// <summary>Compiles an exported class with Roslyn and returns its two-input Evaluate.</summary>
    private static Func<double, double, double> CompileEvaluate(string source, string typeName)
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Exported",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source)],
            platform.Select(path => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(path)),
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = System.Reflection.Assembly.Load(image.ToArray()).GetType(typeName)!;
        var method = type.GetMethod("Evaluate", [typeof(double), typeof(double)])!;
        return (a, b) => (double)method.Invoke(null, [a, b])!;
    }

    [Fact]
    public void AModelWithSplineEdgesLeftHasNoFormulaButAClearNote()
    {
        // Auto-symbolic with r² ≥ 0 fixes every edge in practice; the report must still cope when one stays a spline.
        var model = new KanNetwork([2, 1, 1], engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), "x", fitParameters: false);
        var report = Symbolic.FormulaReport.Compute(model, ["a", "b"], [0.5, 0.25], [1.0]);
        Assert.Null(report.Printed);
        Assert.Null(report.TestRmse);
        Assert.Contains("2 edges (0,1,0), (1,0,0) (layer, input, output) are still spline(s)", report.Error);
    }

    [Theory]
    [InlineData("Formula.cs", "Formula")]
    [InlineData("my-law.cs", "my_law")]
    [InlineData("2d law.cs", "_2d_law")]
    [InlineData("class.cs", "classFormula")]
    [InlineData(".cs", "KanFormula")]
    public void ExportClassNamesAreValidIdentifiers(string file, string expected) =>
        Assert.Equal(expected, Symbolic.CSharpNames.ForClass(Path.Combine("out", file)));

    [Fact]
    public void VariableNamesFallBackToXWhenColumnsCannotBeIdentifiers()
    {
        Assert.Equal(["dose__mg_", "b"], Symbolic.CSharpNames.ForVariables(["dose (mg)", "b"], 2));
        Assert.Equal(["x1", "x2"], Symbolic.CSharpNames.ForVariables(["a-b", "a b"], 2));
        Assert.Equal(["x1", "x2"], Symbolic.CSharpNames.ForVariables(["input", "b"], 2));
        Assert.Equal(["x1", "x2"], Symbolic.CSharpNames.ForVariables(["int", "b"], 2));
        Assert.Equal(["x1"], Symbolic.CSharpNames.ForVariables(null, 1));
    }
}
