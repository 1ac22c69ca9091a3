using KanCompile.Symbolic;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// ExportCSharp of models with multiplication nodes that mix spline and symbolic edges: symbolic edges end at sub-nodes,
/// the export multiplies them as the model does, and agrees with the model's Forward to 1e-12 relative.
/// </summary>
public class MultiplicationMixedExportTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Mixed_model_with_multiplication_nodes_exports_to_1e12()
    {
        var model = new MultKan2x5m2x1(seed: 3);
        Sampling.Randomize(model.Parameters, 9);

        // Sub-nodes 5..8 are the factors of the two multiplication nodes: symbolic on a factor, on an addition
        // sub-node, both branches on one edge, and a pruned spline edge into a factor.
        Fix(model, 0, 0, 5, "sin", 1.9, -0.2, 0.8, 0.1);
        Fix(model, 0, 1, 8, "x^2", 1.2, 0.3, -0.5, 0.2);
        Fix(model, 0, 1, 2, "tanh", 0.7, 0.0, 1.1, -0.1);
        Fix(model, 1, 6, 0, "cos", 0.9, 0.4, 0.6, 0.05);
        model.SetSymbolicMode(new KanEdge(0, 0, 5), SymbolicMode.Both);
        model.SetMask(new KanEdge(0, 1, 6), 0.0);
        string source = model.ExportCSharp("MixedMult", "Exported.Mult");
        Assert.Contains("subnodes1", source);
        Assert.Contains("Math.Sin(", source);
        AssertExportMatches(model, source, "Exported.Mult.MixedMult", Sampling.Inputs(model, 6, 300));
    }

    [Fact]
    public void Mixed_model_with_arity_three_and_two_multiplying_layers_exports_to_1e12()
    {
        var model = new MultKanArity3(seed: 5);
        Sampling.Randomize(model.Parameters, 13);
        Fix(model, 0, 2, 4, "x", 1.1, 0.1, 0.9, 0.0);
        Fix(model, 1, 3, 2, "tanh", 0.4, -0.1, 0.5, 0.3);
        Fix(model, 2, 0, 0, "sin", 1.3, 0.2, 1.0, 0.0);
        string source = model.ExportCSharp("Arity3", null);
        AssertExportMatches(model, source, "Arity3", Sampling.Inputs(model, 7, 300));
    }

    private static void Fix(KanModel model, int layer, int input, int output, string name, double a, double b, double c, double d)
    {
        model.FixSymbolic(new KanEdge(layer, input, output), name, fitParameters: false);
        int p = (model.Layout.EdgeOffset[layer] + input * model.SubnodeWidths[layer + 1] + output) * 4;
        (model.SymbolicParameters[p], model.SymbolicParameters[p + 1], model.SymbolicParameters[p + 2], model.SymbolicParameters[p + 3]) = (a, b, c, d);
    }

    private static void AssertExportMatches(KanModel model, string source, string typeName, IEnumerable<double[]> inputs)
    {
        Assert.True(model.HasSymbolicEdges);
        ExportParity.AssertMatches(model, source, typeName, inputs, Tolerance);
    }
}
