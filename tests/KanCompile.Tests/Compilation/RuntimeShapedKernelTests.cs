using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Symbolic;
using KanCompile.Tests.Support;
using Ids = KanCompile.Symbolic.BuiltInSymbolicFunctions.Ids;

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
        var spec = new KernelSpec(widths, gridSize, 3, KernelBaseFunction.SiLU);
        AssertSameBits(spec, PregeneratedKernels.Find(spec)!);
    }

    /// <summary>
    /// Branches no built-in shape has: three layers, a multi-output last layer with an input gradient through a
    /// scalar-width layer, a masked tail after a whole vector (9), and more knots than the counted search takes
    /// (G = 28: the halving search, no four-sample table windows); a masked tail whose edges carry dL/dx back
    /// (<see cref="ThreeLayersWithTwoOutputs"/>).
    /// </summary>
    [Fact]
    public void Matches_a_compiled_kernel_on_branches_no_built_in_shape_takes()
    {
        var spec = new KernelSpec([2, 9, 3, 1], 28, 3, KernelBaseFunction.SiLU);
        AssertSameBits(spec, Compiled(spec));
        AssertSameBits(new KernelSpec([2, 6, 2], 7, 3, KernelBaseFunction.SiLU), Compiled(new KernelSpec([2, 6, 2], 7, 3, KernelBaseFunction.SiLU)));
        AssertSameBits(ThreeLayersWithTwoOutputs, Compiled(ThreeLayersWithTwoOutputs));
    }

    /// <summary>[2, 3, 7, 2]: the 3 → 7 layer's Backprop has a whole vector and an overlapping one, and returns dL/dx.</summary>
    internal static KernelSpec ThreeLayersWithTwoOutputs => new([2, 3, 7, 2], 7, 3, KernelBaseFunction.SiLU);

    /// <summary>
    /// Layers wider than the emitter writes out straight (64 outputs): a loop over the whole vectors, then one masked
    /// vector over the last four outputs (67 = 16 vectors + 3) or none (68). 70 inputs, as a wide data set has.
    /// </summary>
    [Fact]
    public void Matches_a_compiled_kernel_past_the_unrolled_widths()
    {
        var spec = new KernelSpec([70, 67, 68, 1], 4, 3, KernelBaseFunction.SiLU);
        AssertSameBits(spec, Compiled(spec));
    }

    /// <summary>
    /// The other base functions, on compiled kernels (no built-in shape has them): identity (b = x, b' = 1) on a one-output
    /// shape, zero (every b and b' term kept, multiplied by 0: −0 and 0·∞ must come out as emitted) on a two-output one.
    /// The inputs reach beyond the grid and past the SiLU exp's range, as for SiLU.
    /// </summary>
    [Theory]
    [MemberData(nameof(OtherBaseFunctions))]
    public void Matches_a_compiled_kernel_with_the_other_base_functions(KanBaseFunction baseFunction, int[] widths, int gridSize)
    {
        var spec = new KernelSpec(widths, gridSize, 3, (KernelBaseFunction)(int)baseFunction);
        AssertSameBits(spec, Compiled(spec));
    }

    /// <summary>One compiled spec per base function besides SiLU, shared with <see cref="RuntimeShapedInputDerivativeTests"/> (compiled once).</summary>
    public static TheoryData<KanBaseFunction, int[], int> OtherBaseFunctions => new()
    {
        { KanBaseFunction.Identity, [2, 5, 1], 6 },
        { KanBaseFunction.Zero, [3, 4, 2], 5 },
    };

    /// <summary>
    /// The built-in MultKAN shapes (arity 2): a product of two sub-nodes alone ([n,[0,1],1]) and beside a sum node
    /// ([n,[1,1],1]), one to three inputs, on both their grids.
    /// </summary>
    public static TheoryData<int[], int> BuiltInProductShapes => new()
    {
        { [1, 0, 1], 5 },
        { [2, 1, 1], 10 },
        { [3, 0, 1], 10 },
        { [3, 1, 1], 5 },
    };

    [Theory]
    [MemberData(nameof(BuiltInProductShapes))]
    public void Matches_a_built_in_multiplication_kernel_bit_for_bit(int[] widths, int gridSize)
    {
        var spec = new KernelSpec(widths, gridSize, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0]);
        KanKernel? expected = PregeneratedKernels.Find(spec);
        Assert.NotNull(expected);
        AssertSameBits(spec, expected);
    }

    /// <summary>
    /// Multiplication nodes no built-in kernel has: arity 3, three layers whose every hidden layer mixes sum and product
    /// nodes, several outputs (<see cref="ProductsOfThree"/>); and arity 2 over three layers ending in a one-output layer
    /// fed by a mixed layer (<see cref="ProductsOfTwo"/>); and a product with the identity base function.
    /// </summary>
    [Fact]
    public void Matches_a_compiled_kernel_with_multiplication_nodes()
    {
        AssertSameBits(ProductsOfThree, Compiled(ProductsOfThree));
        AssertSameBits(ProductsOfTwo, Compiled(ProductsOfTwo));

        // Products with the identity base: the two coverage widenings together.
        var identityProducts = new KernelSpec([2, 1, 1], 6, 3, KernelBaseFunction.Identity, multiplicationNodes: [0, 1, 0]);
        AssertSameBits(identityProducts, Compiled(identityProducts));
    }

    /// <summary>[3, 2+2·, 1+1·, 2] with products of three sub-nodes: 8 then 4 sub-nodes behind 4 then 2 nodes.</summary>
    internal static KernelSpec ProductsOfThree => new([3, 2, 1, 2], 6, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 2, 1, 0], multiplicationArity: 3);

    /// <summary>[2, 1+2·, 2+1·, 1] with products of two sub-nodes: 5 then 4 sub-nodes behind 3 then 3 nodes.</summary>
    internal static KernelSpec ProductsOfTwo => new([2, 1, 2, 1], 9, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 2, 1, 0]);

    /// <summary>
    /// <see cref="KernelBeyondGrid.Smooth"/> (windows continued along their slopes beyond [t_k, t_{G+k}]) on every window path:
    /// the generated <see cref="Models.Wide4x16x16x1"/> (one output, 16-wide layers, the counted search, table windows on
    /// moved knots, lattice windows), a compiled spec with five outputs and G = 28 (the halving search, no table windows), and
    /// a compiled product spec (<see cref="SmoothProducts"/>). Inputs reach far beyond both ends, sit on t_k and t_{G+k}, and
    /// reach −750 (<see cref="BeyondInputs"/>).
    /// </summary>
    [Fact]
    public void Matches_emitted_kernels_that_continue_beyond_the_grid()
    {
        AssertCovered(SmoothSums);

        var wide = new Models.Wide4x16x16x1(1);
        AssertSameBits(new KernelSpec([4, 16, 16, 1], 10, 3, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth), wide.Kernel);
        AssertSameBits(SmoothSums, DeferredKernel.Settled(KernelProvider.Resolve(SmoothSums)));
        AssertSameBits(SmoothProducts, DeferredKernel.Settled(KernelProvider.Resolve(SmoothProducts)));
    }

    /// <summary>[2, 3, 5] on G = 28, continued: a scalar-width hidden layer, a vector and a masked tail of outputs, the halving search.</summary>
    internal static KernelSpec SmoothSums => new([2, 3, 5], 28, 3, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth);

    /// <summary><see cref="ProductsOfTwo"/>'s shape on G = 6, continued: products of two sub-nodes over three layers, one output.</summary>
    internal static KernelSpec SmoothProducts => new([2, 1, 2, 1], 6, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 2, 1, 0], beyondGrid: KernelBeyondGrid.Smooth);

    /// <summary>
    /// Spline orders other than 3, one compiled spec each (shared with <see cref="RuntimeShapedInputDerivativeTests"/>):
    /// every member on lattice and moved knots, inputs beyond the grid and at −750, masked edges, a last layer of one
    /// output and one of four.
    /// </summary>
    [Theory]
    [MemberData(nameof(OtherOrders))]
    public void Matches_a_compiled_kernel_at_other_spline_orders(int order)
    {
        KernelSpec spec = OtherOrderSpec(order);
        AssertCovered(spec);
        AssertSameBits(spec, Compiled(spec));
    }

    /// <summary>
    /// <see cref="KernelBeyondGrid.Smooth"/> at spline orders other than 3 (<see cref="SmoothOrderSpec"/>, shared with
    /// <see cref="RuntimeShapedInputDerivativeTests"/>): the continued Basis, BasisWithDerivative and window paths of k = 0
    /// (the boundary value, slope 0), k = 1 and 2 (the short triangles), k = 4, 5, 7 (eight-slot windows), every member, on
    /// lattice and moved knots, inputs one to eight spans beyond both ends, on t_k and t_{G+k}, and at ±750.
    /// </summary>
    [Theory]
    [MemberData(nameof(SmoothOrders))]
    public void Matches_a_compiled_kernel_that_continues_beyond_the_grid_at_other_spline_orders(int order)
    {
        KernelSpec spec = SmoothOrderSpec(order);
        AssertCovered(spec);
        AssertSameBits(spec, Compiled(spec));
    }

    /// <summary>The spline orders besides 3 whose continued windows are compared (6 is left out: 5 and 7 take the same eight-slot steps).</summary>
    public static TheoryData<int> SmoothOrders => new() { 0, 1, 2, 4, 5, 7 };

    /// <summary>
    /// <see cref="OtherOrderSpec"/>'s shape continued beyond the grid: one-output last layers (k = 0, 1, 4, 7), four (k = 2,
    /// with products of two) and five (k = 5); the counted search and table windows (k ≥ 1), lattice windows (k ≥ 2).
    /// </summary>
    internal static KernelSpec SmoothOrderSpec(int order)
    {
        KernelSpec plain = OtherOrderSpec(order);
        return new KernelSpec(plain.Widths, plain.GridSize, order, plain.BaseFunction, plain.MultiplicationNodes, plain.MultiplicationArity, KernelBeyondGrid.Smooth);
    }

    /// <summary>The stand-in must cover <paramref name="spec"/> on every host: asserted, so no comparison is ever skipped.</summary>
    internal static void AssertCovered(KernelSpec spec) =>
        Assert.True(RuntimeShapedKernel.Supports(spec), $"{spec}: the stand-in covers every spec on every host.");

    /// <summary>The spline orders the stand-in mirrors besides 3.</summary>
    public static TheoryData<int> OtherOrders => new() { 0, 1, 2, 4, 5, 6, 7 };

    /// <summary>
    /// k = 0: [2, 5, 1] on G = 7 (piecewise constant: no slope polynomial, no table or lattice windows). k = 1: [2, 5, 4, 1] on G = 6 (no lattice windows below k = 2: the four-sample table windows and the counted search;
    /// a masked pair of vectors, a whole vector, and a one-output last layer on the scalar width-1 helpers, as emitted for
    /// k + 1 ≠ four slots). k = 2: [2, 1+2·, 2+1·, 4] with products of two on G = 9 (lattice windows, product sub-nodes
    /// 5 and 4 wide, a last layer of four outputs). k = 4, 5, 6 (eight-slot windows: two four-wide Horner groups, the
    /// scalar triangle in memory): [3, 4, 1] on G = 5, [2, 6, 5] on G = 4 (a masked pair of vectors in both layers), and two
    /// products of two on G = 5 (four sub-nodes). k = 7 (eight slots, full): [2, 3, 1] on G = 5, a one-output last layer
    /// (the general path: SingleOutputEmitter's one-vector helpers are for k = 3 only).
    /// </summary>
    internal static KernelSpec OtherOrderSpec(int order) => order switch
    {
        0 => new KernelSpec([2, 5, 1], 7, 0, KernelBaseFunction.SiLU),
        1 => new KernelSpec([2, 5, 4, 1], 6, 1, KernelBaseFunction.SiLU),
        2 => new KernelSpec([2, 1, 2, 4], 9, 2, KernelBaseFunction.SiLU, multiplicationNodes: [0, 2, 1, 0]),
        4 => new KernelSpec([3, 4, 1], 5, 4, KernelBaseFunction.SiLU),
        5 => new KernelSpec([2, 6, 5], 4, 5, KernelBaseFunction.SiLU),
        6 => new KernelSpec([2, 2, 1], 5, 6, KernelBaseFunction.SiLU, multiplicationNodes: [0, 2, 0]),
        7 => new KernelSpec([2, 3, 1], 5, 7, KernelBaseFunction.SiLU),
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    /// <summary>
    /// The compiled kernel of <paramref name="spec"/> through the provider, as a model gets it: compiled once per process
    /// whichever test asks first, and written to the test run's kernel cache, where the child processes of
    /// <see cref="StandInWithoutVectorsTests"/> load it instead of compiling it again.
    /// </summary>
    internal static KanKernel Compiled(KernelSpec spec) => DeferredKernel.Settled(KernelProvider.Resolve(spec));

    /// <summary>Which specs the stand-in covers: every order on every host (with or without vectors it takes the compiled kernel's branch), both behaviours beyond the grid.</summary>
    [Fact]
    public void Covers_only_the_shapes_it_mirrors()
    {
        foreach (int order in new[] { 0, 1, 2, 3, 4, 5, 6, 7 })
        {
            Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, order, KernelBaseFunction.SiLU)));
        }

        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, 3, KernelBaseFunction.Identity)));
        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, 3, KernelBaseFunction.Zero)));

        // Smooth's continued windows are mirrored (and tested, with and without vectors) at every order.
        for (int order = 0; order <= KernelSpec.MaxSplineOrder; order++)
        {
            Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 3, 1], 5, order, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth)));
        }

        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 1, 1], 5, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0])));
        Assert.True(RuntimeShapedKernel.Supports(ProductsOfThree));
        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 1, 1], 5, 2, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0])));
        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 1, 1], 5, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0], beyondGrid: KernelBeyondGrid.Smooth)));
        Assert.True(RuntimeShapedKernel.Supports(new KernelSpec([2, 65, 1], 5, 3, KernelBaseFunction.SiLU)));
    }

    /// <param name="everyMember">False: the batch path, Forward and Trace only (the members whose emitted code branches on the host).</param>
    internal static void AssertSameBits(KernelSpec spec, KanKernel expected, bool everyMember = true)
    {
        var mirror = RuntimeShapedKernel.Create(spec);
        var layout = new KernelLayout(spec);
        var random = new Random((spec.GridSize * 131) + spec.Widths.Sum());
        double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
        double[] masks = Enumerable.Range(0, layout.EdgeCount).Select(e => e % 7 == 3 ? 0.0 : 1.0).ToArray();
        Assert.Equal(expected.FoldedLength, mirror.FoldedLength);
        foreach (bool lattice in new[] { true, false })
        {
            double[] realKnots = Knots(layout, random, lattice);
            double[] knots = KnotTable.Build(layout, realKnots);
            foreach (int count in new[] { 37, 3 })
            {
                double[] inputs = spec.Continues ? BeyondInputs(layout, realKnots, random, count) : Inputs(random, count, spec.Width(0));
                string label = $"{spec} {(lattice ? "lattice" : "moved")} knots, {count} samples";
                Compare(label, expected, mirror, layout, parameters, knots, masks, inputs, count, random);
                if (everyMember && (count == 3 || layout.EdgeCount < 1000))
                {
                    // The single-sample passes loop over widths the same way at any width: a wide shape's few samples suffice.
                    CompareBackward(label, expected, mirror, layout, parameters, knots, masks, inputs, count, random);
                    CompareSymbolic(label, expected, mirror, layout, parameters, knots, masks, inputs, count, random);
                }
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

    /// <summary>The batch path, Backward and the symbolic members allocate nothing once warm (whichever branches this host takes).</summary>
    [Fact]
    public void Warm_calls_allocate_nothing()
    {
        // The continued spec also runs the batch members: its windows take the continued branches of every window path.
        var continued = new KernelSpec([3, 5, 2], 6, 3, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth);
        var wideContinued = new KernelSpec([3, 5, 2], 6, 5, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth);
        foreach (KernelSpec spec in new[] { new KernelSpec([3, 5, 2], 6, 3, KernelBaseFunction.SiLU), ProductsOfThree, continued, wideContinued, new KernelSpec([3, 5, 2], 6, 1, KernelBaseFunction.SiLU), new KernelSpec([3, 5, 2], 6, 2, KernelBaseFunction.SiLU), new KernelSpec([3, 5, 2], 6, 5, KernelBaseFunction.SiLU) })
        {
            var mirror = RuntimeShapedKernel.Create(spec);
            var layout = new KernelLayout(spec);
            var random = new Random(11);
            double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
            double[] masks = Enumerable.Repeat(1.0, layout.EdgeCount).ToArray();
            double[] knots = KnotTable.Build(layout, Knots(layout, random, lattice: true));
            double[] inputs = Inputs(random, 8, 3), labels = Uniform(random, 16, -1.0, 1.0), output = new double[2], input = new double[3];
            double[] gradient = new double[layout.ParameterCount], affineGradient = new double[layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge];
            double[] nodes = new double[layout.NodeCount], edges = new double[layout.EdgeCount], splines = new double[layout.EdgeCount], psis = new double[layout.EdgeCount];
            double[] edgeWeight = Uniform(random, layout.EdgeCount, 0.0, 0.3), edgeMean = Uniform(random, layout.EdgeCount, -0.5, 0.5);
            double[] nodeWeight = Uniform(random, layout.NodeCount, 0.0, 0.3), nodeMean = Uniform(random, layout.NodeCount, -0.5, 0.5);
            (double[] symbolicMasks, int[] ids, double[] affine) = SymbolicConfiguration(layout, random, 1);
            double[] outputs = new double[16];
            double[] traced = new double[8 * (layout.NodeCount + layout.EdgeCount)], folded = new double[mirror.FoldedLength];
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() =>
            {
                var statistics = new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean);
                mirror.ForwardBatch(inputs, outputs, 8, parameters, knots, masks);
                mirror.LossGradientBatch(inputs, labels, 8, 0.5, KanLoss.MeanSquaredError, parameters, knots, masks, gradient, in statistics);
                mirror.SquaredErrorGradientBatch(inputs, labels, 8, 0.5, parameters, knots, masks, gradient, default);
            }));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() =>
            {
                mirror.Fold(parameters, masks, folded);
                mirror.TraceFolded(inputs, 8, folded, knots, traced.AsSpan(0, 8 * layout.NodeCount), traced.AsSpan(8 * layout.NodeCount));
            }));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.Backward(inputs.AsSpan(0, 3), labels.AsSpan(0, 2), true, 0.5, parameters, knots, masks, gradient, input, new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean))));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() =>
            {
                var statistics = new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean);
                var symbolic = new SymbolicEdgeSpans(symbolicMasks, ids, affine, default, 10.0);
                mirror.ForwardSymbolic(inputs.AsSpan(0, 3), output, parameters, knots, masks, in symbolic);
                mirror.TraceSymbolic(inputs.AsSpan(0, 3), parameters, knots, masks, in symbolic, nodes, edges, splines, psis);
                mirror.BackwardSymbolic(inputs.AsSpan(0, 3), labels.AsSpan(0, 2), true, 0.5, parameters, knots, masks, in symbolic, gradient, affineGradient, input, in statistics);
                mirror.ForwardBatchSymbolic(inputs, outputs, 8, parameters, knots, masks, in symbolic);
                mirror.LossGradientBatchSymbolic(inputs, labels, 8, 0.5, KanLoss.MeanSquaredError, parameters, knots, masks, in symbolic, gradient, affineGradient, in statistics);
            }));
            if (spec.Continues)
            {
                double[] foldedGradient = new double[mirror.FoldedLength];
                Assert.Equal(0, AllocationProbe.SteadyStateBytes(() =>
                {
                    var statistics = new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean);
                    mirror.Forward(inputs.AsSpan(0, 3), output, parameters, knots, masks);
                    mirror.Trace(inputs.AsSpan(0, 3), parameters, knots, masks, nodes, edges, splines);
                    mirror.ForwardBatch(inputs, outputs, 8, parameters, knots, masks);
                    mirror.LossGradientBatch(inputs, labels, 8, 0.5, KanLoss.MeanSquaredError, parameters, knots, masks, gradient, statistics);
                    mirror.Fold(parameters, masks, folded);
                    mirror.LossGradientFolded(inputs, labels, 8, 0.5, KanLoss.MeanSquaredError, folded, knots, foldedGradient, statistics);
                }));
            }
        }
    }

    /// <summary>
    /// Backward per sample: a label (squared error) or an output gradient, with and without the input gradient, with and
    /// without the statistic terms, accumulating into a parameter gradient that starts non-zero.
    /// </summary>
    private static void CompareBackward(string label, KanKernel expected, KanKernel mirror, KernelLayout layout, double[] parameters, double[] knots, double[] masks, double[] inputs, int count, Random random)
    {
        int inputCount = layout.Spec.Width(0), outputCount = layout.Spec.Width(layout.Spec.Depth);
        double[] targets = Uniform(random, count * outputCount, -1.0, 1.0);
        double[] start = Uniform(random, layout.ParameterCount, -0.1, 0.1);
        double[] edgeWeight = Uniform(random, layout.EdgeCount, 0.0, 0.3), edgeMean = Uniform(random, layout.EdgeCount, -0.5, 0.5);
        double[] nodeWeight = Uniform(random, layout.NodeCount, 0.0, 0.3), nodeMean = Uniform(random, layout.NodeCount, -0.5, 0.5);
        foreach (bool targetIsLabel in new[] { true, false })
        {
            foreach (bool withInput in new[] { true, false })
            {
                foreach (bool regularized in new[] { false, true })
                {
                    EdgeStatisticGradient Statistics() => regularized ? new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean) : default;
                    string part = $"{label}, Backward ({(targetIsLabel ? "label" : "output gradient")}{(withInput ? ", input gradient" : string.Empty)}{(regularized ? ", regularised" : string.Empty)})";
                    double[] gradient = (double[])start.Clone(), myGradient = (double[])start.Clone();
                    for (int s = 0; s < count; s++)
                    {
                        ReadOnlySpan<double> x = inputs.AsSpan(s * inputCount, inputCount), target = targets.AsSpan(s * outputCount, outputCount);
                        double[] dx = new double[withInput ? inputCount : 0], myDx = new double[dx.Length];
                        double value = expected.Backward(x, target, targetIsLabel, 0.37, parameters, knots, masks, gradient, dx, Statistics());
                        double myValue = mirror.Backward(x, target, targetIsLabel, 0.37, parameters, knots, masks, myGradient, myDx, Statistics());
                        AssertBits(part + $", sample {s}", [value, .. dx], [myValue, .. myDx]);
                    }

                    AssertBits(part + ", parameter gradient", gradient, myGradient);
                }
            }
        }
    }

    /// <summary>
    /// The mixed members with symbolic branches on some edges (several catalog functions, singular ones among them, and a
    /// user function), with the numeric mask off on some of those: plain and singularity-safe functions, every output the
    /// members have (trace with and without ψ, affine and input gradients), the statistic terms on and off, both losses.
    /// </summary>
    private static void CompareSymbolic(string label, KanKernel expected, KanKernel mirror, KernelLayout layout, double[] parameters, double[] knots, double[] masks, double[] inputs, int count, Random random)
    {
        int inputCount = layout.Spec.Width(0), outputCount = layout.Spec.Width(layout.Spec.Depth);
        int nodes = layout.NodeCount, edges = layout.EdgeCount, affineLength = edges * SymbolicEdgeSpans.AffinePerEdge;
        double[] labels = Uniform(random, count * outputCount, -1.0, 1.0);
        double[] edgeWeight = Uniform(random, edges, 0.0, 0.3), edgeMean = Uniform(random, edges, -0.5, 0.5);
        double[] nodeWeight = Uniform(random, nodes, 0.0, 0.3), nodeMean = Uniform(random, nodes, -0.5, 0.5);
        var custom = new SymbolicFunction("cubic_shift", u => (u * u * u) - u, u => (3.0 * u * u) - 1.0, 3, "{x}^3-{x}", "({x}*{x}*{x}-{x})", "{x}^3-{x}");
        SymbolicFunction?[] customFunctions = Enumerable.Range(0, edges).Select(e => e % 5 == 4 ? custom : null).ToArray();
        (double[] symbolicMasks, int[] ids, double[] affine) = SymbolicConfiguration(layout, random, count);
        for (int e = 0; e < edges; e++)
        {
            if (customFunctions[e] is not null)
            {
                ids[e] = SymbolicDispatch.Custom;
            }
        }

        // Fixed edges switch their spline off, as pykan's fix_symbolic does; the rest keep both branches or the spline alone.
        double[] mixedMasks = masks.Select((m, e) => symbolicMasks[e] != 0.0 && e % 2 == 0 ? 0.0 : m).ToArray();
        foreach (double threshold in new[] { 0.0, 10.0 })
        {
            SymbolicEdgeSpans Symbolic() => new(symbolicMasks, ids, affine, customFunctions, threshold);
            string part = $"{label}, symbolic (y_th {threshold})";
            for (int s = 0; s < count; s++)
            {
                double[] x = inputs[(s * inputCount)..((s + 1) * inputCount)];
                AssertBits(part + ", ForwardSymbolic", Run(outputCount, o => expected.ForwardSymbolic(x, o, parameters, knots, mixedMasks, Symbolic())), Run(outputCount, o => mirror.ForwardSymbolic(x, o, parameters, knots, mixedMasks, Symbolic())));
                foreach (bool recordPsi in new[] { true, false })
                {
                    var trace = new[] { new double[nodes], new double[edges], new double[edges], new double[recordPsi ? edges : 0] };
                    var myTrace = new[] { new double[nodes], new double[edges], new double[edges], new double[recordPsi ? edges : 0] };
                    expected.TraceSymbolic(x, parameters, knots, mixedMasks, Symbolic(), trace[0], trace[1], trace[2], trace[3]);
                    mirror.TraceSymbolic(x, parameters, knots, mixedMasks, Symbolic(), myTrace[0], myTrace[1], myTrace[2], myTrace[3]);
                    AssertBits(part + ", TraceSymbolic", trace.SelectMany(t => t).ToArray(), myTrace.SelectMany(t => t).ToArray());
                }
            }

            AssertBits(part + ", ForwardBatchSymbolic", Run(count * outputCount, o => expected.ForwardBatchSymbolic(inputs, o, count, parameters, knots, mixedMasks, Symbolic())), Run(count * outputCount, o => mirror.ForwardBatchSymbolic(inputs, o, count, parameters, knots, mixedMasks, Symbolic())));
            foreach (bool regularized in new[] { false, true })
            {
                EdgeStatisticGradient Statistics() => regularized ? new EdgeStatisticGradient(edgeWeight, edgeMean, nodeWeight, nodeMean) : default;
                string regularisedPart = part + (regularized ? ", regularised" : string.Empty);
                foreach (bool targetIsLabel in new[] { true, false })
                {
                    foreach (bool withGradients in new[] { true, false })
                    {
                        // Per sample from zero, so a sample whose ψ is NaN (log of a negative, y_th 0) spoils only its own comparison;
                        // the first samples and the last (far beyond the grid) here, every sample in the batch forms below.
                        foreach (int s in Enumerable.Range(0, Math.Min(count, 8)).Append(count - 1).Distinct())
                        {
                            ReadOnlySpan<double> x = inputs.AsSpan(s * inputCount, inputCount), target = labels.AsSpan(s * outputCount, outputCount);
                            double[] gradient = new double[layout.ParameterCount], myGradient = new double[layout.ParameterCount];
                            double[] affineGradient = new double[withGradients ? affineLength : 0], myAffineGradient = new double[affineGradient.Length];
                            double[] dx = new double[withGradients ? inputCount : 0], myDx = new double[dx.Length];
                            double value = expected.BackwardSymbolic(x, target, targetIsLabel, 0.37, parameters, knots, mixedMasks, Symbolic(), gradient, affineGradient, dx, Statistics());
                            double myValue = mirror.BackwardSymbolic(x, target, targetIsLabel, 0.37, parameters, knots, mixedMasks, Symbolic(), myGradient, myAffineGradient, myDx, Statistics());
                            AssertBits(regularisedPart + $", BackwardSymbolic sample {s}", [value, .. dx, .. gradient, .. affineGradient], [myValue, .. myDx, .. myGradient, .. myAffineGradient], anySignOfNaN: true);
                        }
                    }
                }

                foreach (KanLoss loss in new[] { KanLoss.MeanSquaredError, KanLoss.BinaryLogistic })
                {
                    if (loss != KanLoss.MeanSquaredError && outputCount != 1)
                    {
                        continue;
                    }

                    double[] gradient = new double[layout.ParameterCount + affineLength], myGradient = new double[gradient.Length];
                    double sum = expected.LossGradientBatchSymbolic(inputs, labels, count, 0.37, loss, parameters, knots, mixedMasks, Symbolic(), gradient.AsSpan(0, layout.ParameterCount), gradient.AsSpan(layout.ParameterCount), Statistics());
                    double mySum = mirror.LossGradientBatchSymbolic(inputs, labels, count, 0.37, loss, parameters, knots, mixedMasks, Symbolic(), myGradient.AsSpan(0, layout.ParameterCount), myGradient.AsSpan(layout.ParameterCount), Statistics());
                    AssertBits($"{regularisedPart}, {loss}, LossGradientBatchSymbolic", [sum, .. gradient], [mySum, .. myGradient], anySignOfNaN: true);
                    gradient.AsSpan().Clear();
                    myGradient.AsSpan().Clear();
                    sum = expected.SquaredErrorGradientBatchSymbolic(inputs, labels, count, 0.37, parameters, knots, mixedMasks, Symbolic(), gradient.AsSpan(0, layout.ParameterCount), default, Statistics());
                    mySum = mirror.SquaredErrorGradientBatchSymbolic(inputs, labels, count, 0.37, parameters, knots, mixedMasks, Symbolic(), myGradient.AsSpan(0, layout.ParameterCount), default, Statistics());
                    AssertBits($"{regularisedPart}, SquaredErrorGradientBatchSymbolic", [sum, .. gradient], [mySum, .. myGradient], anySignOfNaN: true);
                }
            }
        }
    }

    /// <summary>
    /// Symbolic branches on about two edges in three, cycling through catalog functions that include poles and domain edges
    /// (1/x, 1/x², log, sqrt, arctanh, tan) beside smooth ones, with affine parameters that put some inputs near those edges.
    /// </summary>
    private static (double[] Masks, int[] Ids, double[] Affine) SymbolicConfiguration(KernelLayout layout, Random random, int seed)
    {
        int[] catalog = [Ids.Sin, Ids.Reciprocal, Ids.Log, Ids.Sqrt, Ids.Exp, Ids.ReciprocalSquare, Ids.Arctanh, Ids.Tanh, Ids.Square, Ids.Tan, Ids.Gaussian, Ids.X];
        int edges = layout.EdgeCount;
        double[] masks = Enumerable.Range(0, edges).Select(e => (e + seed) % 3 == 1 ? 0.0 : 1.0).ToArray();
        int[] ids = Enumerable.Range(0, edges).Select(e => catalog[(e + seed) % catalog.Length]).ToArray();
        double[] affine = Uniform(random, edges * SymbolicEdgeSpans.AffinePerEdge, -1.5, 1.5);
        return (masks, ids, affine);
    }

    private delegate void Fill(Span<double> target);

    private static double[] Run(int length, Fill fill)
    {
        var values = new double[length];
        fill(values);
        return values;
    }

    /// <summary>
    /// Every value's bits equal. With <paramref name="anySignOfNaN"/>, a NaN may differ in its sign bit alone: where two
    /// NaNs of opposite sign meet in a sum (log of a negative gives one sign, a negated NaN the other; y_th 0 only), x86
    /// returns the first operand's, and which operand is first in a commutative add is the JIT's register choice, not the
    /// C# source's (seen only in BackwardSymbolic's per-sample gradients: 0xFFF8… against 0x7FF8…, both ways round).
    /// </summary>
    internal static void AssertBits(string label, double[] expected, double[] actual, bool anySignOfNaN = false)
    {
        const long sign = long.MinValue;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            long bits = BitConverter.DoubleToInt64Bits(expected[i]), actualBits = BitConverter.DoubleToInt64Bits(actual[i]);
            if (bits != actualBits && !(anySignOfNaN && double.IsNaN(expected[i]) && (bits & ~sign) == (actualBits & ~sign)))
            {
                Assert.Fail($"{label}: value {i} is {actual[i]:R} (0x{actualBits:X16}), the compiled kernel's {expected[i]:R} (0x{bits:X16}).");
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

    /// <summary>
    /// For kernels that continue beyond the grid (where every sample group takes the four-sample window paths): samples
    /// inside, far below and far above each input's grid (one to eight spans out), exactly on its t_k and t_{G+k}, and −750
    /// and 750 in a four-sample group and −750 in the last sample.
    /// </summary>
    internal static double[] BeyondInputs(KernelLayout layout, double[] realKnots, Random random, int count)
    {
        int width = layout.Spec.Width(0), k = layout.Spec.SplineOrder, g = layout.Spec.GridSize, knotCount = layout.KnotCount;
        var inputs = new double[count * width];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < width; i++)
            {
                double low = realKnots[i * knotCount + k], high = realKnots[i * knotCount + g + k], span = high - low;
                inputs[s * width + i] = ((s + i) % 5) switch
                {
                    0 => low + span * random.NextDouble(),
                    1 => low - span * (1.0 + 7.0 * random.NextDouble()),
                    2 => high + span * (1.0 + 7.0 * random.NextDouble()),
                    3 => s % 2 == 0 ? low : high,
                    _ => low + span * (3.0 * random.NextDouble() - 1.0),
                };
            }
        }

        if (count > 8)
        {
            inputs[4 * width] = -750.0;
            inputs[6 * width] = 750.0;
        }

        inputs[^1] = -750.0;
        return inputs;
    }

    internal static double[] Uniform(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
}
