using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Tests.Multiplication;
using KanCompile.Tests.Support;
using KanCompile.Tests.SymbolicModel;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// Generated and on-demand compiled input-derivative kernels against the reference engine: outputs, Jacobians and both
/// Hessian forms at points in every zone of the grid (inside, on knots, padding, far outside), the loss gradient, the
/// mixed (symbolic) forms with plain and singularity-safe functions, and 0 B per call once warm.
/// </summary>
public class InputDerivativeKernelTests
{
    private const double Tolerance = 1e-12;

    public static IEnumerable<object[]> Models() =>
        ModelCase.Cases.Where(c => c.Name != "Broad100x10x1").Select(c => new object[] { c.Name })
            .Concat(MultiplicationCase.Cases.Select(c => new object[] { c.Name }))
            .Concat([["Compiled332"], ["CompiledMult"]]);

    internal static KanModel Create(string name, int seed) =>
        ModelCase.Cases.FirstOrDefault(c => c.Name == name)?.CreateGenerated(seed)
        ?? MultiplicationCase.Cases.FirstOrDefault(c => c.Name == name)?.CreateGenerated(seed)
        ?? (name == "CompiledMult"
            ? new KanNetwork([2, 3, 1], gridSize: 4, seed: seed, multiplicationNodes: [0, 1, 0])
            : new KanNetwork([3, 3, 2], gridSize: 6, splineOrder: 2, seed: seed, beyondGrid: KanBeyondGrid.Smooth));

