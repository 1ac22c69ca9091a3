using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// Kernels compiled on demand (the shared emitter, compiled by Roslyn at run time) against the reference
/// engine, for shapes no [KanModel] declares as well as a declared one.
/// </summary>
public class CompiledKernelParityTests
{
    public static IEnumerable<object[]> Shapes() => new[]
    {
        new object[] { "3x7x2 G13 k2 (declared nowhere)", new KanArchitecture(new[] { 3, 7, 2 }, gridSize: 13, splineOrder: 2) },
        new object[] { "2x5x1 G6 k3", new KanArchitecture(new[] { 2, 5, 1 }, gridSize: 6, splineOrder: 3) },
        new object[] { "2x3x2x1 G6 k4 Identity", new KanArchitecture(new[] { 2, 3, 2, 1 }, gridSize: 6, splineOrder: 4, baseFunction: KanBaseFunction.Identity) },
        new object[] { "2x3x1 G9 k5 Zero [-2,3]", new KanArchitecture(new[] { 2, 3, 1 }, gridSize: 9, splineOrder: 5, baseFunction: KanBaseFunction.Zero, gridMin: -2, gridMax: 3) },
        new object[] { "2x2 G4 k0", new KanArchitecture(new[] { 2, 2 }, gridSize: 4, splineOrder: 0) },
        new object[] { "2x3x1 G5 k7 (eight window slots, one output)", new KanArchitecture(new[] { 2, 3, 1 }, gridSize: 5, splineOrder: 7) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compiled_network_matches_reference_engine(string shape, KanArchitecture architecture)
    {
        var compiled = new KanNetwork(architecture, seed: 3);
        var reference = new KanNetwork(architecture, seed: 3, KanEngine.Reference);
        Sampling.Randomize(compiled.Parameters, 17);
        compiled.Parameters.CopyTo(reference.Parameters);

        Assert.Equal(KanEngine.Compiled, compiled.Engine);
        Assert.Equal(KernelCompiler.Namespace, DeferredKernel.Settled(compiled.Kernel).GetType().Namespace);
        Assert.IsType<ReferenceKernel>(reference.Kernel);
        KernelAgreement.Outputs(shape, compiled, reference, seed: 5, count: 150);
        KernelAgreement.Gradients(shape, compiled, reference, seed: 6, count: 50);

        // The batch paths (what Fit runs) take their own emitted code: the one-output helpers, the window tables.
        double[][] samples = Sampling.Inputs(compiled, 7, 37).ToArray();
        BatchAgreement.ForwardBatch(shape, compiled, reference, samples);
        double[] labels = Enumerable.Range(0, samples.Length * compiled.OutputCount).Select(i => Math.Sin(0.7 * i)).ToArray();
        BatchAgreement.SquaredErrorGradientBatch(shape, compiled, reference, samples.SelectMany(x => x).ToArray(), labels, samples.Length, new Random(11));
    }

    [Fact]
    public void Compiled_trace_matches_reference_trace()
    {
        var architecture = new KanArchitecture(new[] { 3, 7, 2 }, gridSize: 13, splineOrder: 2);
        var compiled = new KanNetwork(architecture, seed: 4);
        var reference = new KanNetwork(architecture, seed: 4, KanEngine.Reference);
        Sampling.Randomize(compiled.Parameters, 19);
        compiled.Parameters.CopyTo(reference.Parameters);
        compiled.SetMask(new KanEdge(0, 1, 3), 0.0);
        reference.SetMask(new KanEdge(0, 1, 3), 0.0);

        var layout = compiled.Layout;
        double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount];
        double[] nodesRef = new double[layout.NodeCount], edgesRef = new double[layout.EdgeCount], splinesRef = new double[layout.EdgeCount];
        foreach (double[] x in Sampling.Inputs(compiled, 8, 60))
        {
            compiled.Kernel.Trace(x, compiled.ParameterBuffer, compiled.KnotTable, compiled.MaskBuffer, nodes, edges, splines);
            reference.Kernel.Trace(x, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, nodesRef, edgesRef, splinesRef);
            AssertClose(nodes, nodesRef, "node value");
            AssertClose(edges, edgesRef, "edge activation");
            AssertClose(splines, splinesRef, "spline value");
        }
    }

    private static void AssertClose(double[] actual, double[] expected, string what)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(
                Sampling.RelativeError(actual[i], expected[i]) <= KernelAgreement.Tolerance,
                $"{what} {i} is {actual[i]}, reference {expected[i]}");
        }
    }
}
