using KanCompile.Compilation;
using KanCompile.Tests.Multiplication;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The batch trace the regulariser's statistics read (<see cref="KanKernel.TraceFolded"/>) against the reference
/// engine's <see cref="KanKernel.Trace"/>, sample by sample: every node value and edge activation to 1e-12 relative,
/// on every test shape (a masked edge, inputs on knots, in the padding zones and far off the grid, a batch that is not
/// a whole number of sample blocks), on multiplication nodes, and after a grid update (the table-path windows; inputs
/// inside the grid, as the other updated-grid kernel tests).
/// </summary>
public class TraceFoldedTests
{
    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Trace_of_a_batch_matches_the_reference_trace(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(5), 41, (0, 0, 0));
        AssertTraceAgrees(modelCase.ToString(), generated, reference, seed: 7, count: 29);
    }

    [Fact]
    public void Trace_of_a_batch_matches_on_multiplication_nodes()
    {
        foreach (MultiplicationCase multiplication in MultiplicationCase.Cases)
        {
            (KanModel generated, KanNetwork reference) = ModelCase.Pair(multiplication.CreateGenerated(3), 17);
            AssertTraceAgrees(multiplication.Name, generated, reference, seed: 9, count: 21);
        }
    }

    [Fact]
    public void Trace_of_a_batch_matches_after_a_grid_update()
    {
        // Skewed samples, as LatticeWindowTests: the quantile grid is far from uniform; the traced samples are drawn alike.
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(new Models.Wide4x16x16x1(2), 23);
        var random = new Random(3);
        double[] Skewed(int count) => Enumerable.Range(0, count * generated.InputCount).Select(_ => Math.Pow(random.NextDouble(), 3) * 2 - 1).ToArray();
        double[] gridSamples = Skewed(200);
        generated.UpdateGrid(gridSamples);
        reference.UpdateGrid(gridSamples);
        AssertTraceAgrees("Wide4x16x16x1 after UpdateGrid", generated, reference, Skewed(40));
    }

    [Fact]
    public void Short_trace_buffers_are_rejected()
    {
        var model = new Models.Toy251(1);
        KanKernel kernel = model.Kernel;
        var folded = new double[kernel.FoldedLength];
        kernel.Fold(model.ParameterBuffer, model.MaskBuffer, folded);
        var inputs = new double[3 * model.InputCount];
        var error = Assert.Throws<ArgumentException>(() => kernel.TraceFolded(inputs, 3, folded, model.KnotTable, new double[3 * model.Layout.NodeCount], new double[3 * model.Layout.EdgeCount - 1]));
        Assert.Contains("edge values", error.Message);
        Assert.Throws<NotSupportedException>(() => new KanNetwork(new[] { 2, 3, 1 }, seed: 1, engine: KanEngine.Reference).Kernel.TraceFolded(inputs, 3, folded, model.KnotTable, new double[64], new double[64]));
    }

    private static void AssertTraceAgrees(string label, KanModel generated, KanNetwork reference, int seed, int count) =>
        AssertTraceAgrees(label, generated, reference, Sampling.Inputs(generated, seed, count).SelectMany(x => x).ToArray());

    private static void AssertTraceAgrees(string label, KanModel generated, KanNetwork reference, double[] inputs)
    {
        KanKernel kernel = generated.Kernel;
        int nodeCount = generated.Layout.NodeCount, edgeCount = generated.Layout.EdgeCount;
        int count = inputs.Length / generated.InputCount;
        var folded = new double[kernel.FoldedLength];
        kernel.Fold(generated.ParameterBuffer, generated.MaskBuffer, folded);
        var nodes = new double[count * nodeCount];
        var edges = new double[count * edgeCount];
        kernel.TraceFolded(inputs, count, folded, generated.KnotTable, nodes, edges);

        var expectedNodes = new double[nodeCount];
        var expectedEdges = new double[edgeCount];
        var splines = new double[edgeCount];
        for (int s = 0; s < count; s++)
        {
            reference.Kernel.Trace(inputs.AsSpan(s * generated.InputCount, generated.InputCount), reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, expectedNodes, expectedEdges, splines);
            AssertClose($"{label}, sample {s}, node", nodes.AsSpan(s * nodeCount, nodeCount), expectedNodes);
            AssertClose($"{label}, sample {s}, edge", edges.AsSpan(s * edgeCount, edgeCount), expectedEdges);
        }
    }

    private static void AssertClose(string label, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= KernelAgreement.Tolerance * scale, $"{label} {i}: {actual[i]:R}, reference {expected[i]:R}");
        }
    }
}
