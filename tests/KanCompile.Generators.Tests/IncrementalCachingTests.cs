using KanCompile.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile.Generators.Tests;

/// <summary>
/// The generator must not redo work the compiler already has: edits that do not touch a model's declaration
/// leave its parse and spec steps cached and produce no new source; changing the attribute re-emits it.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string ModelSource = """
        using KanCompile;

        namespace Sample;

        [KanModel(2, 3, 1, GridSize = 5)]
        public partial class Toy
        {
        }
        """;

    private const string OtherSource = """
        namespace Sample;

        public static class Helper
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static readonly IncrementalStepRunReason[] s_reused = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    [Fact]
    public void AddingAnUnrelatedFileReusesEverything()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Sample; public sealed class Extra { }", GeneratorHarness.ParseOptions, path: "Extra.cs"));

        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReused(second, KanStepNames.Parse);
        AssertReused(second, KanStepNames.Spec);
        AssertSourceOutputCached(second);
    }

    [Fact]
    public void EditingAnotherFileReusesEverything()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree other = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.FileName(1));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            other,
            CSharpSyntaxTree.ParseText(OtherSource.Replace("2 * x", "x + x", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: other.FilePath));

        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReused(second, KanStepNames.Parse);
        AssertReused(second, KanStepNames.Spec);
        AssertSourceOutputCached(second);
    }

    [Fact]
    public void EditingTheModelBodyKeepsTheSpecUnchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        string withMember = ModelSource.Replace("{\n}", "{\n    public int Epochs { get; set; }\n}", StringComparison.Ordinal);
        Assert.NotEqual(ModelSource, withMember);
        CSharpCompilation edited = Replace(compilation, withMember);

        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The transform re-runs on the new tree, but its value-equal result stops the pipeline there.
        AssertReused(second, KanStepNames.Parse);
        AssertReused(second, KanStepNames.Spec);
        AssertSourceOutputCached(second);
    }

    [Fact]
    public void ChangingGridSizeRegeneratesTheModel()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        CSharpCompilation edited = Replace(compilation, ModelSource.Replace("GridSize = 5", "GridSize = 6", StringComparison.Ordinal));

        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(StepOutputs(second, KanStepNames.Parse)).Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(StepOutputs(second, KanStepNames.Spec)).Reason);
        string after = second.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("gridSize: 6,", after, StringComparison.Ordinal);
        Assert.Contains("gridSize: 5,", before, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineOutputsHoldNoSymbolsSyntaxOrCompilations()
    {
        string faulty = "using KanCompile; namespace Sample; [KanModel(2, 1, GridSize = 0)] public partial class Broken { }";
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.CreateCompilation(ModelSource, OtherSource, faulty));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        var problems = new List<string>();
        int outputs = 0;
        foreach (string step in new[] { KanStepNames.Parse, KanStepNames.Diagnostics, KanStepNames.Spec })
        {
            foreach ((object value, IncrementalStepRunReason _) in StepOutputs(result, step))
            {
                outputs++;
                problems.AddRange(PipelineValueInspector.FindForbidden(value, step));
            }
        }

        Assert.Equal(2 + 1 + 1, outputs); // two parse results, one diagnostic, one spec
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void InspectorFindsASymbolHiddenInAValue()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(OtherSource);
        INamedTypeSymbol helper = compilation.GetTypeByMetadataName("Sample.Helper")!;
        var value = new { Name = "x", Items = new object[] { 1, new List<object> { Tuple.Create("y", (object)helper) } } };

        IReadOnlyList<string> found = PipelineValueInspector.FindForbidden(value, "value");

        Assert.Single(found);
        Assert.Contains("Symbol", found[0], StringComparison.Ordinal);
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ModelSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Empty(first.Diagnostics);
        Assert.Single(first.GeneratedSources);
        Assert.Equal(IncrementalStepRunReason.New, Assert.Single(StepOutputs(first, KanStepNames.Spec)).Reason);
        return (driver, compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, string modelSource)
    {
        SyntaxTree model = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.FileName(0));
        return compilation.ReplaceSyntaxTree(model, CSharpSyntaxTree.ParseText(modelSource, GeneratorHarness.ParseOptions, path: model.FilePath));
    }

    private static List<(object Value, IncrementalStepRunReason Reason)> StepOutputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), "Step " + step + " was not tracked.");
        return runs.SelectMany(run => run.Outputs).ToList();
    }

    private static void AssertReused(GeneratorRunResult result, string step)
    {
        List<(object Value, IncrementalStepRunReason Reason)> outputs = StepOutputs(result, step);
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Contains(output.Reason, s_reused));
    }

    private static void AssertSourceOutputCached(GeneratorRunResult result)
    {
        List<(object Value, IncrementalStepRunReason Reason)> outputs = result.TrackedOutputSteps
            .SelectMany(step => step.Value)
            .SelectMany(run => run.Outputs)
            .ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }
}
