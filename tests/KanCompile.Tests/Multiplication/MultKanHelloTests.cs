using System.Diagnostics;
using KanCompile.Symbolic;
using Xunit.Abstractions;

namespace KanCompile.Tests.Multiplication;

/// <summary>
/// pykan's MultKAN hello (tutorials/Interp_1_Hello_MultKAN, kan-math §3.1): f = x·y with width [2,[5,2],1], identity
/// base; fit(20, lamb 0.01, lamb_coef 1) from seed 0 → prune → fit(20) → auto_symbolic → fit(20) → x1*x2 at machine precision.
/// </summary>
public class MultKanHelloTests(ITestOutputHelper output)
{
    [Fact]
    public void Hello_mult_kan_recovers_x1_times_x2()
    {
        var started = Stopwatch.StartNew();
        KanDataset data = KanDataset.FromFunction(x => x[0] * x[1], 2, seed: 0);
        var network = new HelloMultKan(seed: 0);
        FitResult sparse = network.Fit(data, new FitOptions { Steps = 20, Lambda = 0.01, LambdaCoef = 1.0 });
        output.WriteLine($"sparse fit: train {sparse.TrainRmse[^1]:E2}, test {sparse.TestRmse[^1]:E2} (pykan 6.3e-2 / 7.2e-2), {started.Elapsed.TotalSeconds:F1} s");

        Assert.True(sparse.TrainRmse[^1] < 2e-2, $"sparse fit train RMSE {sparse.TrainRmse[^1]}");

        // Pruning keeps the one multiplication node (with both its sub-nodes) and drops every addition node.
        KanNetwork pruned = network.Prune();
        output.WriteLine($"pruned: widths [{string.Join(", ", pruned.Widths)}], mult [{string.Join(", ", pruned.MultiplicationNodes)}]");
        Assert.Equal(new[] { 2, 0, 1 }, pruned.Widths);
        Assert.Equal(new[] { 0, 1, 0 }, pruned.MultiplicationNodes);
        FitResult refit = pruned.Fit(data, new FitOptions { Steps = 20 });
        output.WriteLine($"refit: train {refit.TrainRmse[^1]:E2}, test {refit.TestRmse[^1]:E2} (pykan 1.4e-7 / 1.7e-7), {started.Elapsed.TotalSeconds:F1} s");

        Assert.True(refit.TestRmse[^1] < 1e-6, $"refit test RMSE {refit.TestRmse[^1]}");

        // pykan's default library finds 'x' on the live edges; a small library keeps the test in seconds.
        var library = SymbolicLibrary.Create("x", "x^2", "exp", "sin", "0");
        output.WriteLine($"auto-symbolic starts at {started.Elapsed.TotalSeconds:F1} s");
        var report = pruned.AutoSymbolic(data.TrainInputs.AsSpan(0, 2 * 100), library);
        foreach (AutoSymbolicEntry entry in report)
        {
            output.WriteLine(entry.ToString());
        }

        output.WriteLine($"auto-symbolic done at {started.Elapsed.TotalSeconds:F1} s");
        FitResult symbolic = pruned.Fit(data, new FitOptions { Steps = 20 });
        output.WriteLine($"exit: {symbolic.ExitReason} after {symbolic.Steps} steps");
        output.WriteLine($"symbolic fit: train {symbolic.TrainRmse[^1]:E2}, test {symbolic.TestRmse[^1]:E2} (pykan 1.3e-16), {started.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(["0", "x", "x", "0", "x"], report.Select(entry => entry.FunctionName));
        // pykan reaches 1.3e-16 here. The 'x' edges are fitted at the a = -10 border, which leaves the affine parameters
        // badly scaled; L-BFGS gets between 1e-16 and 1e-9 depending on the start (sample count, library) ...
        Assert.True(symbolic.TestRmse[^1] < 1e-9, $"symbolic fit test RMSE {symbolic.TestRmse[^1]}");

        // ... while Levenberg–Marquardt, indifferent to that scaling, always ends at machine precision.
        FitResult polished = pruned.Fit(data, new FitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt });
        output.WriteLine($"Levenberg–Marquardt: train {polished.TrainRmse[^1]:E2}, test {polished.TestRmse[^1]:E2}");
        Assert.True(polished.TestRmse[^1] < 1e-13, $"Levenberg–Marquardt test RMSE {polished.TestRmse[^1]}");
        KanFormula formula = pruned.SymbolicFormula(roundDigits: 4);
        output.WriteLine(formula.ToString());
        output.WriteLine(pruned.SymbolicFormula().ToString());
        Assert.Equal("x1*x2", formula.ToText());

        // The exported formula is plain C#; the exact (unrounded) formula matches the model to rounding.
        var exact = pruned.SymbolicFormula();
        var y = new double[1];
        var fromFormula = new double[1];
        for (int s = 0; s < 100; s++)
        {
            ReadOnlySpan<double> x = data.TestInputs.AsSpan(2 * s, 2);
            pruned.Forward(x, y);
            exact.Evaluate(x, fromFormula);
            Assert.True(Math.Abs(y[0] - fromFormula[0]) <= 1e-14, $"formula {fromFormula[0]} vs model {y[0]}");
        }
    }
}
