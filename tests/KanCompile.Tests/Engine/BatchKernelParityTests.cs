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
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(8), parameterSeed: 19, maskedEdge: (0, 0, 0));
        double[][] samples = Sampling.Inputs(generated, 5, 40).ToArray();
        BatchAgreement.ForwardBatch(modelCase.ToString(), generated, reference, samples);
    }

    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Squared_error_gradient_batch_matches_reference(ModelCase modelCase)
    {
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(modelCase.CreateGenerated(9), parameterSeed: 29, maskedEdge: (0, 0, 0));
        double[][] samples = Sampling.Inputs(generated, 6, 25).ToArray();
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var random = new Random(3);
        double[] labels = Enumerable.Range(0, samples.Length * generated.OutputCount).Select(_ => random.NextDouble()).ToArray();
        BatchAgreement.SquaredErrorGradientBatch(modelCase.ToString(), generated, reference, inputs, labels, samples.Length, random);
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
