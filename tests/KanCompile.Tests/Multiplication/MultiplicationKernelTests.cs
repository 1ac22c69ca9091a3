using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Tests.Compilation;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// Generated ([KanModel]) and on-demand compiled kernels of MultKAN shapes against the reference engine: forward,
/// trace, backward, batch forward and batch gradient (with statistic terms) to 1e-12; gradients against central
/// finite differences; zero allocation.
/// </summary>
public class MultiplicationKernelTests
{
    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Generated_kernel_matches_reference(MultiplicationCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(3), parameterSeed: 17);
        Assert.IsType<ReferenceKernel>(reference.Kernel);
        Assert.IsNotType<ReferenceKernel>(generated.Kernel);
        KernelAgreement.Outputs(modelCase.Name, (IKanModel)generated, reference, seed: 5, count: 100);
        KernelAgreement.Gradients(modelCase.Name, (IKanModel)generated, reference, seed: 6, count: 40);
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Compiled_on_demand_kernel_matches_reference(MultiplicationCase modelCase)
    {
        KanArchitecture architecture = modelCase.CreateGenerated(1).Architecture;
        var compiled = new KanNetwork(architecture, seed: 4);
        var reference = new KanNetwork(architecture, seed: 4, KanEngine.Reference);
        Assert.Equal(KernelCompiler.Namespace, DeferredKernel.Settled(compiled.Kernel).GetType().Namespace);
        Sampling.Randomize(compiled.Parameters, 21);
        compiled.Parameters.CopyTo(reference.Parameters);
        KernelAgreement.Outputs(modelCase.Name, compiled, reference, seed: 7, count: 100);
        KernelAgreement.Gradients(modelCase.Name, compiled, reference, seed: 8, count: 40);
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Trace_matches_reference_including_sub_nodes(MultiplicationCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(4), parameterSeed: 19, maskedEdge: (0, 1, 0));
        var layout = generated.Layout;
        Assert.True(layout.SubnodeOffset[1] >= layout.NodeOffset[generated.Depth] + generated.OutputCount, "sub-node slots follow all nodes");
        double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount];
        double[] nodesRef = new double[layout.NodeCount], edgesRef = new double[layout.EdgeCount], splinesRef = new double[layout.EdgeCount];
        foreach (double[] x in Sampling.Inputs(generated, 8, 40))
        {
            generated.Kernel.Trace(x, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer, nodes, edges, splines);
            reference.Kernel.Trace(x, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, nodesRef, edgesRef, splinesRef);
            for (int n = 0; n < nodes.Length; n++)
            {
                Assert.True(Sampling.RelativeError(nodes[n], nodesRef[n]) <= 1e-12, $"{modelCase}: node slot {n} = {nodes[n]}, reference {nodesRef[n]}");
            }

            for (int e = 0; e < edges.Length; e++)
            {
                Assert.True(Sampling.RelativeError(edges[e], edgesRef[e]) <= 1e-12, $"{modelCase}: edge {e} = {edges[e]}, reference {edgesRef[e]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Batch_paths_match_reference(MultiplicationCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(9), parameterSeed: 29);
        double[][] samples = Sampling.Inputs(generated, 6, 30).ToArray();
        BatchAgreement.ForwardBatch(modelCase.ToString(), generated, reference, samples);
        double[] inputs = samples.SelectMany(x => x).ToArray();

        var random = new Random(3);
        double[] labels = Enumerable.Range(0, samples.Length).Select(_ => random.NextDouble()).ToArray();
        BatchAgreement.SquaredErrorGradientBatch(modelCase.ToString(), generated, reference, inputs, labels, samples.Length, random);
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Gradients_match_central_differences(MultiplicationCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(3), parameterSeed: 17);
        foreach (KanModel subject in new[] { generated, reference })
        {
            var model = (IKanModel)subject;
            var random = new Random(23);
            var y = new double[model.OutputCount];
            double Objective(double[] input)
            {
                model.Forward(input, y);
                return y[0];
            }

            for (int trial = 0; trial < 2; trial++)
            {
                var x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
                var gradient = new double[model.ParameterCount];
                var inputGradient = new double[model.InputCount];
                model.Backward(x, [1.0], gradient, inputGradient);
                CentralDifferences.AssertGradient(subject.Parameters, gradient, () => Objective(x), $"{modelCase} ({subject.Kernel.GetType().Name}): dθ");
                CentralDifferences.AssertGradient(x, inputGradient, () => Objective(x), $"{modelCase}: dx");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Forward_backward_and_batch_allocate_nothing_after_warm_up(MultiplicationCase modelCase)
    {
        KanModel generated = modelCase.CreateGenerated(1);
        var model = (IKanModel)generated;
        var x = Enumerable.Range(0, model.InputCount).Select(i => 0.1 * i - 0.3).ToArray();
        var y = new double[model.OutputCount];
        var gradient = new double[model.ParameterCount];
        var inputGradient = new double[model.InputCount];
        double[] inputs = Enumerable.Range(0, 32 * model.InputCount).Select(i => Math.Sin(i)).ToArray();
        double[] labels = new double[32];
        var outputs = new double[32];
        var outputGradient = new double[] { 1.0 };
        void Step()
        {
            model.Forward(x, y);
            model.Backward(x, outputGradient, gradient, inputGradient);
            generated.Kernel.ForwardBatch(inputs, outputs, 32, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer);
            generated.Kernel.SquaredErrorGradientBatch(inputs, labels, 32, 1.0 / 32, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer, gradient, default);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerRound: 200, warmUpCalls: 20));
    }
}
