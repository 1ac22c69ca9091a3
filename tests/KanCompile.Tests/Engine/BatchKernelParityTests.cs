using KanCompile.Compilation;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>
/// The batch path (folded tables, vector lanes over outputs) against the reference engine: forward to 1e-12
/// relative, the batch gradient (with and without statistic terms) to 1e-12 normwise.
/// </summary>
public class BatchKernelParityTests
{
    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Forward_batch_matches_reference(ModelCase modelCase)
    {
        KanModel generated = modelCase.CreateGenerated(8);
        KanNetwork reference = ModelCase.Reference(generated);
        Sampling.Randomize(generated.Parameters, 19);
        generated.Parameters.CopyTo(reference.Parameters);
        generated.SetMask(0, 0, 0, 0.0);
        reference.SetMask(0, 0, 0, 0.0);
        double[][] samples = Sampling.Inputs(generated, 5, 40).ToArray();
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var outputs = new double[samples.Length * generated.OutputCount];
        generated.Kernel.ForwardBatch(inputs, outputs, samples.Length, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer);
        var expected = new double[generated.OutputCount];
        for (int s = 0; s < samples.Length; s++)
        {
            reference.Forward(samples[s], expected);
            for (int o = 0; o < expected.Length; o++)
            {
                double actual = outputs[s * generated.OutputCount + o];
                Assert.True(Sampling.RelativeError(actual, expected[o]) <= 1e-12, $"{modelCase}: sample {s} output {o} = {actual}, reference {expected[o]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Squared_error_gradient_batch_matches_reference(ModelCase modelCase)
    {
        KanModel generated = modelCase.CreateGenerated(9);
        KanNetwork reference = ModelCase.Reference(generated);
        Sampling.Randomize(generated.Parameters, 29);
        generated.Parameters.CopyTo(reference.Parameters);
        generated.SetMask(0, 0, 0, 0.0);
        reference.SetMask(0, 0, 0, 0.0);
        double[][] samples = Sampling.Inputs(generated, 6, 25).ToArray();
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var random = new Random(3);
        double[] labels = Enumerable.Range(0, samples.Length * generated.OutputCount).Select(_ => random.NextDouble()).ToArray();
        var layout = generated.Layout;
        double[] edgeWeight = Enumerable.Range(0, layout.EdgeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] edgeMean = Enumerable.Range(0, layout.EdgeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] nodeWeight = Enumerable.Range(0, layout.NodeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] nodeMean = Enumerable.Range(0, layout.NodeCount).Select(_ => random.NextDouble() - 0.5).ToArray();

        foreach (bool withStatistics in new[] { false, true })
        {
            var statistics = withStatistics ? new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean) : default;
            var gradient = new double[generated.ParameterCount];
            var expected = new double[generated.ParameterCount];
            double sum = generated.Kernel.SquaredErrorGradientBatch(inputs, labels, samples.Length, 0.5, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer, gradient, in statistics);
            double expectedSum = reference.Kernel.SquaredErrorGradientBatch(inputs, labels, samples.Length, 0.5, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, expected, in statistics);
            Assert.True(Sampling.RelativeError(sum, expectedSum) <= 1e-12, $"{modelCase}: squared error {sum} vs {expectedSum}");
            double scale = Math.Max(1.0, expected.Max(Math.Abs));
            int worst = Enumerable.Range(0, gradient.Length).MaxBy(i => Math.Abs(gradient[i] - expected[i]));
            Assert.True(Math.Abs(gradient[worst] - expected[worst]) <= 1e-12 * scale, $"{modelCase} (statistics: {withStatistics}): dθ[{worst}] = {gradient[worst]}, reference {expected[worst]} (scale {scale})");
        }
    }

    [Fact]
    public void Batch_gradient_allocates_nothing_after_warm_up()
    {
        var model = new Models.Wide4x16x16x1(1);
        var random = new Random(4);
        double[] inputs = Enumerable.Range(0, 64 * 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] labels = Enumerable.Range(0, 64).Select(_ => random.NextDouble()).ToArray();
        var outputs = new double[64];
        var gradient = new double[model.ParameterCount];
        void Step()
        {
            model.Kernel.SquaredErrorGradientBatch(inputs, labels, 64, 1.0 / 64, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
            model.Kernel.ForwardBatch(inputs, outputs, 64, model.ParameterBuffer, model.KnotTable, model.MaskBuffer);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerRound: 20, warmUpCalls: 5));
    }
}
