using KanCompile.Tests.Models;
using KanCompile.Tests.Support;
using KanCompile.Training;

namespace KanCompile.Tests.Classification;

/// <summary>
/// Every loss on the vectorised batch path: against the reference engine (forward, the loss, then Backward with dL/dy,
/// sample by sample) to 1e-12, with and without the regulariser's statistic terms; the squared error bit-identical
/// through the loss seam; the losses' own gradients and the whole objective's against central differences.
/// </summary>
public class LossGradientTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "Classifier243", "cross_entropy" },
        { "Quad342K2", "cross_entropy" },
        { "Toy251", "logistic" },
        { "Deep2321K4", "logistic" },
        { "Classifier243", "pseudo_huber" },
        { "Step231K0", "pseudo_huber" },
        { "Wide4x16x16x1", "logistic" },
    };

    private static KanModel Create(string name, int seed) => name switch
    {
        "Classifier243" => new Classifier243(seed),
        _ => ModelCase.Cases.Single(c => c.Name == name).CreateGenerated(seed),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_gradient_batch_matches_the_reference_engine(string model, string lossName)
    {
        KanLoss loss = TestLosses.ByName(lossName);
        (KanModel generated, KanNetwork reference) = ModelCase.Pair(Create(model, 4), parameterSeed: 31, maskedEdge: (0, 0, 0));
        double[][] samples = Sampling.Inputs(generated, 7, 37).ToArray();
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var random = new Random(11);
        double[] labels = TestLosses.Labels(loss, samples.Length, generated.OutputCount, random);
        BatchAgreement.LossGradientBatch($"{model}/{lossName}", generated, reference, inputs, labels, samples.Length, random, loss);
    }

    [Fact]
    public void Squared_error_through_the_loss_seam_is_bit_identical()
    {
        var model = new Toy251(2);
        Sampling.Randomize(model.Parameters, 5);
        double[] inputs = Sampling.Inputs(model, 3, 50).SelectMany(x => x).ToArray();
        double[] labels = Enumerable.Range(0, 50).Select(i => Math.Sin(i)).ToArray();
        var viaLoss = new double[model.ParameterCount];
        var direct = new double[model.ParameterCount];
        double lossSum = model.Kernel.LossGradientBatch(inputs, labels, 50, 0.01, KanLoss.MeanSquaredError, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, viaLoss, default);
        double squaredSum = model.Kernel.SquaredErrorGradientBatch(inputs, labels, 50, 0.01, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, direct, default);
        Assert.Equal(squaredSum, lossSum);
        Assert.Equal(direct, viaLoss);

        // The readable Evaluate is the same function as the inline code.
        var g = new double[1];
        double value = KanLoss.MeanSquaredError.Evaluate([0.75], [0.25], g);
        Assert.Equal(0.25, value);
        Assert.Equal(1.0, g[0]);
    }

    [Theory]
    [InlineData("cross_entropy", 4)]
    [InlineData("logistic", 1)]
    [InlineData("pseudo_huber", 3)]
    public void Loss_output_gradients_pass_central_differences(string lossName, int outputs)
    {
        KanLoss loss = TestLosses.ByName(lossName);
        var random = new Random(7);
        foreach (double spread in new[] { 0.5, 4.0, 40.0 })
        {
            double[] y = Enumerable.Range(0, outputs).Select(_ => spread * (2 * random.NextDouble() - 1)).ToArray();
            double[] t = TestLosses.Labels(loss, 1, outputs, random);
            var gradient = new double[outputs];
            double value = loss.Evaluate(y, t, gradient);
            Assert.True(double.IsFinite(value), $"{lossName} at spread {spread}: {value}");
            CentralDifferences.AssertGradient(y, gradient, () => loss.Evaluate(y, t, new double[outputs]), $"{lossName} dL/dy (spread {spread})", tolerance: 1e-7);
        }
    }

    [Fact]
    public void Losses_stay_finite_and_exact_for_extreme_logits()
    {
        var g = new double[2];
        // log(1 + e^800) − 0·800 = 800 exactly in doubles; a naive softplus overflows.
        Assert.Equal(800.0, KanLoss.BinaryLogistic.Evaluate([800.0], [0.0], g));
        Assert.Equal(1.0, g[0]);
        Assert.Equal(0.0, KanLoss.BinaryLogistic.Evaluate([-800.0], [0.0], g));

        // Cross-entropy of logits 1000 apart: the wrong class costs 1000, the right one 0.
        Assert.Equal(1000.0, KanLoss.SoftmaxCrossEntropy.Evaluate([1000.0, 0.0], [0.0, 1.0], g));
        Assert.Equal([1.0, -1.0], g);
        Assert.Equal(0.0, KanLoss.SoftmaxCrossEntropy.Evaluate([1000.0, 0.0], [1.0, 0.0], g));
    }

    [Theory]
    [InlineData("reference", "cross_entropy")]
    [InlineData("generated", "cross_entropy")]
    [InlineData("generated", "pseudo_huber")]
    public void Objective_gradient_passes_central_differences(string engine, string lossName)
    {
        KanLoss loss = TestLosses.ByName(lossName);
        KanModel model = engine == "generated" ? new Classifier243(3) : new KanNetwork([2, 4, 3], 5, 3, seed: 3, engine: KanEngine.Reference);
        var random = new Random(17);
        for (int p = 0; p < model.ParameterCount; p++)
        {
            model.Parameters[p] = 0.8 * (random.NextDouble() - 0.5);
        }

        double[] inputs = Enumerable.Range(0, 2 * 40).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        double[] labels = TestLosses.Labels(loss, 40, 3, random);
        var options = new FitOptions { Loss = loss, Lambda = 0.3, LambdaCoef = 0.4, LambdaCoefDiff = 0.25 };
        using var workers = new ChunkWorkers(2);
        var objective = new KanObjective(model, workers, 16, 8, options, default) { Lambda = options.Lambda, ComputeRegularization = true };
        objective.SetBatch(inputs, labels, 40);
        var gradient = new double[model.ParameterCount];
        objective.Evaluate(gradient);
        double worst = CentralDifferences.WorstRelativeGap(model.Parameters, gradient, () => objective.Evaluate(new double[model.ParameterCount]));
        output.WriteLine($"{engine}/{lossName}: largest relative difference from central differences {worst:E2}");
        Assert.True(worst <= 1e-7, $"largest relative difference from central differences: {worst:E2}");
    }

    [Theory]
    [InlineData("cross_entropy")]
    [InlineData("pseudo_huber")]
    public void Loss_gradient_allocates_nothing_after_warm_up(string lossName)
    {
        KanLoss loss = TestLosses.ByName(lossName);
        var model = new Classifier243(1);
        var random = new Random(4);
        double[] inputs = Enumerable.Range(0, 64 * 2).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] labels = TestLosses.Labels(loss, 64, 3, random);
        var gradient = new double[model.ParameterCount];
        void Step() => model.Kernel.LossGradientBatch(inputs, labels, 64, 1.0 / 64, loss, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerRound: 20, warmUpCalls: 5));
    }
}
