using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Export;

/// <summary>
/// ExportCSharp with baked splines: the export compiles against the framework alone (no KanCompile reference)
/// and reproduces the model's Forward exactly — it runs the same emitted forward code on the same constants.
/// </summary>
public class SplineExportTests
{
    [Fact]
    public void Generated_model_with_adapted_grid_and_pruned_edge_exports_exactly()
    {
        var model = new Toy251(4);
        Sampling.Randomize(model.Parameters, 5);
        var random = new Random(6);
        double[] samples = Enumerable.Range(0, 400).Select(_ => Math.Tanh(2 * (random.NextDouble() * 2 - 1))).ToArray();
        model.UpdateGrid(samples);
        model.SetMask(new KanEdge(0, 1, 2), 0.0);
        AssertExportMatches(model, "ToyFormula", "Exported.Models");
    }

    [Theory]
    [InlineData(new[] { 3, 4, 2 }, 7, 2, KanBeyondGrid.Pykan)]
    [InlineData(new[] { 2, 3, 2, 1 }, 6, 0, KanBeyondGrid.Pykan)]
    [InlineData(new[] { 1, 1 }, 3, 5, KanBeyondGrid.Pykan)]
    [InlineData(new[] { 3, 4, 2 }, 7, 2, KanBeyondGrid.Smooth)]
    [InlineData(new[] { 2, 3, 2, 1 }, 6, 0, KanBeyondGrid.Smooth)]
    public void Network_exports_exactly(int[] widths, int grid, int order, KanBeyondGrid beyondGrid)
    {
        var model = new KanNetwork(widths, grid, order, seed: 2, beyondGrid: beyondGrid);
        Sampling.Randomize(model.Parameters, 7);
        AssertExportMatches(model, "Net", null);
    }

    [Fact]
    public void Single_output_export_has_a_scalar_overload()
    {
        var model = new Toy251(1);
        string source = model.ExportCSharp("ScalarToy", "Exported");
        var method = InProcessCompiler.Compile(source).GetType("Exported.ScalarToy")!.GetMethod("Evaluate", [typeof(double), typeof(double)])!;
        var y = new double[1];
        model.Forward(new[] { 0.25, -0.5 }, y);
        Assert.Equal(y[0], (double)method.Invoke(null, [0.25, -0.5])!);
    }

    [Fact]
    public void Bad_names_are_rejected()
    {
        var model = new Toy251(1);
        Assert.Throws<ArgumentException>(() => model.ExportCSharp("class"));
        Assert.Throws<ArgumentException>(() => model.ExportCSharp("1Bad"));
        Assert.Throws<ArgumentException>(() => model.ExportCSharp("Good", "My..Space"));
    }

    private static void AssertExportMatches(KanModel model, string className, string? namespaceName)
    {
        string source = model.ExportCSharp(className, namespaceName);
        ExportParity.AssertStandalone(source);
        var evaluate = InProcessCompiler.CompileSpanEvaluate(source, namespaceName is null ? className : namespaceName + "." + className);
        var kan = (IKanModel)model;
        var y = new double[model.OutputCount];
        var exported = new double[model.OutputCount];
        foreach (double[] x in Sampling.Inputs(model, 8, 200))
        {
            kan.Forward(x, y);
            evaluate(x, exported);
            Assert.Equal(y, exported);
        }
    }
}
