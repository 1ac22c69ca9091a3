using KanCompile.Engine;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The batch gradient computes SiLU's exp(-x) inline (Cody-Waite reduction, a Taylor polynomial, 2^n in the exponent
/// bits) and hands |x| &gt; 708, where the bit trick would overflow, to Vector256.Exp. Across the whole range of double
/// exponents, on both sides of that switch, the gradient still agrees with the reference engine's Math.Exp.
/// </summary>
public class BatchSiluRangeTests
{
    [Fact]
    public void Batch_gradient_matches_reference_engine_from_tiny_to_huge_inputs()
    {
        var architecture = new KanArchitecture(new[] { 2, 5, 1 }, gridSize: 5, splineOrder: 3);
        var compiled = new KanNetwork(architecture, seed: 3);
        var reference = new KanNetwork(architecture, seed: 3, KanEngine.Reference);
        Sampling.Randomize(compiled.Parameters, 31);
        compiled.Parameters.CopyTo(reference.Parameters);

        double[] magnitudes = { 0.0, 1e-300, 1e-8, 0.3, 0.35, 1, 20, 36.7, 300, 707.9, 708, 708.1, 709.7, 720, 1e4 };
        var samples = new List<double[]>();
        foreach (double magnitude in magnitudes)
        {
            // Each sign on each input, and mixed with an ordinary value, so a vector of four nodes holds both kinds.
            samples.Add(new[] { magnitude, -magnitude });
            samples.Add(new[] { -magnitude, 0.5 });
            samples.Add(new[] { 0.25, magnitude });
        }

        double[] inputs = samples.SelectMany(x => x).ToArray();
        var random = new Random(12);
        double[] labels = samples.Select(_ => random.NextDouble()).ToArray();
        BatchAgreement.SquaredErrorGradientBatch("[2,5,1] over the exponent range", compiled, reference, inputs, labels, samples.Count, random);
    }
}
