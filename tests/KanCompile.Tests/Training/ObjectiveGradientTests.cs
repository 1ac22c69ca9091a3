using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Training;

/// <summary>
/// The full objective MSE + λ·reg (all four regulariser terms) against central finite differences, and the
/// generated kernel's objective gradient against the reference engine's.
/// </summary>
public class ObjectiveGradientTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly FitOptions Options = new() { Lambda = 0.3, LambdaL1 = 1.0, LambdaEntropy = 2.0, LambdaCoef = 0.4, LambdaCoefDiff = 0.25 };

    private static (double Value, double[] Gradient) Evaluate(KanModel model, KanDataset data, int threads = 2)
    {
        using var workers = new ChunkWorkers(threads);
        var objective = new KanObjective(model, workers, 16, data.TestCount, Options, default) { Lambda = Options.Lambda, ComputeRegularization = true };
        objective.SetBatch(data.TrainInputs, data.TrainLabels, data.TrainCount);
        var gradient = new double[model.ParameterCount];
        double value = objective.Evaluate(gradient);
        return (value, gradient);
    }

    private static KanModel Prepared(KanModel model)
    {
        // Moderate random parameters: every edge live, no coefficient tie (|c| and |Δc| are smooth there).
        var random = new Random(17);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = 0.8 * (random.NextDouble() - 0.5);
        }

        return model;
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("generated")]
    public void Gradient_matches_central_differences(string engine)
    {
        KanModel model = Prepared(engine == "generated" ? new Golden231(3) : new KanNetwork(new[] { 2, 3, 1 }, 5, 3, seed: 3));
        KanDataset data = TestDatasets.Uniform(2, 48, 8, 5, x => TestDatasets.QuickStart(x));
        (_, double[] gradient) = Evaluate(model, data);
        double worst = CentralDifferences.WorstRelativeGap(model.Parameters, gradient, () => Evaluate(model, data).Value);

        output.WriteLine($"{engine}: largest relative difference from central differences {worst:E2}");
        Assert.True(worst <= 1e-7, $"largest relative difference from central differences: {worst:E2}");
    }

    [Fact]
    public void Generated_kernel_gives_the_reference_objective_and_gradient()
    {
        KanModel generated = Prepared(new Golden231(3));
        KanModel reference = Prepared(new KanNetwork(new[] { 2, 3, 1 }, 5, 3, seed: 3));
        KanDataset data = TestDatasets.Uniform(2, 200, 8, 9, x => TestDatasets.QuickStart(x));
        (double value, double[] gradient) = Evaluate(generated, data);
        (double expectedValue, double[] expectedGradient) = Evaluate(reference, data);
        Assert.True(Math.Abs(value - expectedValue) <= 1e-12 * Math.Abs(expectedValue), $"objective {value:R} vs reference {expectedValue:R}");
        double scale = expectedGradient.Max(Math.Abs);
        for (int p = 0; p < gradient.Length; p++)
        {
            Assert.True(Math.Abs(gradient[p] - expectedGradient[p]) <= 1e-12 * scale, $"parameter {p}: {gradient[p]:R} vs reference {expectedGradient[p]:R}");
        }
    }

    [Fact]
    public void Same_bits_for_any_thread_count()
    {
        KanDataset data = TestDatasets.Uniform(2, 300, 8, 9, x => TestDatasets.QuickStart(x));
        (double one, double[] gradientOne) = Evaluate(Prepared(new Golden231(3)), data, threads: 1);
        (double two, double[] gradientTwo) = Evaluate(Prepared(new Golden231(3)), data, threads: 2);
        (double five, double[] gradientFive) = Evaluate(Prepared(new Golden231(3)), data, threads: 5);
        Assert.Equal(one, two);
        Assert.Equal(one, five);
        Assert.Equal(gradientOne, gradientTwo);
        Assert.Equal(gradientOne, gradientFive);
    }
}
