using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The batch gradient computes SiLU's exp(-x) inline (Cody-Waite reduction, a Taylor polynomial, 2^n in the exponent
/// bits) and hands lanes with |x| &gt; 708, where the bit trick would overflow, to Math.Exp. Across the whole range of
/// double exponents, on both sides of that switch, the gradient still agrees with the reference engine's Math.Exp.
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

    /// <summary>
    /// A lane's exp does not depend on its neighbours: with input 1's edges masked out, a sample whose input 1 is past
    /// the inline exp's range (750) gives the same bits as one whose input 1 is ordinary. When such a vector went to
    /// Vector256.Exp as a whole, input 0's lane took that library's bits instead of the polynomial's (and those bits
    /// change when the JIT re-compiles it, so a fit's result depended on timing).
    /// </summary>
    [Fact]
    public void An_out_of_range_input_leaves_the_other_lanes_bits_alone()
    {
        var spec = new KernelSpec([2, 5, 1], 5, 3, KernelBaseFunction.SiLU);
        KanKernel kernel = PregeneratedKernels.Find(spec)!;
        var layout = new KernelLayout(spec);
        var random = new Random(5);
        double[] parameters = Enumerable.Range(0, layout.ParameterCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] knots = KnotTable.Build(layout, Enumerable.Range(0, layout.NodeOffset[spec.Depth]).SelectMany(_ => Enumerable.Range(0, layout.KnotCount).Select(i => -1.0 + ((i - 3) * 0.4))).ToArray());
        double[] masks = Enumerable.Range(0, layout.EdgeCount).Select(e => e >= 5 && e < 10 ? 0.0 : 1.0).ToArray(); // input 1's edges
        for (int t = 0; t < 64; t++)
        {
            double x0 = -3.0 + (6.0 * t / 63.0);
            double[] label = { 0.25 };
            var ordinary = new double[layout.ParameterCount];
            var beyond = new double[layout.ParameterCount];
            double ordinaryLoss = kernel.SquaredErrorGradientBatch(new[] { x0, 0.8 }, label, 1, 1.0, parameters, knots, masks, ordinary, default);
            double beyondLoss = kernel.SquaredErrorGradientBatch(new[] { x0, 750.0 }, label, 1, 1.0, parameters, knots, masks, beyond, default);
            Assert.Equal(BitConverter.DoubleToInt64Bits(ordinaryLoss), BitConverter.DoubleToInt64Bits(beyondLoss));
            for (int i = 0; i < ordinary.Length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(ordinary[i]), BitConverter.DoubleToInt64Bits(beyond[i]));
            }
        }
    }
}
