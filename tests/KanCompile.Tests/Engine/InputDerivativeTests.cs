using KanCompile.Symbolic;
using KanCompile.Tests.Multiplication;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Engine;

/// <summary>
/// <see cref="KanModel.InputDerivatives"/> against central differences — the Jacobian of Forward, the Hessian of the
/// Jacobian — for every order k, base function and depth, multiplication nodes and symbolic edges, inside the grid, in
/// its padding zone and beyond it; and the batch form against the per-sample call.
/// </summary>
public class InputDerivativeTests
{
    public static IEnumerable<object[]> SmoothCases() =>
        ModelCase.Cases.Where(c => c.Name is not "Step231K0" and not "Large10x32x32x1" and not "Broad100x10x1").Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(SmoothCases))]
    public void Derivatives_match_central_differences(ModelCase modelCase)
    {
        foreach (KanModel model in new[] { modelCase.CreateGenerated(3), ModelCase.Reference(modelCase.CreateGenerated(3)) })
        {
            Sampling.Randomize(model.Parameters, 17);
            var random = new Random(29);
            for (int trial = 0; trial < 3; trial++)
            {
                // Inside the grid, away from knots (k ≤ 2 splines change their second derivative there).
                double[] x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
                InputDerivativeCheck.Assert(Of(model), x, model.OutputCount, $"{modelCase} {model.GetType().Name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MultiplicationCase.All), MemberType = typeof(MultiplicationCase))]
    public void Multiplication_nodes_follow_the_product_rule(MultiplicationCase multiplicationCase)
    {
        KanModel model = multiplicationCase.CreateGenerated(5);
        Sampling.Randomize(model.Parameters, 31);
        var random = new Random(37);
        for (int trial = 0; trial < 3; trial++)
        {
            double[] x = Enumerable.Range(0, model.InputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
            InputDerivativeCheck.Assert(Of(model), x, model.OutputCount, multiplicationCase.Name);
        }
    }

    [Fact]
    public void Symbolic_edges_add_their_derivatives()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3);
        Sampling.Randomize(model.Parameters, 41);
        model.FixSymbolic(new KanEdge(0, 0, 1), "sin", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 2), "x^2", fitParameters: false);
        model.FixSymbolic(new KanEdge(1, 1, 0), "exp", fitParameters: false);
        model.SetSymbolicMode(new KanEdge(1, 2, 0), SymbolicMode.Both);
        model.FixSymbolic(new KanEdge(1, 2, 0), "tanh", fitParameters: false);
        var affine = model.SymbolicParameters;
        for (int p = 0; p < affine.Length; p++)
        {
            affine[p] = 0.3 + 0.1 * (p % 7);
        }

        Assert.True(model.HasSymbolicEdges);
        InputDerivativeCheck.Assert(Of(model), [0.31, -0.47], 1, "symbolic [2,3,1]");
    }

    [Fact]
    public void A_user_function_without_second_derivative_still_gives_the_Jacobian_and_names_itself_for_the_Hessian()
    {
        var model = new KanNetwork([1, 1], gridSize: 3, seed: 1);
        var cube = new SymbolicFunction("cube", x => x * x * x, x => 3 * x * x, 3, "({x})^3", "Math.Pow({x}, 3)", "{x}^3");
        model.FixSymbolic(new KanEdge(0, 0, 0), cube, fitParameters: false);
        var y = new double[1];
        var jacobian = new double[1];
        model.InputDerivatives([0.4], y, jacobian);
        var hessian = new double[1];
        var error = Assert.Throws<NotSupportedException>(() => model.InputDerivatives([0.4], y, jacobian, hessian, SecondDerivatives.Diagonal));
        Assert.Contains("'cube'", error.Message);
        Assert.Contains("SecondDerivative", error.Message);
    }

    [Fact]
    public void Padding_zone_and_beyond_the_grid()
    {
        // [1,1], G = 5, k = 3 on [-1, 1]: the extended grid is [-2.2, 2.2]; the padding zones are (1, 2.2) and (-2.2, -1).
        var model = new KanNetwork([1, 1], gridSize: 5, seed: 2);
        Sampling.Randomize(model.Parameters, 43);
        foreach (double x in new[] { 1.37, -1.93, 2.11 })
        {
            InputDerivativeCheck.Assert(Of(model), [x], 1, $"padding x = {x}");
        }

        // Beyond the extended grid the spline is 0: only scale_base·SiLU(x) remains.
        double scaleBase = model.Parameters[model.Layout.ScaleBaseOffset[0]];
        foreach (double x in new[] { 2.5, -3.0, 7.0 })
        {
            var y = new double[1];
            var jacobian = new double[1];
            var hessian = new double[1];
            model.InputDerivatives([x], y, jacobian, hessian, SecondDerivatives.Diagonal);
            double sigmoid = 1.0 / (1.0 + Math.Exp(-x));
            Assert.Equal(scaleBase * x * sigmoid, y[0], 14);
            Assert.Equal(scaleBase * sigmoid * (1 + x * (1 - sigmoid)), jacobian[0], 14);
            Assert.Equal(scaleBase * sigmoid * (1 - sigmoid) * (2 + x * (1 - 2 * sigmoid)), hessian[0], 14);
        }
    }

    [Fact]
    public void Linear_splines_have_no_spline_curvature()
    {
        // k = 1 with the identity base: piecewise linear, so the second derivative is exactly 0 inside every interval.
        var model = new KanNetwork([1, 1], gridSize: 4, splineOrder: 1, baseFunction: KanBaseFunction.Identity, seed: 4);
        Sampling.Randomize(model.Parameters, 47);
        var y = new double[1];
        var jacobian = new double[1];
        var hessian = new double[1];
        foreach (double x in new[] { -0.9, -0.3, 0.0, 0.5, 1.2 })
        {
            model.InputDerivatives([x], y, jacobian, hessian, SecondDerivatives.Full);
            Assert.Equal(0.0, hessian[0]);
        }
    }

    [Fact]
    public void Outputs_agree_with_Forward_and_the_batch_with_the_per_sample_call()
    {
        var model = new Models.Wide4x16x16x1(2);
        Sampling.Randomize(model.Parameters, 53);
        const int count = 300;
        var inputs = Sampling.Inputs(model, 59, count).SelectMany(x => x).ToArray();
        foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
        {
            int n = model.InputCount, length = model.HessianLength(second);
            var outputs = new double[count];
            var jacobians = new double[count * n];
            var hessians = new double[count * length];
            model.InputDerivativesBatch(inputs, outputs, jacobians, hessians, second);
            var y = new double[1];
            var forward = new double[1];
            var jacobian = new double[n];
            var hessian = new double[length];
            for (int s = 0; s < count; s++)
            {
                model.InputDerivatives(inputs.AsSpan(s * n, n), y, jacobian, hessian, second);
                Assert.Equal(y[0], outputs[s]);
                Assert.Equal(jacobian, jacobians.AsSpan(s * n, n).ToArray());
                Assert.Equal(hessian, hessians.AsSpan(s * length, length).ToArray());
                model.Forward(inputs.AsSpan(s * n, n), forward);
                Assert.True(Sampling.RelativeError(y[0], forward[0]) <= 1e-12, $"sample {s}: {y[0]} vs Forward {forward[0]}");
            }
        }
    }

    [Fact]
    public void The_full_Hessian_is_symmetric()
    {
        var model = new KanNetwork([3, 4, 2], gridSize: 6, seed: 6, multiplicationNodes: [0, 1, 0]);
        Sampling.Randomize(model.Parameters, 61);
        var y = new double[2];
        var jacobian = new double[6];
        var hessian = new double[18];
        model.InputDerivatives([0.2, -0.6, 0.7], y, jacobian, hessian, SecondDerivatives.Full);
        for (int o = 0; o < 2; o++)
        {
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < a; b++)
                {
                    Assert.True(Sampling.RelativeError(hessian[(o * 3 + a) * 3 + b], hessian[(o * 3 + b) * 3 + a]) <= 1e-14);
                }
            }
        }
    }

    internal static InputDerivativeCheck.Derivatives Of(KanModel model) =>
        (x, y, jacobian, hessian, second) => model.InputDerivatives(x, y, jacobian, hessian, second);
}
