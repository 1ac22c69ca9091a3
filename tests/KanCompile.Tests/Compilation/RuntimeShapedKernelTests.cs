using System.Runtime.Intrinsics;
using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The run-time-shaped kernel that stands in while a kernel compiles gives the emitted kernel's bits — not close to
/// them: every value is compared with <see cref="BitConverter.DoubleToInt64Bits"/>. The oracle is emitted code: the
/// built-in kernels, and one kernel compiled here for the branches no built-in shape takes.
/// </summary>
public class RuntimeShapedKernelTests
{
    /// <summary>
    /// Shapes chosen to take every emitter branch the built-in kernels have: one-output layers (the last layer, and
    /// [2,1,1]'s first), hidden widths below a vector (2, 3), a whole vector (4), a masked tail of 1 and 3 (5, 7), and
    /// grids from 3 to 20 (the counted interval search with few and many knots).
    /// </summary>
    public static TheoryData<int[], int> BuiltInShapes => new()
    {
        { [2, 1, 1], 3 },
        { [1, 2, 1], 20 },
        { [3, 3, 1], 10 },
        { [2, 4, 1], 5 },
        { [3, 5, 1], 5 },
        { [3, 7, 1], 10 },
    };

    [Theory]
    [MemberData(nameof(BuiltInShapes))]
    public void Matches_a_built_in_kernel_bit_for_bit(int[] widths, int gridSize)
    {
        if (!RuntimeShapedKernel.Supports(new KernelSpec(widths, gridSize, 3, KernelBaseFunction.SiLU)))
        {
            return; // No AVX: the stand-in is never used, the compile is waited for.
        }

        var spec = new KernelSpec(widths, gridSize, 3, KernelBaseFunction.SiLU);
        AssertSameBits(spec, PregeneratedKernels.Find(spec)!);
    }

    /// <summary>
    /// Branches no built-in shape has: three layers, a multi-output last layer with an input gradient through a
    /// scalar-width layer, a masked tail after a whole vector (9), and more knots than the counted search takes
    /// (G = 28: the halving search, no four-sample table windows).
    /// </summary>
    [Fact]
    public void Matches_a_compiled_kernel_on_branches_no_built_in_shape_takes()
    {
        var spec = new KernelSpec([2, 9, 3, 1], 28, 3, KernelBaseFunction.SiLU);
        if (!RuntimeShapedKernel.Supports(spec))
        {
            return;
        }

        AssertSameBits(spec, KernelCompiler.Compile(spec));
        AssertSameBits(new KernelSpec([2, 6, 2], 7, 3, KernelBaseFunction.SiLU), KernelCompiler.Compile(new KernelSpec([2, 6, 2], 7, 3, KernelBaseFunction.SiLU)));
    }

    /// <summary>
    /// Layers wider than the emitter writes out straight (64 outputs): a loop over the whole vectors, then one masked
    /// vector over the last four outputs (67 = 16 vectors + 3) or none (68). 70 inputs, as a wide data set has.
    /// </summary>
    [Fact]
    public void Matches_a_compiled_kernel_past_the_unrolled_widths()
    {
        var spec = new KernelSpec([70, 67, 68, 1], 4, 3, KernelBaseFunction.SiLU);
        if (!RuntimeShapedKernel.Supports(spec))
        {
            return;
        }

        AssertSameBits(spec, KernelCompiler.Compile(spec));
    }

