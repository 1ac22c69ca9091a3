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
    [InlineData(new[] { 2, 1, 1 }, 3, 0)]
    [InlineData(new[] { 2, 1, 1 }, 10, 0)]
    [InlineData(new[] { 3, 2, 1 }, 20, 0)]
    [InlineData(new[] { 1, 5, 1 }, 5, 0)]
    [InlineData(new[] { 2, 5, 1 }, 20, 0)]
    [InlineData(new[] { 2, 5, 1 }, 3, 0)]
    [InlineData(new[] { 3, 7, 1 }, 10, 0)]
    [InlineData(new[] { 2, 1, 1 }, 10, 1)]
    [InlineData(new[] { 3, 0, 1 }, 5, 1)]
    public void Built_in_shapes_need_no_compiler_and_match_the_compiled_kernel_bit_for_bit(int[] widths, int grid, int products)
    {
        int[]? multiplication = products == 0 ? null : [0, products, 0];
        var spec = new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU, multiplication);
        KanKernel? builtIn = PregeneratedKernels.Find(spec);
        Assert.NotNull(builtIn);
        Assert.NotEqual(KernelCompiler.Namespace, builtIn!.GetType().Namespace);
        using (KernelProvider.DisableCompilationHere())
        {
            Assert.Same(builtIn, KernelProvider.Resolve(spec));
        }

        KanKernel compiled = KernelCompiler.Compile(spec);
        var model = new KanNetwork(widths, gridSize: grid, seed: 5, multiplicationNodes: multiplication);
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
    [InlineData(new[] { 2, 6, 1 }, 3, 3, 0)]
    [InlineData(new[] { 2, 5, 1 }, 7, 3, 0)]
    [InlineData(new[] { 3, 7, 1 }, 20, 3, 0)]
    public void Other_shapes_are_not_built_in(int[] widths, int grid, int order, int baseFunction) =>
        Assert.Null(PregeneratedKernels.Find(new KernelSpec(widths, grid, order, (KernelBaseFunction)baseFunction)));

    // What the workflows meet with default settings: pykan's quick start as a KanNetwork ([2,5,1] G=3), the formula
    // search (grids 5 and 10: [n,1,1], [n,2,1], what pruning [n,5,1] leaves, the surrogate [n,2n+1,1]) and the
    // CLI's default recipe ([n,5,1] G=5, pruned, --grids 10,20) for one to three inputs.
    public static TheoryData<int[], int> WorkflowShapes()
    {
        var shapes = new TheoryData<int[], int> { { new[] { 2, 5, 1 }, 3 } };
        for (int n = 1; n <= 3; n++)
        {
            foreach (int grid in new[] { 5, 10, 20 })
            {
                for (int hidden = 1; hidden <= 5; hidden++)
                {
                    shapes.Add(new[] { n, hidden, 1 }, grid);
                }
            }

            if (2 * n + 1 > 5)
            {
                shapes.Add(new[] { n, 2 * n + 1, 1 }, 5);
                shapes.Add(new[] { n, 2 * n + 1, 1 }, 10);
            }
        }

        return shapes;
    }

    [Theory]
    [InlineData(1, 0, 5)]
    [InlineData(2, 0, 10)]
    [InlineData(3, 0, 10)]
    [InlineData(1, 1, 10)]
    [InlineData(2, 1, 5)]
    [InlineData(3, 1, 5)]
    public void The_searchs_multiplication_shapes_resolve_without_a_compiler(int inputs, int sums, int grid)
    {
        // pykan's MultKAN [n,[0,1],1] (a product of two sums) and [n,[1,1],1] (a sum plus a product).
        int[] widths = [inputs, sums, 1];
        int[] multiplication = [0, 1, 0];
        var spec = new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU, multiplication);
        using (KernelProvider.DisableCompilationHere())
        {
            var model = new KanNetwork(widths, gridSize: grid, multiplicationNodes: multiplication);
            Assert.NotNull(PregeneratedKernels.Find(spec));
            Assert.Same(PregeneratedKernels.Find(spec), model.Kernel);
        }

        Assert.Null(PregeneratedKernels.Find(new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU, multiplication, multiplicationArity: 3)));
        Assert.Null(PregeneratedKernels.Find(new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU, [0, 2, 0])));
    }

    [Theory]
    [MemberData(nameof(WorkflowShapes))]
    public void Default_workflow_shapes_resolve_without_a_compiler(int[] widths, int grid)
    {
        var spec = new KernelSpec(widths, grid, 3, KernelBaseFunction.SiLU);
        using var counter = new CompilationCounter(spec);
        using (KernelProvider.DisableCompilationHere())
        {
            var model = new KanNetwork(widths, gridSize: grid);
            Assert.Same(PregeneratedKernels.Find(spec), model.Kernel);
            Assert.IsNotType<ReferenceKernel>(model.Kernel);
        }

        Assert.Equal(0, counter.Count);
    }
}
