using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>
/// The mixed entry points of generated and on-demand compiled kernels against the reference engine's oracle, for
/// symbolic-only, spline-only and mixed configurations with singular library functions and a user function; central
/// finite differences of coefficients, affine parameters and inputs.
/// </summary>
public class MixedKernelTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string shape in new[] { "Toy251", "Deep2321K4", "Quad342K2", "Compiled332", "MultKan2x5m2x1", "MultKanArity3", "CompiledMult" })
        {
            foreach (MixedKind kind in Enum.GetValues<MixedKind>())
            {
                yield return [shape, kind, 0.0];
            }

            yield return [shape, MixedKind.Mixed, 10.0];
        }
    }

    /// <summary>A model whose kernel is generated ([KanModel]) or compiled on demand, with random parameters.</summary>
    internal static KanModel CreateModel(string shape, int seed)
    {
        KanModel model = shape switch
        {
            "Toy251" => new Toy251(seed),
            "Deep2321K4" => new Deep2321K4(seed),
            "Quad342K2" => new Quad342K2(seed),
            // Multiplication nodes (pykan's MultKAN): edges end at sub-nodes, which the kernels then multiply.
            "MultKan2x5m2x1" => new Multiplication.MultKan2x5m2x1(seed),
            "MultKanArity3" => new Multiplication.MultKanArity3(seed),
            "CompiledMult" => new KanNetwork([2, 2, 1], gridSize: 4, seed: seed, multiplicationNodes: [0, 1, 0]),
            _ => new KanNetwork([3, 3, 2], gridSize: 6, splineOrder: 2, seed: seed, beyondGrid: KanBeyondGrid.Smooth),
        };
        Assert.IsNotType<ReferenceKernel>(model.Kernel);
        Sampling.Randomize(model.Parameters, seed + 100);
        return model;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiled_mixed_kernel_matches_the_reference(string shape, MixedKind kind, double threshold)
    {
        KanModel model = CreateModel(shape, 4);
        KanKernel compiled = model.Kernel;
        KernelLayout layout = model.Layout;
        var reference = new ReferenceKernel(layout.Spec);
        var configuration = MixedConfiguration.Create(layout, kind, 11, threshold);
        var symbolic = configuration.Spans;
        double[] parameters = model.ParameterBuffer, knots = model.KnotTable, masks = configuration.SplineMasks;
        int inputs = model.InputCount, outputs = model.OutputCount;
        var random = new Random(5);
        const int count = 12;
        var batch = new double[count * inputs];
        for (int v = 0; v < batch.Length; v++)
        {
            batch[v] = random.NextDouble() * 1.6 - 0.8;
        }

        var labels = batch.Take(count * outputs).Select(v => 0.5 * v).ToArray();
        var statisticTables = Enumerable.Range(0, 4).Select(t => Enumerable.Range(0, t % 2 == 0 ? layout.EdgeCount : layout.NodeCount).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> x = batch.AsSpan(s * inputs, inputs);

            var expected = new double[outputs];
            var actual = new double[outputs];
            reference.ForwardSymbolic(x, expected, parameters, knots, masks, in symbolic);
            compiled.ForwardSymbolic(x, actual, parameters, knots, masks, in symbolic);
            Assert.All(expected, v => Assert.True(double.IsFinite(v), $"the configuration must keep outputs finite, got {v}"));
            AssertRelative(expected, actual, "output");

            var trace = Trace(reference, x, parameters, knots, masks, in symbolic, layout);
            var traced = Trace(compiled, x, parameters, knots, masks, in symbolic, layout);
            for (int part = 0; part < trace.Length; part++)
            {
                AssertNormwise(trace[part], traced[part], $"trace part {part}");
            }

            foreach (bool regularized in new[] { false, true })
            {
                var statistics = regularized
                    ? new EdgeStatisticGradient(statisticTables[0], statisticTables[2], statisticTables[1], statisticTables[3])
                    : default;
                var (referenceGradient, referenceAffine, referenceInput) = (new double[parameters.Length], new double[layout.EdgeCount * 4], new double[inputs]);
                var (compiledGradient, compiledAffine, compiledInput) = (new double[parameters.Length], new double[layout.EdgeCount * 4], new double[inputs]);
                double e1 = reference.BackwardSymbolic(x, labels.AsSpan(s * outputs % labels.Length, outputs), true, 0.7, parameters, knots, masks, in symbolic, referenceGradient, referenceAffine, referenceInput, in statistics);
                double e2 = compiled.BackwardSymbolic(x, labels.AsSpan(s * outputs % labels.Length, outputs), true, 0.7, parameters, knots, masks, in symbolic, compiledGradient, compiledAffine, compiledInput, in statistics);
                AssertRelative([e1], [e2], "squared error");
                AssertNormwise(referenceGradient, compiledGradient, "spline gradient");
                AssertNormwise(referenceInput, compiledInput, "input gradient");
                if (kind != MixedKind.SplineOnly)
                {
                    AssertNormwise(referenceAffine, compiledAffine, "affine gradient");
                }
                else
                {
                    Assert.All(compiledAffine, g => Assert.Equal(0.0, g));
                }
            }
        }

        // Batch forms: the compiled kernel's direct loops against the reference's per-sample defaults.
        var expectedOutputs = new double[count * outputs];
        var actualOutputs = new double[count * outputs];
        reference.ForwardBatchSymbolic(batch, expectedOutputs, count, parameters, knots, masks, in symbolic);
        compiled.ForwardBatchSymbolic(batch, actualOutputs, count, parameters, knots, masks, in symbolic);
        AssertRelative(expectedOutputs, actualOutputs, "batch output");
        var (g1, a1, g2, a2) = (new double[parameters.Length], new double[layout.EdgeCount * 4], new double[parameters.Length], new double[layout.EdgeCount * 4]);
        var terms = new EdgeStatisticGradient(statisticTables[0], statisticTables[2], statisticTables[1], statisticTables[3]);
        double sum1 = reference.SquaredErrorGradientBatchSymbolic(batch, labels, count, 0.3, parameters, knots, masks, in symbolic, g1, a1, in terms);
        double sum2 = compiled.SquaredErrorGradientBatchSymbolic(batch, labels, count, 0.3, parameters, knots, masks, in symbolic, g2, a2, in terms);
        AssertRelative([sum1], [sum2], "batch squared error");
        AssertNormwise(g1, g2, "batch spline gradient");
        AssertNormwise(a1, a2, "batch affine gradient");
    }

    [Theory]
    [InlineData("Toy251", MixedKind.Mixed)]
    [InlineData("Toy251", MixedKind.SymbolicOnly)]
    [InlineData("Deep2321K4", MixedKind.Mixed)]
    [InlineData("Compiled332", MixedKind.Mixed)]
    public void Compiled_mixed_gradients_match_central_differences(string shape, MixedKind kind)
    {
        KanModel model = CreateModel(shape, 6);
        KanKernel kernel = model.Kernel;
        KernelLayout layout = model.Layout;
        var configuration = MixedConfiguration.Create(layout, kind, 21);
        double[] parameters = model.ParameterBuffer, knots = model.KnotTable, masks = configuration.SplineMasks, affine = configuration.Affine;
        int outputs = model.OutputCount;
        var weights = Enumerable.Range(0, outputs).Select(o => 1.0 - 0.3 * o).ToArray();
        var y = new double[outputs];
        double Objective(double[] input)
        {
            var spans = configuration.Spans;
            kernel.ForwardSymbolic(input, y, parameters, knots, masks, in spans);
            return y.Select((v, o) => v * weights[o]).Sum();
        }

        var random = new Random(8);
        for (int trial = 0; trial < 2; trial++)
        {
            var x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
            var gradient = new double[parameters.Length];
            var affineGradient = new double[affine.Length];
            var inputGradient = new double[x.Length];
            var symbolic = configuration.Spans;
            kernel.BackwardSymbolic(x, weights, false, 0.0, parameters, knots, masks, in symbolic, gradient, affineGradient, inputGradient, default);
            CentralDifferences.AssertGradient(parameters, gradient, () => Objective(x), "coefficient/scale");
            CentralDifferences.AssertGradient(affine, affineGradient, () => Objective(x), "affine");
            CentralDifferences.AssertGradient(x, inputGradient, () => Objective(x), "input");
            Assert.True(affineGradient.Count(g => g != 0.0) >= 4, "some affine gradients must be non-zero");
        }
    }

    private static double[][] Trace(KanKernel kernel, ReadOnlySpan<double> x, double[] parameters, double[] knots, double[] masks, in SymbolicEdgeSpans symbolic, KernelLayout layout)
    {
        var parts = new[] { new double[layout.NodeCount], new double[layout.EdgeCount], new double[layout.EdgeCount], new double[layout.EdgeCount] };
        kernel.TraceSymbolic(x, parameters, knots, masks, in symbolic, parts[0], parts[1], parts[2], parts[3]);
        return parts;
    }

    private static void AssertRelative(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1e-3, Math.Abs(expected[i])),
                $"{what}[{i}]: reference {expected[i]}, compiled {actual[i]}");
        }
    }

    private static void AssertNormwise(double[] expected, double[] actual, string what)
    {
        double difference = 0.0, norm = 0.0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }

        Assert.True(Math.Sqrt(difference) <= 1e-12 * Math.Sqrt(norm), $"{what}: |difference| {Math.Sqrt(difference):E3}, |reference| {Math.Sqrt(norm):E3}");
    }
}