    [Fact]
    public void Covers_only_the_shapes_it_mirrors()
    {
        bool avx = Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx.IsSupported;
        Assert.Equal(avx, RuntimeShapedKernel.Supports(new KernelSpec([4, 3, 2, 1], 5, 3, KernelBaseFunction.SiLU)));
        Assert.False(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, 2, KernelBaseFunction.SiLU)));
        Assert.False(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, 3, KernelBaseFunction.Identity)));
        Assert.False(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, 3, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth)));
        Assert.False(RuntimeShapedKernel.Supports(new KernelSpec([2, 1, 1], 5, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0])));
        Assert.Equal(avx, RuntimeShapedKernel.Supports(new KernelSpec([2, 65, 1], 5, 3, KernelBaseFunction.SiLU)));
    }

    private static void AssertSameBits(KernelSpec spec, KanKernel expected)
    {
        var mirror = new RuntimeShapedKernel(spec);
        var layout = new KernelLayout(spec);
        var random = new Random((spec.GridSize * 131) + spec.Widths.Sum());
        double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
        double[] masks = Enumerable.Range(0, layout.EdgeCount).Select(e => e % 7 == 3 ? 0.0 : 1.0).ToArray();
        Assert.Equal(expected.FoldedLength, mirror.FoldedLength);
        foreach (bool lattice in new[] { true, false })
        {
            double[] knots = KnotTable.Build(layout, Knots(layout, random, lattice));
            foreach (int count in new[] { 37, 3 })
            {
                double[] inputs = Inputs(random, count, spec.Width(0));
                string label = $"{spec} {(lattice ? "lattice" : "moved")} knots, {count} samples";
                Compare(label, expected, mirror, layout, parameters, knots, masks, inputs, count, random);
            }
        }
    }

    private static void Compare(string label, KanKernel expected, KanKernel mirror, KernelLayout layout, double[] parameters, double[] knots, double[] masks, double[] inputs, int count, Random random)
    {
        int inputCount = layout.Spec.Width(0), outputCount = layout.Spec.Width(layout.Spec.Depth);
        int nodes = layout.NodeCount, edges = layout.EdgeCount, folded = expected.FoldedLength;

        // One sample: Forward and Trace.
        for (int s = 0; s < count; s++)
        {
            double[] x = inputs[(s * inputCount)..((s + 1) * inputCount)];
            double[] y = Run(outputCount, o => expected.Forward(x, o, parameters, knots, masks));
            double[] my = Run(outputCount, o => mirror.Forward(x, o, parameters, knots, masks));
            AssertBits(label + ", Forward", y, my);
            var trace = new[] { new double[nodes], new double[edges], new double[edges] };
            var myTrace = new[] { new double[nodes], new double[edges], new double[edges] };
            expected.Trace(x, parameters, knots, masks, trace[0], trace[1], trace[2]);
            mirror.Trace(x, parameters, knots, masks, myTrace[0], myTrace[1], myTrace[2]);
            AssertBits(label + ", Trace", trace.SelectMany(t => t).ToArray(), myTrace.SelectMany(t => t).ToArray());
        }

        // The batch path.
        AssertBits(label + ", ForwardBatch", Run(count * outputCount, o => expected.ForwardBatch(inputs, o, count, parameters, knots, masks)), Run(count * outputCount, o => mirror.ForwardBatch(inputs, o, count, parameters, knots, masks)));
        double[] table = Run(folded, f => expected.Fold(parameters, masks, f));
        AssertBits(label + ", Fold", table, Run(folded, f => mirror.Fold(parameters, masks, f)));
        var traced = new[] { new double[count * nodes], new double[count * edges] };
        var myTraced = new[] { new double[count * nodes], new double[count * edges] };
        expected.TraceFolded(inputs, count, table, knots, traced[0], traced[1]);
        mirror.TraceFolded(inputs, count, table, knots, myTraced[0], myTraced[1]);
        AssertBits(label + ", TraceFolded", traced.SelectMany(t => t).ToArray(), myTraced.SelectMany(t => t).ToArray());
        double[] labels = Uniform(random, count * outputCount, -1.0, 1.0);
        double[] edgeWeight = Uniform(random, edges, 0.0, 0.3), edgeMean = Uniform(random, edges, -0.5, 0.5);
        double[] nodeWeight = Uniform(random, nodes, 0.0, 0.3), nodeMean = Uniform(random, nodes, -0.5, 0.5);
        foreach (bool regularized in new[] { false, true })
        {
            EdgeStatisticGradient Statistics() => regularized ? new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean) : default;
            foreach (KanLoss loss in new[] { KanLoss.MeanSquaredError, KanLoss.BinaryLogistic })
            {
                if (loss != KanLoss.MeanSquaredError && outputCount != 1)
                {
                    continue;
                }

                string part = $"{label}, {(regularized ? "regularised " : string.Empty)}{loss}";
                var gradient = new double[folded];
                var myGradient = new double[folded];
                double sum = expected.LossGradientFolded(inputs, labels, count, 0.37, loss, table, knots, gradient, Statistics());
                double mySum = mirror.LossGradientFolded(inputs, labels, count, 0.37, loss, table, knots, myGradient, Statistics());
                AssertBits(part + ", LossGradientFolded", [sum, .. gradient], [mySum, .. myGradient]);
                double[] unfolded = Run(layout.ParameterCount, g => expected.UnfoldGradient(gradient, parameters, masks, g));
                AssertBits(part + ", UnfoldGradient", unfolded, Run(layout.ParameterCount, g => mirror.UnfoldGradient(gradient, parameters, masks, g)));
                var batch = new double[layout.ParameterCount];
                var myBatch = new double[layout.ParameterCount];
                double batchSum = expected.LossGradientBatch(inputs, labels, count, 0.37, loss, parameters, knots, masks, batch, Statistics());
                double myBatchSum = mirror.LossGradientBatch(inputs, labels, count, 0.37, loss, parameters, knots, masks, myBatch, Statistics());
                AssertBits(part + ", LossGradientBatch", [batchSum, .. batch], [myBatchSum, .. myBatch]);
            }
        }

    }

    private delegate void Fill(Span<double> target);

    private static double[] Run(int length, Fill fill)
    {
        var values = new double[length];
        fill(values);
        return values;
    }

    internal static void AssertBits(string label, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{label}: value {i} is {actual[i]:R}, the compiled kernel's {expected[i]:R}.");
            }
        }
    }

    /// <summary>
    /// Real knots per input node: G intervals over a node-specific range, extended k on each side; on a lattice, or with
    /// every knot moved by up to a fifth of a spacing (as after a grid update from data).
    /// </summary>
    internal static double[] Knots(KernelLayout layout, Random random, bool lattice)
    {
        int g = layout.Spec.GridSize, k = layout.Spec.SplineOrder, count = layout.KnotCount;
        int nodes = layout.NodeOffset[layout.Spec.Depth];
        var knots = new double[nodes * count];
        for (int n = 0; n < nodes; n++)
        {
            double low = -1.0 - random.NextDouble(), high = 1.0 + random.NextDouble() * (n >= layout.Spec.Width(0) ? 2.0 : 0.5);
            double h = (high - low) / g;
            for (int i = 0; i < count; i++)
            {
                double moved = lattice || i == 0 || i == count - 1 ? 0.0 : (random.NextDouble() - 0.5) * 0.4 * h;
                knots[n * count + i] = low + ((i - k) * h) + moved;
            }
        }

        return knots;
    }

    /// <summary>Mostly inside the grid (so four-sample groups take the lattice and table paths), some beyond it, one past the inline exp's range.</summary>
    internal static double[] Inputs(Random random, int count, int width)
    {
        var inputs = new double[count * width];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = i < 20 * width ? random.NextDouble() * 1.8 - 0.9 : random.NextDouble() * 5.0 - 2.5;
        }

        inputs[^1] = -750.0;
        return inputs;
    }

    internal static double[] Uniform(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
}
