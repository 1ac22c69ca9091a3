using KanCompile.Engine;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The batch path's edge helpers are written once per layer width: straight-line vectors up to 64 outputs, a loop over
/// whole vectors past that, a last vector with a constant mask when the width is not a multiple of 4, scalar below 4.
/// Kernels compiled on demand with widths of each kind agree with the reference engine, and ForwardBatch gives the
/// single-sample Forward's outputs bit for bit (same operations per output).
/// </summary>
public class LayerWidthBatchTests
{
    public static IEnumerable<object[]> Shapes() => new[]
    {
        new object[] { "2x70x3 G5 k3 (a loop over 17 vectors, 2 masked lanes; 3 scalar outputs)", new KanArchitecture(new[] { 2, 70, 3 }, gridSize: 5, splineOrder: 3) },
        new object[] { "3x7x4 G6 k2 (1 vector and 3 masked lanes; one whole vector)", new KanArchitecture(new[] { 3, 7, 4 }, gridSize: 6, splineOrder: 2) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Batch_path_matches_reference_engine(string shape, KanArchitecture architecture)
    {
        var compiled = new KanNetwork(architecture, seed: 5);
        var reference = new KanNetwork(architecture, seed: 5, KanEngine.Reference);
        Sampling.Randomize(compiled.Parameters, 23);
        compiled.Parameters.CopyTo(reference.Parameters);
        compiled.SetMask(new KanEdge(0, 1, 2), 0.0);
        reference.SetMask(new KanEdge(0, 1, 2), 0.0);
        double[][] samples = Sampling.Inputs(compiled, 7, 30).ToArray();

        BatchAgreement.ForwardBatch(shape, compiled, reference, samples);
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var random = new Random(8);
        double[] labels = Enumerable.Range(0, samples.Length * compiled.OutputCount).Select(_ => random.NextDouble()).ToArray();
        BatchAgreement.SquaredErrorGradientBatch(shape, compiled, reference, inputs, labels, samples.Length, random);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_batch_gives_single_sample_outputs_bit_for_bit(string shape, KanArchitecture architecture)
    {
        var compiled = new KanNetwork(architecture, seed: 6);
        Sampling.Randomize(compiled.Parameters, 29);
        double[][] samples = Sampling.Inputs(compiled, 9, 30).ToArray();
        var outputs = new double[samples.Length * compiled.OutputCount];
        compiled.Kernel.ForwardBatch(samples.SelectMany(x => x).ToArray(), outputs, samples.Length, compiled.ParameterBuffer, compiled.KnotTable, compiled.MaskBuffer);

        var expected = new double[compiled.OutputCount];
        for (int s = 0; s < samples.Length; s++)
        {
            compiled.Forward(samples[s], expected);
            for (int o = 0; o < expected.Length; o++)
            {
                double actual = outputs[s * compiled.OutputCount + o];
                Assert.True(actual.Equals(expected[o]), $"{shape}: sample {s} output {o} = {actual:R}, Forward {expected[o]:R}");
            }
        }
    }
}
