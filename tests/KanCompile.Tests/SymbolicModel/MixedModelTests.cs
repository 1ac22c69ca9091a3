using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Model;
using KanCompile.Symbolic;
using KanCompile.Tests.Models;
using KanCompile.Tests.Support;
using KanCompile.Tests.Training;
using KanCompile.Training;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>
/// Models with symbolic edges run on their compiled kernel's mixed entry points: changing the symbolic configuration
/// compiles nothing, and forward, backward and a training step allocate nothing after warm-up.
/// </summary>
public class MixedModelTests
{
    [Fact]
    public void Changing_the_symbolic_configuration_compiles_nothing()
    {
        // A shape no other test uses, so its compilation is counted alone.
        var spec = new KanArchitecture([3, 2, 1], gridSize: 7, splineOrder: 3).KernelSpecFor(7);
        int compiles = 0;
        void Count(KernelSpec compiled)
        {
            if (compiled.Equals(spec))
            {
                Interlocked.Increment(ref compiles);
            }
        }

        KernelCompiler.Compiled += Count;
        try
        {
            var model = new KanNetwork([3, 2, 1], gridSize: 7, seed: 2);
            // The compile runs in the background behind a stand-in (DeferredKernel): wait for it, so it is counted here.
            KanKernel plain = DeferredKernel.Settled(model.Kernel);
            Assert.IsNotType<ReferenceKernel>(plain);
            int afterCreation = Volatile.Read(ref compiles);
            KanDataset data = TestDatasets.Uniform(3, 64, 16, 4, x => Math.Sin(x[0]) + x[1] * x[2]);
            var y = new double[1];
            string[] names = ["sin", "x^2", "exp", "tanh", "x", "1/x", "log", "gaussian"];
            for (int round = 0; round < 12; round++)
            {
                int l = round % 2, i = round % model.Widths[l], j = round % model.Widths[l + 1];
                model.FixSymbolic(new KanEdge(l, i, j), names[round % names.Length], fitParameters: false);
                model.SymbolicParameters[4 * (model.Layout.EdgeOffset[l] + i * model.Widths[l + 1] + j) + 1] = 2.0;
                if (round % 3 == 0)
                {
                    model.SetSymbolicMode(new KanEdge(l, i, j), SymbolicMode.Both);
                }

                if (round % 4 == 3)
                {
                    model.UnfixSymbolic(new KanEdge(l, (i + 1) % model.Widths[l], j));
                }

                model.Forward(data.TrainInputs.AsSpan(0, 3), y);
                Assert.Same(plain, DeferredKernel.Settled(model.SymbolicKernel!.Inner));
                if (round % 4 == 0)
                {
                    model.Fit(data, new FitOptions { Steps = 1, Optimizer = KanOptimizer.Adam, LearningRate = 1e-3, MaxDegreeOfParallelism = 1 });
                }
            }

            Assert.Equal(afterCreation, Volatile.Read(ref compiles));
            Assert.True(afterCreation <= 1);
        }
        finally
        {
            KernelCompiler.Compiled -= Count;
        }
    }

    [Fact]
    public void Generated_mixed_forward_backward_and_training_step_allocate_nothing()
    {
        var model = new Toy251(3);
        Sampling.Randomize(model.Parameters, 19);
        SymbolicGradientTests.MakeMixed(model, 7);
        model.SymbolicSingularityThreshold = null;
        double[] x = [0.1, -0.2];
        var y = new double[1];
        var gradient = new double[model.ParameterCount];
        var inputGradient = new double[2];
        double[] outputGradient = [1.0];
        KanDataset data = TestDatasets.Uniform(2, 64, 16, 4, v => TestDatasets.QuickStart(v));
        var trainable = new double[model.ParameterCount + model.SymbolicParameters.Length];
        model.Parameters.CopyTo(trainable);
        model.SymbolicParameters.CopyTo(trainable.AsSpan(model.ParameterCount));
        var options = new FitOptions { Lambda = 0.01 };
        using var workers = new ChunkWorkers(1);
        var objective = new KanObjective(model, workers, 4, data.TestCount, options, default, trainable) { Lambda = options.Lambda, ComputeRegularization = true };
        objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
        var combinedGradient = new double[trainable.Length];

        void Work()
        {
            model.Forward(x, y);
            model.Backward(x, outputGradient, gradient, inputGradient);
            objective.Evaluate(combinedGradient);
            objective.MeanLoss(data.TestInputs, data.TestLabels, data.TestCount);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Work, callsPerRound: 20, warmUpCalls: 1));
        Assert.Contains(combinedGradient.Skip(model.ParameterCount), g => g != 0.0);
    }

    /// <summary>The singularity-safe variants reach the model: 1/x at x = 0 is finite with them and infinite without.</summary>
    [Fact]
    public void Singularity_threshold_switches_the_model_to_the_safe_variants()
    {
        var model = new KanNetwork([1, 1], gridSize: 3, seed: 1);
        model.FixSymbolic(new KanEdge(0, 0, 0), "1/x", fitParameters: false);
        var y = new double[1];
        model.Forward([0.0], y);
        Assert.True(double.IsInfinity(y[0]));
        model.SymbolicSingularityThreshold = 1000.0;
        model.Forward([0.0], y);
        Assert.Equal(0.0, y[0]);
        model.Forward([0.5], y);
        Assert.Equal(2.0, y[0], 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SymbolicSingularityThreshold = -1.0);
    }
}
