using KanCompile.Symbolic;
using KanCompile.Training;
using Xunit.Abstractions;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// <see cref="KanOptimizer.LevenbergMarquardt"/>: the refit that takes a symbolic product law to machine precision
/// where L-BFGS stalls on the badly scaled affine parameters fit_params leaves at the border of its box (samples/MultKan,
/// Feynman I.40.1), its Jacobian (one backward pass per output) and its limits.
/// </summary>
public class MultiplicationLevenbergMarquardtTests(ITestOutputHelper output)
{
    private static readonly (double Min, double Max)[] Box = [(-1.0, 1.0), (-1.0, 1.0)];

    /// <summary>
    /// n·e^(−a) through one multiplication node, [2,[0,1],1], with every edge symbolic and the affine parameters
    /// samples/MultKan's auto-symbolic leaves: the 'x' edges at a = −10 (fit_params' first border maximum, as pykan)
    /// and the exp edge at b ≈ 10 with c ≈ e^(−10), each a little off the exact law.
    /// </summary>
    private static MultOnly2x0m1x1 BadlyScaledLaw()
    {
        var model = new MultOnly2x0m1x1(seed: 0);
        model.FixSymbolic(new KanEdge(0, 0, 0), "x", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 0, 1), "0", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 0), "0", fitParameters: false);
        model.FixSymbolic(new KanEdge(0, 1, 1), "exp", fitParameters: false);
        model.FixSymbolic(new KanEdge(1, 0, 0), "x", fitParameters: false);
        double[] affine =
        [
            -10.0, -10.0, -0.1 * (1 + 3e-5), -1.0 + 2e-6,            // (0,0,0) x:   c·(−10n − 10) + d ≈ n
            -10.0, -10.0, 0.0, 1e-6,                                  // (0,0,1) 0:   d
            -10.0, -10.0, 0.0, -2e-8,                                 // (0,1,0) 0:   d
            -0.999999, 9.9987, Math.Exp(-9.9987) * (1 - 4e-5), 2e-6,  // (0,1,1) exp: c·e^(a·a' + b) + d ≈ e^(−a)
            -10.0, -9.0, -0.1 * (1 + 1e-5), -0.9 - 1e-6,             // (1,0,0) x:   c·(−10m − 9) + d ≈ m
        ];
        affine.CopyTo(model.SymbolicParameters);
        return model;
    }

    private static KanDataset Law() => KanDataset.FromFunction(x => x[0] * Math.Exp(-x[1]), 2, Box, trainCount: 200, testCount: 200, seed: 1);

    [Fact]
    public void Levenberg_marquardt_takes_a_badly_scaled_symbolic_product_to_machine_precision()
    {
        KanDataset data = Law();
        var options = new FitOptions { Steps = 5, UpdateGrid = false, MaxDegreeOfParallelism = 1 };

        // L-BFGS from the same start, for the record (this is the stall the optimiser exists for).
        MultOnly2x0m1x1 lbfgs = BadlyScaledLaw();
        FitResult stalled = lbfgs.Fit(data, options with { Steps = 20 });
        output.WriteLine($"L-BFGS, 20 steps: train {stalled.TrainRmse[^1]:E2}, test {stalled.TestRmse[^1]:E2}, {stalled.Elapsed.TotalSeconds:F2} s");

        MultOnly2x0m1x1 model = BadlyScaledLaw();
        FitResult result = model.Fit(data, options with { Optimizer = KanOptimizer.LevenbergMarquardt });
        output.WriteLine($"Levenberg–Marquardt, 5 steps: train {result.TrainRmse[^1]:E2}, test {result.TestRmse[^1]:E2}, {result.Elapsed.TotalSeconds:F2} s");

        // Five steps or fewer: the fit stops once a step changes nothing.
        Assert.Contains(result.ExitReason, new[] { FitExitReason.Completed, FitExitReason.Converged });
        Assert.True(result.TrainRmse[^1] < 1e-13, $"train RMSE {result.TrainRmse[^1]}");
        Assert.True(result.TestRmse[^1] < 1e-13, $"test RMSE {result.TestRmse[^1]}");
        Assert.Equal("n*exp(-a)", model.SymbolicFormula(["n", "a"], roundDigits: 4).ToText());
    }

    [Fact]
    public void Levenberg_marquardt_fits_spline_parameters_of_a_plain_model()
    {
        // The labels come from a model of the same shape and knots, so an exact fit exists; the output is bilinear in
        // scale_sp and the coefficients, which Gauss–Newton solves in a few iterations. (With SiLU the residual term is
        // nearly, but not exactly, in the span of the cubic splines: a direction so flat that any solver crawls along it.)
        var teacher = new KanNetwork([2, 1], gridSize: 4, seed: 7, baseFunction: KanBaseFunction.Identity, engine: KanEngine.Reference);
        KanDataset data = KanDataset.FromFunction(x =>
        {
            Span<double> y = stackalloc double[1];
            teacher.Forward(x, y);
            return y[0];
        }, 2, Box, trainCount: 150, testCount: 150, seed: 3);
        var student = new KanNetwork([2, 1], gridSize: 4, seed: 1, baseFunction: KanBaseFunction.Identity, engine: KanEngine.Reference);

        FitResult result = student.Fit(data, new FitOptions { Steps = 3, UpdateGrid = false, Optimizer = KanOptimizer.LevenbergMarquardt, MaxDegreeOfParallelism = 1 });
        output.WriteLine(string.Join(", ", result.TrainRmse.Select(r => r.ToString("E2"))));

        Assert.True(result.TestRmse[^1] < 1e-12, $"test RMSE {result.TestRmse[^1]}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Jacobian_rows_match_finite_differences_with_two_outputs(bool mixed)
    {
        var model = new KanNetwork([2, 2, 2], gridSize: 3, seed: 2, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        if (mixed)
        {
            model.FixSymbolic(new KanEdge(0, 1, 2), "sin", fitParameters: false);
            model.FixSymbolic(new KanEdge(1, 1, 0), "x^2", fitParameters: false);
        }

        int p = model.ParameterCount + (mixed ? model.SymbolicParameters.Length : 0);
        var theta = new double[p];
        model.Parameters.CopyTo(theta);
        if (mixed)
        {
            model.SymbolicParameters.CopyTo(theta.AsSpan(model.ParameterCount));
        }

        const int count = 4;
        double[] inputs = [0.3, -0.7, -0.2, 0.5, 0.9, 0.1, -0.6, -0.4];
        var labels = new double[count * 2];
        var problem = new ModelLeastSquares(model, p, count);
        problem.Bind(theta, inputs, labels, count);
        var jacobian = new double[count * 2 * p];
        var residuals = new double[count * 2];
        problem.Linearize(jacobian, residuals);

        var plus = new double[count * 2];
        var minus = new double[count * 2];
        int liveColumns = 0;
        for (int k = 0; k < p; k++)
        {
            const double h = 1e-6;
            double saved = theta[k];
            theta[k] = saved + h;
            model.Kernel.ForwardBatch(inputs, plus, count, theta, model.KnotTable, model.MaskBuffer);
            theta[k] = saved - h;
            model.Kernel.ForwardBatch(inputs, minus, count, theta, model.KnotTable, model.MaskBuffer);
            theta[k] = saved;
            bool live = false;
            for (int r = 0; r < count * 2; r++)
            {
                double numeric = (plus[r] - minus[r]) / (2 * h);
                Assert.True(Math.Abs(jacobian[r * p + k] - numeric) <= 1e-6 * (1 + Math.Abs(numeric)), $"row {r}, column {k}: {jacobian[r * p + k]} vs {numeric}");
                live |= jacobian[r * p + k] != 0.0;
            }

            liveColumns += live ? 1 : 0;
        }

        // Spline and affine columns both carry derivatives (the affine of the two symbolic edges: 8 columns).
        Assert.True(liveColumns > 20, $"{liveColumns} non-zero columns");
        Assert.True(!mixed || Enumerable.Range(model.ParameterCount, p - model.ParameterCount).Any(k => Enumerable.Range(0, count * 2).Any(r => jacobian[r * p + k] != 0.0)));
    }

    [Fact]
    public void Levenberg_marquardt_refuses_a_regularised_fit()
    {
        var exception = Assert.Throws<ArgumentException>(() => BadlyScaledLaw().Fit(Law(), new FitOptions { Steps = 1, Lambda = 1e-3, Optimizer = KanOptimizer.LevenbergMarquardt }));
        Assert.Contains("Lambda", exception.Message);
        Assert.Contains("Levenberg", exception.Message);
    }
}
