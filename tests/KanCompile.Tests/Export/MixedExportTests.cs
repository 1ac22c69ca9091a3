using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Export;

/// <summary>
/// ExportCSharp of models mixing spline and symbolic edges (some symbolic, some spline, some both, some pruned):
/// the export compiles against the framework alone and agrees with the model's Forward to 1e-12 relative.
/// </summary>
public class MixedExportTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Generated_model_with_symbolic_spline_both_and_pruned_edges_exports_to_1e12()
    {
        var model = new Toy251(4);
        Sampling.Randomize(model.Parameters, 5);
        Fix(model, 0, 0, 0, "sin", 2.1, -0.3, 0.7, 0.05);
        Fix(model, 0, 1, 3, "x^2", 1.3, 0.2, -0.4, 0.1);
        Fix(model, 1, 2, 0, "tanh", 0.8, 0.1, 1.5, -0.2);
        Fix(model, 0, 1, 1, "exp", 0.5, -0.1, 0.3, 0.0);
        model.SetSymbolicMode(new KanEdge(0, 1, 1), SymbolicMode.Both);
        model.SetMask(new KanEdge(0, 0, 4), 0.0);
        model.SetMask(new KanEdge(1, 4, 0), 0.0);
        Assert.True(model.HasSymbolicEdges);
        string source = model.ExportCSharp("MixedToy", "Exported.Mixed");
        Assert.Contains("Math.Sin(", source);
        Assert.Contains("Math.Tanh(", source);
        AssertExportMatches(model, source, "Exported.Mixed.MixedToy", Sampling.Inputs(model, 8, 400));
    }

    [Fact]
    public void Every_library_function_exports_to_1e12_near_its_singularity()
    {
        // One output per library function f: edge (0,0,j) is f(a·x + b) with a·x + b ∈ [0.02, 0.98] for x ∈ [−1, 1] —
        // inside every function's domain, down to 0.02 from the poles of 1/x^n, log and 1/sqrt. Even edges are symbolic
        // only, odd edges run spline and f together.
        var library = SymbolicLibrary.Default;
        var model = new KanNetwork(new[] { 1, library.Count }, gridSize: 5, splineOrder: 3, seed: 3);
        Sampling.Randomize(model.Parameters, 11);
        for (int j = 0; j < library.Count; j++)
        {
            Fix(model, 0, 0, j, library[j].Name, j % 2 == 0 ? 0.48 : -0.48, 0.5, 0.9 - 0.01 * j, 0.1 - 0.02 * j);
            if (j % 2 == 1)
            {
                model.SetSymbolicMode(new KanEdge(0, 0, j), SymbolicMode.Both);
            }
        }

        string source = model.ExportCSharp("Edges", "Exported");
        var inputs = Enumerable.Range(0, 401).Select(s => new[] { -1.0 + s / 200.0 });
        AssertExportMatches(model, source, "Exported.Edges", inputs);
    }

    [Fact]
    public void Multi_output_network_with_symbolic_layers_exports_to_1e12()
    {
        var model = new KanNetwork(new[] { 3, 4, 2 }, gridSize: 7, splineOrder: 2, seed: 2);
        Sampling.Randomize(model.Parameters, 7);
        // The whole first row symbolic, the second layer mixed; one dead edge with only a symbolic constant.
        for (int j = 0; j < 4; j++)
        {
            Fix(model, 0, 0, j, j % 2 == 0 ? "cos" : "x^3", 0.9 - 0.2 * j, 0.1 * j, 1.0 + j, -0.05 * j);
        }

        Fix(model, 1, 3, 1, "arctan", 1.7, 0.0, -2.0, 0.3);
        Fix(model, 1, 0, 0, "0", 1.0, 0.0, 1.0, 0.25);
        model.SetMask(new KanEdge(1, 2, 1), 0.0);
        string source = model.ExportCSharp("Net", null);
        AssertExportMatches(model, source, "Net", Sampling.Inputs(model, 3, 300));
    }

    [Fact]
    public void Fully_symbolic_model_still_exports_its_simplified_formula()
    {
        var model = new KanNetwork(new[] { 2, 1 }, gridSize: 3, seed: 1);
        Fix(model, 0, 0, 0, "sin", 3.0, 0.0, 1.0, 0.0);
        Fix(model, 0, 1, 0, "x^2", 1.0, 0.0, 2.0, 1.0);
        string source = model.ExportCSharp("Formula", "Exported");
        Assert.DoesNotContain("s_parameters", source);
        Assert.Contains("Math.Sin(3.0 * x1)", source);
        AssertExportMatches(model, source, "Exported.Formula", Sampling.Inputs(model, 4, 100));
    }

    [Fact]
    public void Unfixing_every_edge_returns_to_the_baked_spline_export()
    {
        var model = new Toy251(1);
        model.FixSymbolic(new KanEdge(0, 0, 0), "sin", fitParameters: false);
        Assert.Contains("Math.Sin(", model.ExportCSharp("Mixed"));
        model.UnfixSymbolicAll();
        string source = model.ExportCSharp("Mixed");
        Assert.DoesNotContain("Math.Sin(", source);
        Assert.Contains("s_parameters", source);
    }

    private static void Fix(KanModel model, int layer, int input, int output, string name, double a, double b, double c, double d)
    {
        model.FixSymbolic(new KanEdge(layer, input, output), name, fitParameters: false);
        int p = (model.Layout.EdgeOffset[layer] + input * model.Widths[layer + 1] + output) * 4;
        (model.SymbolicParameters[p], model.SymbolicParameters[p + 1], model.SymbolicParameters[p + 2], model.SymbolicParameters[p + 3]) = (a, b, c, d);
    }

    private static void AssertExportMatches(KanModel model, string source, string typeName, IEnumerable<double[]> inputs)
    {
        ExportParity.AssertStandalone(source);
        ExportParity.AssertMatches(model, source, typeName, inputs, Tolerance);
    }
}