    [Theory]
    [MemberData(nameof(Models))]
    public void Derivatives_match_the_reference(string name)
    {
        KanModel model = Create(name, 2);
        Assert.IsNotType<ReferenceKernel>(model.Kernel);
        Sampling.Randomize(model.Parameters, 83);
        var reference = new ReferenceKernel(model.Layout.Spec);
        foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
        {
            foreach (double[] x in Sampling.Inputs(model, 89, 25))
            {
                var expected = Evaluate((y, j, h) => reference.InputDerivatives(x, y, j, h, second, model.ParameterBuffer, model.KnotTable, model.MaskBuffer), model, second);
                var actual = Evaluate((y, j, h) => model.Kernel.InputDerivatives(x, y, j, h, second, model.ParameterBuffer, model.KnotTable, model.MaskBuffer), model, second);
                AssertAgree(expected, actual, $"{name} {second} at [{string.Join(", ", x)}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Outputs_equal_Forward_bit_for_bit(string name)
    {
        KanModel model = Create(name, 3);
        Sampling.Randomize(model.Parameters, 97);
        var forward = new double[model.OutputCount];
        foreach (double[] x in Sampling.Inputs(model, 101, 20))
        {
            var (y, _, _) = Evaluate((y, j, h) => model.InputDerivatives(x, y, j, h, SecondDerivatives.Full), model, SecondDerivatives.Full);
            model.Forward(x, forward);
            Assert.Equal(forward, y);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Loss_gradient_matches_the_reference(string name)
    {
        KanModel model = Create(name, 4);
        Sampling.Randomize(model.Parameters, 103);
        var reference = new ReferenceKernel(model.Layout.Spec);
        foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
        {
            var loss = new DerivativeTestLoss(second, model.InputCount, 7);
            var expected = new double[model.ParameterCount];
            var actual = new double[model.ParameterCount];
            double expectedTotal = reference.InputDerivativeLossGradient(loss.Inputs, 0, 7, second, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, expected);
            double actualTotal = model.Kernel.InputDerivativeLossGradient(loss.Inputs, 0, 7, second, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, actual);
            Assert.True(Sampling.RelativeError(actualTotal, expectedTotal) <= Tolerance, $"{name} {second}: loss {actualTotal} vs {expectedTotal}");
            AssertNormwise(expected, actual, $"{name} {second}: parameter gradient");
        }
    }

    public static IEnumerable<object[]> MixedCases()
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

    [Theory]
    [MemberData(nameof(MixedCases))]
    public void Mixed_derivatives_and_loss_gradient_match_the_reference(string shape, MixedKind kind, double threshold)
    {
        KanModel model = MixedKernelTests.CreateModel(shape, 4);
        KernelLayout layout = model.Layout;
        var reference = new ReferenceKernel(layout.Spec);
        var configuration = MixedConfiguration.Create(layout, kind, 11, threshold);
        double[] parameters = model.ParameterBuffer, knots = model.KnotTable, masks = configuration.SplineMasks;
        var random = new Random(5);
        foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
        {
            for (int trial = 0; trial < 4; trial++)
            {
                double[] x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
                var expected = Evaluate((y, j, h) => reference.InputDerivativesSymbolic(x, y, j, h, second, parameters, knots, masks, configuration.Spans), model, second);
                var actual = Evaluate((y, j, h) => model.Kernel.InputDerivativesSymbolic(x, y, j, h, second, parameters, knots, masks, configuration.Spans), model, second);
                AssertAgree(expected, actual, $"{shape} {kind} y_th {threshold} {second}");
            }

            var loss = new DerivativeTestLoss(second, model.InputCount, 5);
            var (expectedGradient, expectedAffine) = (new double[parameters.Length], new double[layout.EdgeCount * 4]);
            var (actualGradient, actualAffine) = (new double[parameters.Length], new double[layout.EdgeCount * 4]);
            double expectedTotal = reference.InputDerivativeLossGradientSymbolic(loss.Inputs, 0, 5, second, loss, parameters, knots, masks, configuration.Spans, expectedGradient, expectedAffine);
            double actualTotal = model.Kernel.InputDerivativeLossGradientSymbolic(loss.Inputs, 0, 5, second, loss, parameters, knots, masks, configuration.Spans, actualGradient, actualAffine);
            Assert.True(Sampling.RelativeError(actualTotal, expectedTotal) <= Tolerance, $"{shape} {kind} {second}: loss {actualTotal} vs {expectedTotal}");
            AssertNormwise(expectedGradient, actualGradient, $"{shape} {kind} y_th {threshold} {second}: spline gradient");
            AssertNormwise(expectedAffine, actualAffine, $"{shape} {kind} y_th {threshold} {second}: affine gradient");
        }
    }

    [Fact]
    public void A_warm_call_allocates_nothing()
    {
        var model = new Models.Toy251(1);
        var mixed = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3);
        mixed.FixSymbolic(new KanEdge(0, 0, 1), "sin", fitParameters: false);
        foreach (KanModel m in new KanModel[] { model, mixed })
        {
            var x = new double[] { 0.3, -0.4 };
            var y = new double[1];
            var jacobian = new double[2];
            var hessian = new double[4];
            var loss = new DerivativeTestLoss(SecondDerivatives.Full, 2, 8);
            var gradient = new double[m.ParameterCount];
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => m.InputDerivatives(x, y, jacobian, hessian, SecondDerivatives.Full)));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => m.InputDerivatives(x, y, jacobian, hessian.AsSpan(0, 2), SecondDerivatives.Diagonal)));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => m.InputDerivativeLossGradient(loss.Inputs, SecondDerivatives.Full, loss, gradient), callsPerRound: 50));
        }
    }

    private delegate void Call(Span<double> output, Span<double> jacobian, Span<double> hessian);

    private static (double[] Output, double[] Jacobian, double[] Hessian) Evaluate(Call call, KanModel model, SecondDerivatives second)
    {
        var y = new double[model.OutputCount];
        var jacobian = new double[model.OutputCount * model.InputCount];
        var hessian = new double[model.HessianLength(second)];
        call(y, jacobian, hessian);
        return (y, jacobian, hessian);
    }

    private static void AssertAgree((double[] Output, double[] Jacobian, double[] Hessian) expected, (double[] Output, double[] Jacobian, double[] Hessian) actual, string what)
    {
        AssertScaled(expected.Output, actual.Output, what + ": output");
        AssertScaled(expected.Jacobian, actual.Jacobian, what + ": Jacobian");
        AssertScaled(expected.Hessian, actual.Hessian, what + ": Hessian");
    }

    /// <summary>Every entry within 1e-12 of the largest reference entry (at least 1): derivatives span many magnitudes.</summary>
    private static void AssertScaled(double[] expected, double[] actual, string what)
    {
        double scale = Math.Max(1.0, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * scale, $"{what}[{i}]: reference {expected[i]}, kernel {actual[i]} (scale {scale})");
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

        Assert.True(Math.Sqrt(difference) <= Tolerance * Math.Max(1e-300, Math.Sqrt(norm)), $"{what}: |difference| {Math.Sqrt(difference):E3}, |reference| {Math.Sqrt(norm):E3}");
    }
}
