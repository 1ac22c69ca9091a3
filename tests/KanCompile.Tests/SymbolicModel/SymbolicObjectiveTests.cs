using KanCompile.Tests.Support;
using KanCompile.Tests.Training;
using KanCompile.Training;

namespace KanCompile.Tests.SymbolicModel;

/// <summary>
/// The fit objective (MSE + λ·reg) of a mixed model over the combined vector [splines | affine] that Fit trains,
/// against central finite differences; and Fit moving the affine parameters.
/// </summary>
public class SymbolicObjectiveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly FitOptions Options = new() { Lambda = 0.3, LambdaL1 = 1.0, LambdaEntropy = 2.0, LambdaCoef = 0.4, LambdaCoefDiff = 0.25 };

    [Fact]
    public void Combined_objective_gradient_matches_central_differences()
    {
        var model = new KanNetwork([2, 3, 1], gridSize: 5, seed: 3, engine: KanEngine.Reference);
        var random = new Random(17);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = 0.8 * (random.NextDouble() - 0.5);
        }

        SymbolicGradientTests.MakeMixed(model, 5);
        KanDataset data = TestDatasets.Uniform(2, 40, 8, 5, x => TestDatasets.QuickStart(x));
        var trainable = new double[model.ParameterCount + model.SymbolicParameters.Length];
        model.Parameters.CopyTo(trainable);
        model.SymbolicParameters.CopyTo(trainable.AsSpan(model.ParameterCount));
        using var workers = new ChunkWorkers(2);
        var objective = new KanObjective(model, workers, 16, data.TestCount, Options, default, trainable) { Lambda = Options.Lambda, ComputeRegularization = true };
        objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
        var gradient = new double[trainable.Length];
        objective.Evaluate(gradient);
        var scratch = new double[trainable.Length];
        double worst = CentralDifferences.WorstRelativeGap(trainable, gradient, () => objective.Evaluate(scratch));

        output.WriteLine($"largest relative difference from central differences {worst:E2} over {trainable.Length} parameters");
        Assert.True(worst <= 1e-7, $"largest relative difference from central differences: {worst:E2}");
        Assert.Contains(gradient.Skip(model.ParameterCount), g => g != 0.0);
    }

    [Fact]
    public void Fit_trains_the_affine_parameters()
    {
        // y = 2·sin(1.5·x + 0.2) − 0.3 from a symbolic edge started at (1, 0, 1, 0).
        KanDataset data = TestDatasets.Uniform(1, 200, 50, 3, x => 2 * Math.Sin(1.5 * x[0] + 0.2) - 0.3);
        var model = new KanNetwork([1, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), "sin", fitParameters: false);
        double[] splines = model.Parameters.ToArray();
        var result = model.Fit(data, new FitOptions { Steps = 20, UpdateGrid = false });
        output.WriteLine($"train RMSE {result.TrainRmse[^1]:E3}; affine {string.Join(", ", model.SymbolicParameters.ToArray())}");
        Assert.True(result.TrainRmse[^1] < 1e-8, $"train RMSE {result.TrainRmse[^1]}");
        Assert.True(result.TestRmse[^1] < 1e-8, $"test RMSE {result.TestRmse[^1]}");

        // The numeric branch is masked: its parameters get no gradient and stay put.
        Assert.Equal(splines, model.Parameters.ToArray());
        var y = new double[1];
        model.Forward([0.4], y);
        Assert.Equal(2 * Math.Sin(1.5 * 0.4 + 0.2) - 0.3, y[0], 8);
    }
}
