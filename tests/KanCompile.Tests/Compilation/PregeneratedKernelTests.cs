using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Model;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The shapes built into KanCompile are served without a compiler, and compute bit for bit what the same shape
/// compiled on demand computes (one emitter), batch paths included.
/// </summary>
public class PregeneratedKernelTests
{
    [Theory]
    [InlineData(new[] { 2, 1, 1 }, 3)]
    [InlineData(new[] { 2, 1, 1 }, 10)]
    [InlineData(new[] { 3, 2, 1 }, 20)]
    [InlineData(new[] { 1, 5, 1 }, 5)]
    [InlineData(new[] { 2, 5, 1 }, 20)]
    public void Built_in_shapes_need_no_compiler_and_match_the_compiled_kernel_bit_for_bit(int[] widths, int grid)
    {
        var spec = new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU);
        KanKernel? builtIn = PregeneratedKernels.Find(spec);
        Assert.NotNull(builtIn);
        Assert.NotEqual(KernelCompiler.Namespace, builtIn!.GetType().Namespace);
        using (KernelProvider.DisableCompilationHere())
        {
            Assert.Same(builtIn, KernelProvider.Resolve(spec));
        }

        KanKernel compiled = KernelCompiler.Compile(spec);
        var model = new KanNetwork(widths, gridSize: grid, seed: 5);
        Assert.Same(builtIn, model.Kernel);
        Sampling.Randomize(model.Parameters, 11);
        int count = 37;
        var random = new Random(3);
        double[] inputs = Enumerable.Range(0, count * widths[0]).Select(_ => random.NextDouble() * 2.2 - 1.1).ToArray();
        double[] labels = Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
        var outputs = new double[count];
        var expectedOutputs = new double[count];
        var gradient = new double[model.ParameterCount];
        var expectedGradient = new double[model.ParameterCount];

        builtIn.ForwardBatch(inputs, outputs, count, model.ParameterBuffer, model.KnotTable, model.MaskBuffer);
        compiled.ForwardBatch(inputs, expectedOutputs, count, model.ParameterBuffer, model.KnotTable, model.MaskBuffer);
        double sum = builtIn.SquaredErrorGradientBatch(inputs, labels, count, 0.5, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
        double expectedSum = compiled.SquaredErrorGradientBatch(inputs, labels, count, 0.5, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, expectedGradient, default);

        Assert.Equal(expectedOutputs, outputs);
        Assert.Equal(expectedGradient, gradient);
        Assert.Equal(expectedSum, sum);
    }

    [Theory]
    [InlineData(new[] { 2, 1, 1 }, 7, 3, 0)]
    [InlineData(new[] { 2, 1, 1 }, 3, 2, 0)]
    [InlineData(new[] { 2, 1, 1 }, 3, 3, 1)]
    [InlineData(new[] { 4, 1, 1 }, 3, 3, 0)]
    [InlineData(new[] { 2, 1, 2 }, 3, 3, 0)]
    [InlineData(new[] { 2, 5, 1 }, 3, 3, 0)]
    [InlineData(new[] { 2, 5, 1 }, 7, 3, 0)]
    public void Other_shapes_are_not_built_in(int[] widths, int grid, int order, int baseFunction) =>
        Assert.Null(PregeneratedKernels.Find(new KernelSpec(widths, grid, order, (KernelBaseFunction)baseFunction)));
}
