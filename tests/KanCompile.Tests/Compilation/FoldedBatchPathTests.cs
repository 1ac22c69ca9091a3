using KanCompile.Compilation;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The folded batch path in parts (Fold once, several batches accumulating dL/dF, UnfoldGradient once), as the
/// multi-core objective uses it, against the reference engine's gradient of the whole batch.
/// </summary>
public class FoldedBatchPathTests
{
    [Theory]
    [MemberData(nameof(ModelCase.All), MemberType = typeof(ModelCase))]
    public void Fold_once_and_unfold_once_matches_reference(ModelCase modelCase)
    {
        KanModel generated = modelCase.CreateGenerated(5);
        KanNetwork reference = ModelCase.Reference(generated);
        Sampling.Randomize(generated.Parameters, 41);
        generated.Parameters.CopyTo(reference.Parameters);
        generated.SetMask(new KanEdge(0, 0, 0), 0.0);
        reference.SetMask(new KanEdge(0, 0, 0), 0.0);
        double[] inputs = Sampling.Inputs(generated, 7, 30).SelectMany(x => x).ToArray();
        int count = inputs.Length / generated.InputCount;
        var random = new Random(8);
        double[] labels = Enumerable.Range(0, count * generated.OutputCount).Select(_ => random.NextDouble()).ToArray();

        KanKernel kernel = generated.Kernel;
        Assert.True(kernel.FoldedLength > 0, $"{modelCase}: the generated kernel has no folded path");
        var folded = new double[kernel.FoldedLength];
        var foldedGradient = new double[kernel.FoldedLength];
        kernel.Fold(generated.ParameterBuffer, generated.MaskBuffer, folded);
        int half = count / 2 + 1;
        int inputCount = generated.InputCount, outputCount = generated.OutputCount;
        double sum = kernel.SquaredErrorGradientFolded(inputs.AsSpan(0, half * inputCount), labels.AsSpan(0, half * outputCount), half, 0.25, folded, generated.KnotTable, foldedGradient, default);
        sum += kernel.SquaredErrorGradientFolded(inputs.AsSpan(half * inputCount), labels.AsSpan(half * outputCount), count - half, 0.25, folded, generated.KnotTable, foldedGradient, default);
        var gradient = new double[generated.ParameterCount];
        kernel.UnfoldGradient(foldedGradient, generated.ParameterBuffer, generated.MaskBuffer, gradient);

        var expected = new double[generated.ParameterCount];
        double expectedSum = reference.Kernel.SquaredErrorGradientBatch(inputs, labels, count, 0.25, reference.ParameterBuffer, reference.KnotTable, reference.MaskBuffer, expected, default);
        BatchAgreement.Gradient(modelCase.ToString(), sum, expectedSum, gradient, expected);
    }

    [Fact]
    public void Short_folded_buffers_are_rejected_with_the_expected_length()
    {
        var model = new Models.Toy251(1);
        KanKernel kernel = model.Kernel;
        var error = Assert.Throws<ArgumentException>(() => kernel.Fold(model.ParameterBuffer, model.MaskBuffer, new double[kernel.FoldedLength - 1]));
        Assert.Contains(kernel.FoldedLength.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        error = Assert.Throws<ArgumentException>(() => kernel.UnfoldGradient(new double[kernel.FoldedLength], model.ParameterBuffer, model.MaskBuffer, new double[model.ParameterCount - 1]));
        Assert.Contains("parameter gradient", error.Message);
    }

    [Fact]
    public void Reference_kernel_has_no_folded_path_and_says_which_call_to_use()
    {
        var model = new KanNetwork(new[] { 2, 3, 1 }, seed: 1, engine: KanEngine.Reference);
        Assert.Equal(0, model.Kernel.FoldedLength);
        var error = Assert.Throws<NotSupportedException>(() => model.Kernel.Fold(model.ParameterBuffer, model.MaskBuffer, new double[16]));
        Assert.Contains("SquaredErrorGradientBatch", error.Message);
    }
}
