using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Multiplication;
using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Engine;

/// <summary>
/// The parameter gradient of a loss on outputs, Jacobians and Hessians (<see cref="KanModel.InputDerivativeLossGradient"/>)
/// against central differences of the loss itself, for every kind of second derivative, deep models, multiplication
/// nodes (arity 3 needs the product rule's third-order terms) and symbolic edges' affine parameters; and its bits for any
/// thread count.
/// </summary>
public class InputDerivativeGradientTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string shape in new[] { "Toy251", "Deep2321K4", "Quad342K2", "Quintic231K5", "MultKanArity3", "MultKan2x5m2x1" })
        {
            foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
            {
                yield return [shape, second];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_differences(string shape, SecondDerivatives second)
    {
        KanModel model = shape switch
        {
            "Toy251" => new Toy251(2),
            "Deep2321K4" => new Deep2321K4(2),
            "Quad342K2" => new Quad342K2(2),
            "Quintic231K5" => new Quintic231K5(2),
            "MultKanArity3" => new MultKanArity3(2),
            _ => new MultKan2x5m2x1(2),
        };
        Sampling.Randomize(model.Parameters, 71);
        AssertGradient(model, second, model.Parameters, model.ParameterCount, $"{shape} {second}");
    }

    [Theory]
    [InlineData(SecondDerivatives.Diagonal)]
    [InlineData(SecondDerivatives.Full)]
    public void Symbolic_edges_get_their_affine_gradient(SecondDerivatives second)
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3);
        Sampling.Randomize(model.Parameters, 41);
        model.FixSymbolic(0, 0, 1, "sin", fitParameters: false);
        model.FixSymbolic(0, 1, 2, "x^3", fitParameters: false);
        model.FixSymbolic(1, 1, 0, "exp", fitParameters: false);
        model.SetSymbolicMode(1, 2, 0, SymbolicMode.Both);
        model.FixSymbolic(1, 2, 0, "tanh", fitParameters: false);
        Span<double> affine = model.SymbolicParameters;
        for (int p = 0; p < affine.Length; p++)
        {
            affine[p] = 0.3 + 0.1 * (p % 7);
        }

        // One vector [splines | affine], as Fit trains it; differences move each entry in the model.
        var combined = new double[model.ParameterCount + affine.Length];
        var gradient = new double[combined.Length];
        var loss = new TestLoss(second, model.InputCount, 6);
        double[] inputs = loss.Inputs;
        model.InputDerivativeLossGradient(inputs, second, loss, gradient);
        double Objective() => loss.Total(model, inputs);
        CentralDifferences.AssertGradient(model.Parameters, gradient.AsSpan(0, model.ParameterCount), Objective, $"symbolic {second}: splines", 1e-6);
        CentralDifferences.AssertGradient(model.SymbolicParameters, gradient.AsSpan(model.ParameterCount), Objective, $"symbolic {second}: affine", 1e-6);
    }

    [Fact]
    public void Same_bits_for_any_thread_count()
    {
        var model = new Wide4x16x16x1(3);
        Sampling.Randomize(model.Parameters, 73);
        var loss = new TestLoss(SecondDerivatives.Diagonal, model.InputCount, 100);
        KanKernel kernel = new ReferenceKernel(model.Layout.Spec);
        double[] Run(ChunkWorkers? workers)
        {
            var evaluator = new InputDerivativeLossEvaluator(model.ParameterCount);
            var gradient = new double[model.ParameterCount];
            double total = evaluator.Evaluate(kernel, loss.Inputs, model.InputCount, SecondDerivatives.Diagonal, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, workers);
            return [total, .. gradient];
        }

        double[] serial = Run(null);
        using var one = new ChunkWorkers(1);
        using var three = new ChunkWorkers(3);
        Assert.Equal(serial, Run(one));
        Assert.Equal(serial, Run(three));
    }

    private static void AssertGradient(KanModel model, SecondDerivatives second, Span<double> parameters, int length, string what)
    {
        var loss = new TestLoss(second, model.InputCount, 5);
        double[] inputs = loss.Inputs;
        var gradient = new double[length];
        double total = model.InputDerivativeLossGradient(inputs, second, loss, gradient);
        Assert.Equal(loss.Total(model, inputs), total, 12);
        CentralDifferences.AssertGradient(parameters, gradient, () => loss.Total(model, inputs), what, 1e-6);
    }

    /// <summary>
    /// ℓ_s = (Σ_o a_o·y_o + Σ b_k·J_k + Σ c_k·H_k − t_s)² + 0.1·y_0·J_0·(1 + H_0), a loss that mixes every kind of
    /// derivative nonlinearly.
    /// </summary>
    private sealed class TestLoss : InputDerivativeLoss
    {
        private readonly SecondDerivatives _second;

        public TestLoss(SecondDerivatives second, int inputCount, int count)
        {
            _second = second;
            var random = new Random(count * 7 + inputCount);
            Inputs = Enumerable.Range(0, count * inputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
            Targets = Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
        }

        public double[] Inputs { get; }

        public double[] Targets { get; }

        public override double Evaluate(int sample, ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, Span<double> outputSensitivity, Span<double> jacobianSensitivity, Span<double> hessianSensitivity)
        {
            double r = -Targets[sample];
            for (int o = 0; o < output.Length; o++)
            {
                r += (1.0 - 0.3 * o) * output[o];
            }

            for (int k = 0; k < jacobian.Length; k++)
            {
                r += (0.5 - 0.1 * k) * jacobian[k];
            }

            for (int k = 0; k < hessian.Length; k++)
            {
                r += (0.2 + 0.05 * k) * hessian[k];
            }

            double h0 = hessian.IsEmpty ? 0.0 : hessian[0];
            for (int o = 0; o < output.Length; o++)
            {
                outputSensitivity[o] = 2 * r * (1.0 - 0.3 * o);
            }

            for (int k = 0; k < jacobian.Length; k++)
            {
                jacobianSensitivity[k] = 2 * r * (0.5 - 0.1 * k);
            }

            for (int k = 0; k < hessian.Length; k++)
            {
                hessianSensitivity[k] = 2 * r * (0.2 + 0.05 * k);
            }

            outputSensitivity[0] += 0.1 * jacobian[0] * (1 + h0);
            jacobianSensitivity[0] += 0.1 * output[0] * (1 + h0);
            if (!hessian.IsEmpty)
            {
                hessianSensitivity[0] += 0.1 * output[0] * jacobian[0];
            }

            return r * r + 0.1 * output[0] * jacobian[0] * (1 + h0);
        }

        /// <summary>Σ_s ℓ_s from the model's derivative pass, for central differences.</summary>
        public double Total(KanModel model, double[] inputs)
        {
            int n = model.InputCount, m = model.OutputCount, length = model.HessianLength(_second);
            int count = inputs.Length / n;
            var y = new double[count * m];
            var jacobian = new double[count * m * n];
            var hessian = new double[count * length];
            model.InputDerivativesBatch(inputs, y, jacobian, hessian, _second);
            double total = 0.0;
            for (int s = 0; s < count; s++)
            {
                total += Evaluate(s, inputs.AsSpan(s * n, n), y.AsSpan(s * m, m), jacobian.AsSpan(s * m * n, m * n), hessian.AsSpan(s * length, length), new double[m], new double[m * n], new double[length]);
            }

            return total;
        }
    }
}
