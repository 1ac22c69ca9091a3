using KanCompile.Compilation;
using KanCompile.Generators.Model;
using KanCompile.Pde;
using KanCompile.Tests.Pde;
using KanCompile.Symbolic;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// A shape whose kernel is still compiling gets a stand-in (<see cref="DeferredKernel"/>) that works at once; results do
/// not depend on when the compile finishes: a fit on the stand-in alone, one that switches to the compiled kernel in
/// the middle, and one on the compiled kernel alone give the same bits.
/// </summary>
public class KernelStandInTests
{
    [Fact]
    public void A_fit_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [3,6,2] on grid 4 is used by no other test, so this test alone decides when its compile runs.
        KanDataset data = KanDataset.FromFunction(
            (x, y) =>
            {
                y[0] = Math.Sin(2 * x[0]) + x[1] * x[2];
                y[1] = Math.Exp(-x[1] * x[1]) - 0.5 * x[0];
            },
            inputCount: 3,
            outputCount: 2,
            trainCount: 70,
            testCount: 20,
            seed: 5);
        AssertSameBitsInThreeTimings([3, 6, 2], 4, switchStep: 6, (model, progress) => Train(model, data, progress));
    }

    /// <summary>Levenberg–Marquardt runs Backward per sample: on a new shape it runs on the stand-in, with the compiled kernel's bits.</summary>
    [Fact]
    public void A_Levenberg_Marquardt_fit_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [2,3,2] on grid 6 is used by no other test.
        KanDataset data = KanDataset.FromFunction(
            (x, y) =>
            {
                y[0] = Math.Sin(2 * x[0]) + x[1];
                y[1] = x[0] * x[1];
            },
            inputCount: 2,
            outputCount: 2,
            trainCount: 40,
            testCount: 10,
            seed: 8);
        AssertSameBitsInThreeTimings([2, 3, 2], 6, switchStep: 3, (model, progress) =>
        {
            FitResult fit = model.Fit(data, new FitOptions { Steps = 5, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false }, progress);
            return Outcome(model, data, [.. fit.TrainRmse, .. fit.TestRmse]);
        });
    }

    /// <summary>
    /// A MultKAN fit (pykan's multiplication nodes: a sum node beside two products of three sub-nodes) on a new shape runs
    /// the product steps of every member it calls on the stand-in: L-BFGS with grid updates and λ, Adam, Levenberg–Marquardt.
    /// </summary>
    [Fact]
    public void A_multiplication_fit_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [2, 1 + 2 products, 1] with arity 3 on grid 5 is used by no other test.
        KanDataset data = KanDataset.FromFunction(
            (x, y) => y[0] = (x[0] * x[1]) + Math.Sin(2 * x[0]),
            inputCount: 2,
            outputCount: 1,
            trainCount: 50,
            testCount: 10,
            seed: 6);
        AssertSameBitsInThreeTimings([2, 1, 1], 5, switchStep: 5, (model, progress) =>
        {
            Run trained = Train(model, data, progress);
            FitResult last = model.Fit(data, new FitOptions { Steps = 3, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            return Outcome(model, data, [.. trained.Losses, .. last.TrainRmse]);
        }, multiplicationNodes: [0, 2, 0], multiplicationArity: 3);
    }

    /// <summary>
    /// A model whose splines continue beyond the grid (<see cref="KanBeyondGrid.Smooth"/>) on a new shape, trained on inputs
    /// reaching 2.5 grid half-widths out (72 samples: the fit's 16 chunks hold four-sample groups): L-BFGS with λ before any
    /// grid update (lattice windows, continued), Adam with grid updates (knots off the lattice), L-BFGS on inputs reaching
    /// twice as far (table windows, continued), Levenberg–Marquardt, then predictions and input derivatives far beyond the grid.
    /// </summary>
    [Fact]
    public void A_fit_that_continues_beyond_the_grid_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [2,4,3] on grid 5, continued, is used by no other test.
        KanDataset Data(double reach) => KanDataset.FromFunction(
            (x, y) =>
            {
                y[0] = Math.Sin(x[0]) + (0.5 * x[1]);
                y[1] = x[0] * x[1];
                y[2] = Math.Tanh(x[0] - x[1]);
            },
            inputCount: 2,
            outputCount: 3,
            ranges: [(-reach, reach), (-reach, reach)],
            trainCount: 72,
            testCount: 10,
            seed: 12);
        KanDataset data = Data(2.5), wider = Data(5.0);
        AssertSameBitsInThreeTimings([2, 4, 3], 5, switchStep: 3, (model, progress) =>
        {
            FitResult first = model.Fit(data, new FitOptions { Steps = 5, Lambda = 1e-3, UpdateGrid = false }, progress);
            FitResult second = model.Fit(data, new FitOptions { Steps = 4, Optimizer = KanOptimizer.Adam, GridUpdateCount = 2, StopGridUpdateStep = 4 });
            FitResult third = model.Fit(wider, new FitOptions { Steps = 3, Lambda = 1e-3, UpdateGrid = false });
            FitResult fourth = model.Fit(wider, new FitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            double[] far = [-6.0, 7.5, 9.0, -750.0], farPredictions = new double[6], values = new double[3], jacobian = new double[6], hessian = new double[12];
            model.Predict(far, farPredictions);
            model.InputDerivatives([-6.0, 7.5], values, jacobian, hessian, SecondDerivatives.Full);
            Run run = Outcome(model, data, [.. first.TrainRmse, .. first.Regularization, .. second.TrainRmse, .. third.TrainRmse, .. third.Regularization, .. fourth.TrainRmse]);
            return run with { Predictions = [.. run.Predictions, .. farPredictions, .. values, .. jacobian, .. hessian] };
        }, beyondGrid: KanBeyondGrid.Smooth);
    }

    /// <summary>
    /// Spline orders other than 3 stand in too: L-BFGS with grid updates and λ, then Adam, then Levenberg–Marquardt on k = 2
    /// (lattice windows until the grid update moves the knots; the other orders' members are compared bit for bit in
    /// RuntimeShapedKernelTests, one compile each, so one fit here keeps the added test time small).
    /// </summary>
    [Fact]
    public void A_fit_at_another_spline_order_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [3, 4, 1] at k = 2 on grid 5 is used by no other test.
        KanDataset data = KanDataset.FromFunction(
            (x, y) => y[0] = Math.Sin(2 * x[0]) + (x[1] * x[2]),
            inputCount: 3,
            outputCount: 1,
            trainCount: 60,
            testCount: 10,
            seed: 12);
        AssertSameBitsInThreeTimings([3, 4, 1], 5, switchStep: 5, (model, progress) =>
        {
            Run trained = Train(model, data, progress);
            FitResult last = model.Fit(data, new FitOptions { Steps = 3, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            return Outcome(model, data, [.. trained.Losses, .. last.TrainRmse]);
        }, splineOrder: 2);
    }

    /// <summary>
    /// A model that continues beyond the grid at spline order 5 (eight-slot windows, continued): L-BFGS on inputs reaching
    /// twice the grid's half-width (lattice windows, continued), Adam with a grid update (table windows), Levenberg–Marquardt,
    /// then predictions and input derivatives far beyond the grid.
    /// </summary>
    [Fact]
    public void A_fit_that_continues_beyond_the_grid_at_another_spline_order_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [2, 3, 2] at k = 5 on grid 4, continued, is used by no other test.
        KanDataset data = KanDataset.FromFunction(
            (x, y) =>
            {
                y[0] = Math.Sin(x[0]) + (0.5 * x[1]);
                y[1] = x[0] * x[1];
            },
            inputCount: 2,
            outputCount: 2,
            ranges: [(-2.0, 2.0), (-2.0, 2.0)],
            trainCount: 40,
            testCount: 10,
            seed: 5);
        AssertSameBitsInThreeTimings([2, 3, 2], 4, switchStep: 3, (model, progress) =>
        {
            FitResult first = model.Fit(data, new FitOptions { Steps = 4, Lambda = 1e-3, UpdateGrid = false }, progress);
            FitResult second = model.Fit(data, new FitOptions { Steps = 3, Optimizer = KanOptimizer.Adam, GridUpdateCount = 1, StopGridUpdateStep = 2 });
            FitResult third = model.Fit(data, new FitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            double[] far = [-6.0, 7.5, 750.0, -750.0], farPredictions = new double[4], values = new double[2], jacobian = new double[4], hessian = new double[8];
            model.Predict(far, farPredictions);
            model.InputDerivatives([-6.0, 7.5], values, jacobian, hessian, SecondDerivatives.Full);
            Run run = Outcome(model, data, [.. first.TrainRmse, .. first.Regularization, .. second.TrainRmse, .. third.TrainRmse]);
            return run with { Predictions = [.. run.Predictions, .. farPredictions, .. values, .. jacobian, .. hessian] };
        }, splineOrder: 5, beyondGrid: KanBeyondGrid.Smooth);
    }

    /// <summary>
    /// A symbolic workflow on a new shape (pykan's fix_symbolic and auto_symbolic, then fits with the symbolic branches:
    /// L-BFGS with λ, and Levenberg–Marquardt) runs the mixed members on the stand-in, with the compiled kernel's bits.
    /// </summary>
    [Fact]
    public void A_symbolic_workflow_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        // [2,2,2] on grid 7 is used by no other test.
        KanDataset data = KanDataset.FromFunction(
            (x, y) =>
            {
                y[0] = Math.Sin(1.5 * x[0]) + (x[1] * x[1]);
                y[1] = Math.Exp(0.5 * x[0]) - x[1];
            },
            inputCount: 2,
            outputCount: 2,
            trainCount: 40,
            testCount: 10,
            seed: 9);
        var library = SymbolicLibrary.Create("x", "x^2", "sin", "exp");
        AssertSameBitsInThreeTimings([2, 2, 2], 7, switchStep: 2, (model, progress) =>
        {
            FitResult first = model.Fit(data, new FitOptions { Steps = 4, Lambda = 1e-3, UpdateGrid = false });
            double r2 = model.FixSymbolic(new KanEdge(0, 0, 0), "sin");
            model.SetSymbolicMode(new KanEdge(1, 1, 1), SymbolicMode.Both);
            model.AutoSymbolic(data.TrainInputs.AsSpan(0, 2 * 20), library, r2Threshold: 0.9);
            Assert.True(model.HasSymbolicEdges);
            FitResult second = model.Fit(data, new FitOptions { Steps = 4, Lambda = 1e-3, UpdateGrid = false }, progress);
            FitResult third = model.Fit(data, new FitOptions { Steps = 2, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false });
            return Outcome(model, data, [r2, .. first.TrainRmse, .. second.TrainRmse, .. second.Regularization, .. third.TrainRmse, .. model.SymbolicParameters.ToArray()]);
        });
    }

    /// <summary>
    /// Runs <paramref name="workflow"/> on three models of one new shape: with its compile held for the whole run (the stand-in
    /// only), with the compile released and waited for at step <paramref name="switchStep"/> of the fit the workflow reports,
    /// and after the compile (the compiled kernel only); all three must give the same bits, which it returns.
    /// <paramref name="beforeRelease"/> runs just before the compile is released (a child process without vectors puts the
    /// kernel its parent compiled into its cache there, so the "compile" is a load).
    /// </summary>
    internal static Run AssertSameBitsInThreeTimings(int[] widths, int gridSize, int switchStep, Func<KanNetwork, IProgress<FitProgress>?, Run> workflow, int[]? multiplicationNodes = null, int multiplicationArity = 2, int splineOrder = 3, Action? beforeRelease = null, KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan)
    {
        var spec = new KernelSpec(widths, gridSize, splineOrder, KernelBaseFunction.SiLU, multiplicationNodes, multiplicationArity, (KernelBeyondGrid)(int)beyondGrid);
        Assert.True(RuntimeShapedKernel.Supports(spec), $"{spec}: the stand-in covers every spec on every host.");

        // An empty cache for this shape: a kernel on disk is loaded at once instead of standing in for it.
        KernelCache.Default?.Delete(KernelCache.KeyOf(KernelCompiler.WriteSource(spec)));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(KernelProvider.CompileGates.TryAdd(spec, gate.Task));

        // Should the workflow reach a member the stand-in does not mirror, it would wait for the held compile: release it
        // after a minute so the test fails (the compile finished during the stand-in-only run) instead of hanging.
        _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => gate.TrySetResult(), TaskScheduler.Default);
        try
        {
            // Stand-in only: the compile is held for the whole run.
            var standIn = new KanNetwork(widths, gridSize: gridSize, splineOrder: splineOrder, seed: 3, multiplicationNodes: multiplicationNodes, multiplicationArity: multiplicationArity, beyondGrid: beyondGrid);
            var deferred = Assert.IsType<DeferredKernel>(standIn.Kernel);
            Run run = workflow(standIn, null);
            Assert.False(deferred.IsCompiled);

            // Switch mid-fit: the compile is released at the switch step and waited for, so the rest runs compiled.
            var switching = new KanNetwork(widths, gridSize: gridSize, splineOrder: splineOrder, seed: 3, multiplicationNodes: multiplicationNodes, multiplicationArity: multiplicationArity, beyondGrid: beyondGrid);
            Assert.Same(deferred, switching.Kernel);
            Run switched = workflow(switching, new Reporter(step =>
            {
                if (step == switchStep)
                {
                    beforeRelease?.Invoke();
                    gate.TrySetResult();
                    _ = deferred.Compiled;
                }
            }));
            Assert.True(deferred.IsCompiled);

            // Compiled only: a model created after the compile gets the compiled kernel itself.
            var compiled = new KanNetwork(widths, gridSize: gridSize, splineOrder: splineOrder, seed: 3, multiplicationNodes: multiplicationNodes, multiplicationArity: multiplicationArity, beyondGrid: beyondGrid);
            Assert.IsNotType<DeferredKernel>(compiled.Kernel);
            Assert.Same(deferred.Compiled, compiled.Kernel);
            Run reference = workflow(compiled, null);

            AssertSameBits("stand-in only", reference, run);
            AssertSameBits("switched mid-fit", reference, switched);
            return reference;
        }
        finally
        {
            gate.TrySetResult();
            KernelProvider.CompileGates.TryRemove(spec, out _);
        }
    }

    /// <summary>
    /// The same for a PDE fit (the input-derivative loss gradients, plain and symbolic, per batch and per residual row):
    /// L-BFGS with grid updates, Levenberg–Marquardt, then L-BFGS with a symbolic edge, on a shape no other test uses.
    /// </summary>
    [Fact]
    public void A_pde_fit_gives_the_same_bits_whether_the_compile_finishes_after_it_during_it_or_before_it()
    {
        int[] widths = [2, 7, 1];
        var spec = new KernelSpec(widths, 6, 3, KernelBaseFunction.SiLU);
        KernelCache.Default?.Delete(KernelCache.KeyOf(KernelCompiler.WriteSource(spec)));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(KernelProvider.CompileGates.TryAdd(spec, gate.Task));
        _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => gate.TrySetResult(), TaskScheduler.Default);
        try
        {
            var standIn = new KanNetwork(widths, gridSize: 6, seed: 4);
            var deferred = Assert.IsType<DeferredKernel>(standIn.Kernel);
            Run run = SolvePde(standIn, atStep: null);
            Assert.False(deferred.IsCompiled);

            // Released at step 3 of the first fit and waited for: the rest runs compiled.
            var switching = new KanNetwork(widths, gridSize: 6, seed: 4);
            Run switched = SolvePde(switching, atStep: 3, () =>
            {
                gate.TrySetResult();
                _ = deferred.Compiled;
            });
            Assert.True(deferred.IsCompiled);

            var compiled = new KanNetwork(widths, gridSize: 6, seed: 4);
            Assert.IsNotType<DeferredKernel>(compiled.Kernel);
            Run reference = SolvePde(compiled, atStep: null);

            AssertSameBits("PDE, stand-in only", reference, run);
            AssertSameBits("PDE, switched mid-fit", reference, switched);
        }
        finally
        {
            gate.TrySetResult();
            KernelProvider.CompileGates.TryRemove(spec, out _);
        }
    }

    internal sealed record Run(double[] Parameters, double[] Knots, double[] Losses, double[] Predictions);

    /// <summary>L-BFGS with pykan's grid updates and λ (trace, statistics, folded gradient), then Adam with λ, then Predict.</summary>
    internal static Run Train(KanNetwork model, KanDataset data, IProgress<FitProgress>? progress)
    {
        FitResult first = model.Fit(data, new FitOptions { Steps = 12, Lambda = 1e-3, GridUpdateCount = 4, StopGridUpdateStep = 12 }, progress);
        FitResult second = model.Fit(data, new FitOptions { Steps = 8, Optimizer = KanOptimizer.Adam, Lambda = 1e-3, UpdateGrid = false });
        return Outcome(model, data, [.. first.TrainRmse, .. first.TestRmse, .. first.Regularization, .. second.TrainRmse, .. second.Regularization]);
    }

    /// <summary>What a run leaves: parameters, knots, the given losses, and predictions on the test inputs.</summary>
    private static Run Outcome(KanNetwork model, KanDataset data, double[] losses)
    {
        var predictions = new double[data.TestCount * model.OutputCount];
        model.Predict(data.TestInputs, predictions);
        return new Run(model.Parameters.ToArray(), model.KnotBuffer.ToArray(), losses, predictions);
    }

    /// <summary>Δu = −2π² sin(πx) sin(πy), u = 0 on the square: L-BFGS with grid updates, Levenberg–Marquardt, then L-BFGS with sin on one edge.</summary>
    private static Run SolvePde(KanNetwork model, int? atStep, Action? atStepAction = null)
    {
        var progress = new PdeReporter(step =>
        {
            if (step == atStep)
            {
                atStepAction!();
            }
        });
        PdeProblem problem = PdeProblems.Poisson2D(7);
        PdeFitResult first = model.FitPde(problem, new PdeFitOptions { Steps = 6, GridUpdateCount = 2, StopGridUpdateStep = 6, MaxDegreeOfParallelism = 2 }, progress);
        PdeFitResult second = model.FitPde(problem, new PdeFitOptions { Steps = 3, Optimizer = KanOptimizer.LevenbergMarquardt, UpdateGrid = false, MaxDegreeOfParallelism = 2 });
        model.FixSymbolic(new KanEdge(0, 1, 2), "sin", fitParameters: false);
        PdeFitResult third = model.FitPde(problem, new PdeFitOptions { Steps = 3, UpdateGrid = false, MaxDegreeOfParallelism = 2 });
        var values = new double[1];
        var jacobian = new double[2];
        var hessian = new double[2];
        model.InputDerivatives([0.3, -0.6], values, jacobian, hessian, SecondDerivatives.Diagonal);
        double[] losses = [.. first.Loss, .. second.Loss, .. third.Loss];
        return new Run(model.Parameters.ToArray(), model.KnotBuffer.ToArray(), losses, [.. values, .. jacobian, .. hessian]);
    }

    internal static void AssertSameBits(string label, Run expected, Run actual)
    {
        Assert.Equal(Bits(expected.Parameters), Bits(actual.Parameters));
        Assert.Equal(Bits(expected.Knots), Bits(actual.Knots));
        Assert.True(Bits(expected.Losses).SequenceEqual(Bits(actual.Losses)), label + ": losses differ");
        Assert.True(Bits(expected.Predictions).SequenceEqual(Bits(actual.Predictions)), label + ": predictions differ");
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Reports on the fitting thread, so the action runs between two steps.</summary>
    private sealed class PdeReporter(Action<int> onStep) : IProgress<PdeFitProgress>
    {
        public void Report(PdeFitProgress value) => onStep(value.Step);
    }

    /// <summary>Reports on the fitting thread, so the action runs between two steps.</summary>
    private sealed class Reporter(Action<int> onStep) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => onStep(value.Step);
    }
}
