using KanCompile.Compilation;

namespace KanCompile.Tests.Support;

/// <summary>
/// The batch path against the reference engine: outputs to 1e-12 relative, the squared error to 1e-12 relative and
/// its gradient to 1e-12 normwise (summation order differs, so element-wise agreement is not expected).
/// </summary>
internal static class BatchAgreement
{
    /// <summary>ForwardBatch of <paramref name="generated"/> on <paramref name="samples"/> equals the reference's Forward.</summary>
    public static void ForwardBatch(string label, KanModel generated, KanNetwork reference, double[][] samples)
    {
        double[] inputs = samples.SelectMany(x => x).ToArray();
        var outputs = new double[samples.Length * generated.OutputCount];
        generated.Kernel.ForwardBatch(inputs, outputs, samples.Length, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer);
        var expected = new double[generated.OutputCount];
        for (int s = 0; s < samples.Length; s++)
        {
            reference.Forward(samples[s], expected);
            for (int o = 0; o < expected.Length; o++)
            {
                double actual = outputs[s * generated.OutputCount + o];
                Assert.True(Sampling.RelativeError(actual, expected[o]) <= 1e-12, $"{label}: sample {s} output {o} = {actual}, reference {expected[o]}");
            }
        }
    }

    /// <summary>
    /// SquaredErrorGradientBatch agrees with the reference engine's, without and with statistic terms (weights and
    /// means drawn from <paramref name="random"/>).
    /// </summary>
    public static void SquaredErrorGradientBatch(string label, KanModel generated, KanNetwork reference, double[] inputs, double[] labels, int count, Random random) =>
        LossGradientBatch(label, generated, reference, inputs, labels, count, random, null);

    /// <summary>
    /// <see cref="KanCompile.Compilation.KanKernel.LossGradientBatch"/> for <paramref name="loss"/> (SquaredErrorGradientBatch when null) agrees with the
    /// reference engine's, without and with statistic terms (weights and means drawn from <paramref name="random"/>).
    /// </summary>
    public static void LossGradientBatch(string label, KanModel generated, KanNetwork reference, double[] inputs, double[] labels, int count, Random random, KanLoss? loss)
    {
        var layout = generated.Layout;
        double[] edgeWeight = Enumerable.Range(0, layout.EdgeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] edgeMean = Enumerable.Range(0, layout.EdgeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] nodeWeight = Enumerable.Range(0, layout.NodeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] nodeMean = Enumerable.Range(0, layout.NodeCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        foreach (bool withStatistics in new[] { false, true })
        {
            var statistics = withStatistics ? new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean) : default;
            var gradient = new double[generated.ParameterCount];
            var expected = new double[generated.ParameterCount];
            double sum = loss is null
                ? generated.Kernel.SquaredErrorGradientBatch(inputs, labels, count, 0.5, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer, gradient, in statistics)
                : generated.Kernel.LossGradientBatch(inputs, labels, count, 0.5, loss, generated.ParameterBuffer, generated.KnotTable, generated.MaskBuffer, gradient, in statistics);
            double expectedSum = loss is null
                ? reference.Kernel.SquaredErrorGradientBatch(inputs, labels, count, 0.5, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, expected, in statistics)
                : reference.Kernel.LossGradientBatch(inputs, labels, count, 0.5, loss, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, expected, in statistics);
            Gradient($"{label} (statistics: {withStatistics})", sum, expectedSum, gradient, expected);
        }
    }

    /// <summary>A loss and its gradient agree with the expected ones: 1e-12 relative and 1e-12 normwise.</summary>
    public static void Gradient(string label, double sum, double expectedSum, double[] gradient, double[] expected)
    {
        Assert.True(Sampling.RelativeError(sum, expectedSum) <= 1e-12, $"{label}: squared error {sum} vs {expectedSum}");
        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        int worst = Enumerable.Range(0, gradient.Length).MaxBy(i => Math.Abs(gradient[i] - expected[i]));
        Assert.True(Math.Abs(gradient[worst] - expected[worst]) <= 1e-12 * scale, $"{label}: dθ[{worst}] = {gradient[worst]}, reference {expected[worst]} (scale {scale})");
    }
}
