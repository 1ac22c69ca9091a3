using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Pde;
using KanCompile.Tests.Support;
using KanCompile.Tests.SymbolicModel;
using static KanCompile.Tests.Compilation.RuntimeShapedKernelTests;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The stand-in's input derivatives (outputs, Jacobians, Hessians) and loss gradients through them give the emitted
/// kernel's bits: every value is compared with <see cref="BitConverter.DoubleToInt64Bits"/> against built-in kernels and
/// kernels compiled here, in every Hessian mode, with the test loss and the PDE loss (both its forms), on slices of a
/// batch, masked edges, inputs beyond the grid, moved knots, and symbolic edges of many functions with affine gradients.
/// </summary>
public class RuntimeShapedInputDerivativeTests
{
    /// <summary>
    /// Built-in shapes with one, two and three inputs (Hessian pair tables of 1, 3 and 6 entries), and compiled shapes for
    /// what none has: several outputs (the seed's H_ab + H_ba), three layers (the adjoint through two inner layers), and the
    /// identity and zero base functions (the specs RuntimeShapedKernelTests compiles: one compile serves both).
    /// </summary>
    public static TheoryData<int[], int, bool, KanBaseFunction> Shapes => new()
    {
        { [1, 2, 1], 20, true, KanBaseFunction.SiLU },
        { [2, 3, 1], 5, true, KanBaseFunction.SiLU },
        { [3, 5, 1], 10, true, KanBaseFunction.SiLU },
        { [2, 6, 2], 7, false, KanBaseFunction.SiLU },
        { [2, 9, 3, 1], 28, false, KanBaseFunction.SiLU },
        { [2, 5, 1], 6, false, KanBaseFunction.Identity },
        { [3, 4, 2], 5, false, KanBaseFunction.Zero },
    };

    /// <summary>
    /// Multiplication nodes (the product jets and their adjoints): a built-in product of two ([1,[0,1],1], one input, the
    /// PDE loss) and sum-plus-product ([2,[1,1],1]), and the compiled arity-3 and three-layer arity-2 shapes.
    /// </summary>
    public static TheoryData<string> ProductShapes => new() { "1x0x1", "2x1x1", "three", "two" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Input_derivatives_and_their_loss_gradients_match_the_emitted_kernel_bit_for_bit(int[] widths, int gridSize, bool builtIn, KanBaseFunction baseFunction) =>
        AssertDerivatives(new KernelSpec(widths, gridSize, 3, (KernelBaseFunction)(int)baseFunction), builtIn);

    [Theory]
    [MemberData(nameof(ProductShapes))]
    public void Input_derivatives_through_multiplication_nodes_match_the_emitted_kernel_bit_for_bit(string shape) =>
        AssertDerivatives(ProductShape(shape), builtIn: shape.Contains('x'), maskPhase: 3);

    [Theory]
    [MemberData(nameof(ProductShapes))]
    public void Symbolic_input_derivatives_through_multiplication_nodes_match_the_emitted_kernel_bit_for_bit(string shape) =>
        AssertSymbolicDerivatives(ProductShape(shape), builtIn: shape.Contains('x'));

    /// <summary>
    /// <see cref="KernelBeyondGrid.Smooth"/> (BasisJet's continued windows: the jet of the nearest point of [t_k, t_{G+k}], values
    /// along the tangent, no curvature beyond): the five-output sum spec and the product spec RuntimeShapedKernelTests compiles,
    /// with inputs far beyond both ends, on t_k and t_{G+k}, and at ±750 (<see cref="BeyondInputs"/>).
    /// </summary>
    public static TheoryData<string> SmoothShapes => new() { "sums", "products" };

    [Theory]
    [MemberData(nameof(SmoothShapes))]
    public void Input_derivatives_that_continue_beyond_the_grid_match_the_emitted_kernel_bit_for_bit(string shape)
    {
        KernelSpec spec = shape == "sums" ? SmoothSums : SmoothProducts;
        AssertCovered(spec);
        AssertDerivatives(spec, builtIn: false, maskPhase: 3);
        AssertSymbolicDerivatives(spec, builtIn: false);
    }

    /// <summary>
    /// <see cref="KernelBeyondGrid.Smooth"/> at spline orders other than 3 (<see cref="RuntimeShapedKernelTests.SmoothOrderSpec"/>:
    /// compiled once for both test classes): BasisJet's continued jets at k = 0, the short triangles and the eight-slot ones,
    /// plain and symbolic, with inputs far beyond both ends, on t_k and t_{G+k}, and at ±750.
    /// </summary>
    [Theory]
    [MemberData(nameof(SmoothOrders), MemberType = typeof(RuntimeShapedKernelTests))]
    public void Input_derivatives_that_continue_beyond_the_grid_at_other_spline_orders_match_the_emitted_kernel_bit_for_bit(int order)
    {
        KernelSpec spec = SmoothOrderSpec(order);
        AssertCovered(spec);
        AssertDerivatives(spec, builtIn: false, maskPhase: 3);
        AssertSymbolicDerivatives(spec, builtIn: false);
    }

    private static KernelSpec ProductShape(string shape) => shape switch
    {
        "1x0x1" => new KernelSpec([1, 0, 1], 10, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0]),
        "2x1x1" => new KernelSpec([2, 1, 1], 5, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0]),
        "three" => ProductsOfThree,
        _ => ProductsOfTwo,
    };

    /// <param name="maskPhase">Shifts which edges are masked (every fifth): the product shapes' phase keeps each product's path to the output open.</param>
    /// <param name="compiled">The emitted kernel to compare with (a child process loads it from its parent's cache); null: the built-in one, or the provider's.</param>
    internal static void AssertDerivatives(KernelSpec spec, bool builtIn, int maskPhase = 0, KanKernel? compiled = null)
    {
        int[] widths = spec.Widths;
        int gridSize = spec.GridSize;
        KanKernel expected = compiled ?? (builtIn ? PregeneratedKernels.Find(spec)! : DeferredKernel.Settled(KernelProvider.Resolve(spec)));
        Assert.NotNull(expected);
        Assert.False(expected is RuntimeShapedKernel);
        var mirror = RuntimeShapedKernel.Create(spec);
        var layout = new KernelLayout(spec);
        var random = new Random((gridSize * 37) + widths.Sum());
        double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
        double[] masks = Enumerable.Range(0, layout.EdgeCount).Select(e => (e + maskPhase) % 5 == 2 ? 0.0 : 1.0).ToArray();
        foreach (bool lattice in new[] { true, false })
        {
            double[] realKnots = Knots(layout, random, lattice);
            double[] knots = KnotTable.Build(layout, realKnots);
            double[] inputs = spec.Continues ? BeyondInputs(layout, realKnots, random, 24) : Inputs(random, 24, spec.Width(0));
            foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
            {
                string label = $"{spec} {(lattice ? "lattice" : "moved")} knots, {second}";
                CompareDerivatives(label, expected, mirror, layout, second, inputs, parameters, knots, masks, symbolic: null);

                // Samples 3..21 of the batch (the loss sees indices 3.., its inputs include some beyond the grid), then one sample.
                var loss = new DerivativeTestLoss(second, spec.Width(0), 24);
                int n = spec.Width(0);
                CompareLossGradient(label + ", test loss", expected, mirror, layout, second, loss, inputs.AsSpan(3 * n, 18 * n).ToArray(), 3, 18, parameters, knots, masks, symbolic: null);
                CompareLossGradient(label + ", one sample", expected, mirror, layout, second, loss, inputs.AsSpan(20 * n, n).ToArray(), 20, 1, parameters, knots, masks, symbolic: null);
                if (spec.Width(spec.Depth) == 1)
                {
                    // The PDE loss as FitPde calls it: the whole set (L-BFGS, Adam), and one residual row at a time (Levenberg–Marquardt).
                    var pde = new PdeLoss(Problem(n, second), 1);
                    CompareLossGradient(label + ", PDE loss", expected, mirror, layout, second, pde, pde.Inputs, 0, pde.Count, parameters, knots, masks, symbolic: null);
                    pde.ResidualRows = true;
                    for (int s = 0; s < pde.Count; s += 7)
                    {
                        CompareLossGradient(label + $", PDE residual row {s}", expected, mirror, layout, second, pde, pde.Inputs.AsSpan(s * n, n).ToArray(), s, 1, parameters, knots, masks, symbolic: null);
                    }
                }
            }
        }
    }

    /// <summary>Spline orders other than 3 (<see cref="RuntimeShapedKernelTests.OtherOrderSpec"/>: compiled once for both test classes), plain and symbolic.</summary>
    [Theory]
    [MemberData(nameof(OtherOrders), MemberType = typeof(RuntimeShapedKernelTests))]
    public void Input_derivatives_at_other_spline_orders_match_the_emitted_kernel_bit_for_bit(int order)
    {
        KernelSpec spec = OtherOrderSpec(order);
        AssertCovered(spec);
        AssertDerivatives(spec, builtIn: false, maskPhase: 3);
        AssertSymbolicDerivatives(spec, builtIn: false);
    }

    /// <summary>
    /// Symbolic branches (ψ = smask·(c·f(a·x + b) + d) through <see cref="SymbolicDispatch"/>): spline-only, symbolic-only and
    /// mixed edges with a random function each (built-in and a user function), the singularity-safe variants crossing their
    /// singularities, with and without an affine gradient.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Symbolic_input_derivatives_and_their_loss_gradients_match_the_emitted_kernel_bit_for_bit(int[] widths, int gridSize, bool builtIn, KanBaseFunction baseFunction) =>
        AssertSymbolicDerivatives(new KernelSpec(widths, gridSize, 3, (KernelBaseFunction)(int)baseFunction), builtIn);

    internal static void AssertSymbolicDerivatives(KernelSpec spec, bool builtIn)
    {
        int[] widths = spec.Widths;
        int gridSize = spec.GridSize;
        KanKernel expected = builtIn ? PregeneratedKernels.Find(spec)! : DeferredKernel.Settled(KernelProvider.Resolve(spec));
        Assert.NotNull(expected);
        Assert.False(expected is RuntimeShapedKernel);
        var mirror = RuntimeShapedKernel.Create(spec);
        var layout = new KernelLayout(spec);
        var random = new Random((gridSize * 41) + widths.Sum());
        double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
        double[] realKnots = Knots(layout, random, lattice: false);
        double[] knots = KnotTable.Build(layout, realKnots);
        int n = spec.Width(0);
        double[] inputs = spec.Continues ? BeyondInputs(layout, realKnots, random, 9) : Uniform(random, 9 * n, -0.8, 0.8);
        foreach ((MixedKind kind, double threshold) in new[] { (MixedKind.SplineOnly, 0.0), (MixedKind.SymbolicOnly, 0.0), (MixedKind.Mixed, 0.0), (MixedKind.Mixed, 10.0) })
        {
            var configuration = MixedConfiguration.Create(layout, kind, 17 + (int)kind, threshold);
            foreach (SecondDerivatives second in Enum.GetValues<SecondDerivatives>())
            {
                string label = $"{spec} {kind} y_th {threshold} {second}";
                CompareDerivatives(label, expected, mirror, layout, second, inputs, parameters, knots, configuration.SplineMasks, configuration);
                var loss = new DerivativeTestLoss(second, n, 9);
                CompareLossGradient(label, expected, mirror, layout, second, loss, inputs.AsSpan(2 * n).ToArray(), 2, 7, parameters, knots, configuration.SplineMasks, configuration);
            }
        }
    }

    [Fact]
    public void Warm_calls_allocate_nothing()
    {
        var wideContinued = new KernelSpec([2, 5, 1], 6, 5, KernelBaseFunction.SiLU, beyondGrid: KernelBeyondGrid.Smooth);
        foreach (KernelSpec spec in new[] { new KernelSpec([2, 5, 1], 6, 3, KernelBaseFunction.SiLU), ProductsOfTwo, SmoothProducts, wideContinued, new KernelSpec([2, 5, 1], 6, 1, KernelBaseFunction.SiLU), new KernelSpec([2, 5, 1], 6, 2, KernelBaseFunction.SiLU), new KernelSpec([2, 5, 1], 6, 5, KernelBaseFunction.SiLU) })
        {
            var mirror = RuntimeShapedKernel.Create(spec);
            var layout = new KernelLayout(spec);
            var random = new Random(3);
            double[] parameters = Uniform(random, layout.ParameterCount, -1.0, 1.0);
            double[] knots = KnotTable.Build(layout, Knots(layout, random, lattice: true));
            double[] masks = Enumerable.Repeat(1.0, layout.EdgeCount).ToArray();
            var configuration = MixedConfiguration.Create(layout, MixedKind.Mixed, 5);
            double[] x = spec.Continues ? [3.5, -4.0] : [0.3, -0.4], y = new double[1], jacobian = new double[2], hessian = new double[4];
            var loss = new DerivativeTestLoss(SecondDerivatives.Full, 2, 8);
            var gradient = new double[layout.ParameterCount];
            var affine = new double[layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge];
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.InputDerivatives(x, y, jacobian, hessian, SecondDerivatives.Full, parameters, knots, masks)));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.InputDerivatives(x, y, jacobian, hessian.AsSpan(0, 2), SecondDerivatives.Diagonal, parameters, knots, masks)));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.InputDerivativesSymbolic(x, y, jacobian, hessian, SecondDerivatives.Full, parameters, knots, configuration.SplineMasks, configuration.Spans)));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.InputDerivativeLossGradient(loss.Inputs, 0, 8, SecondDerivatives.Full, loss, parameters, knots, masks, gradient), callsPerRound: 50));
            Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => mirror.InputDerivativeLossGradientSymbolic(loss.Inputs, 0, 8, SecondDerivatives.Full, loss, parameters, knots, configuration.SplineMasks, configuration.Spans, gradient, affine), callsPerRound: 50));
        }
    }

    private static void CompareDerivatives(string label, KanKernel expected, KanKernel mirror, KernelLayout layout, SecondDerivatives second, double[] inputs, double[] parameters, double[] knots, double[] masks, MixedConfiguration? symbolic)
    {
        int n = layout.Spec.Width(0), m = layout.Spec.Width(layout.Spec.Depth), h = KanKernel.HessianLength(n, m, second);
        for (int s = 0; s < inputs.Length / n; s++)
        {
            double[] x = inputs[(s * n)..((s + 1) * n)];
            double[] Call(KanKernel kernel)
            {
                var values = new double[m + (m * n) + h];
                Span<double> output = values.AsSpan(0, m), jacobian = values.AsSpan(m, m * n), hessian = values.AsSpan(m + (m * n), h);
                if (symbolic is null)
                {
                    kernel.InputDerivatives(x, output, jacobian, hessian, second, parameters, knots, masks);
                }
                else
                {
                    kernel.InputDerivativesSymbolic(x, output, jacobian, hessian, second, parameters, knots, masks, symbolic.Spans);
                }

                return values;
            }

            AssertBits($"{label}, InputDerivatives at sample {s}", Call(expected), Call(mirror));
        }
    }

    private static void CompareLossGradient(string label, KanKernel expected, KanKernel mirror, KernelLayout layout, SecondDerivatives second, InputDerivativeLoss loss, double[] inputs, int firstSample, int count, double[] parameters, double[] knots, double[] masks, MixedConfiguration? symbolic)
    {
        double[] Call(KanKernel kernel)
        {
            // Gradients are added into what the buffers hold: start both from the same non-zero values.
            double[] gradient = Enumerable.Range(0, layout.ParameterCount).Select(i => 0.01 * i).ToArray();
            if (symbolic is null)
            {
                double total = kernel.InputDerivativeLossGradient(inputs, firstSample, count, second, loss, parameters, knots, masks, gradient);
                return [total, .. gradient];
            }

            double[] affine = Enumerable.Range(0, layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge).Select(i => -0.02 * i).ToArray();
            double withAffine = kernel.InputDerivativeLossGradientSymbolic(inputs, firstSample, count, second, loss, parameters, knots, masks, symbolic.Spans, gradient, affine);
            double withoutAffine = kernel.InputDerivativeLossGradientSymbolic(inputs, firstSample, count, second, loss, parameters, knots, masks, symbolic.Spans, gradient, default);
            return [withAffine, withoutAffine, .. gradient, .. affine];
        }

        // Symbolic: a NaN (log of a negative, y_th 0) may differ in its sign alone, as in RuntimeShapedKernelTests.CompareSymbolic:
        // where two NaNs of opposite sign meet in the adjoint's sums, which wins is the JIT's register choice (seen with
        // Smooth's far inputs at k = 4, 5 and 7, the coefficient gradients' sums; finite values always agree).
        AssertBits(label + ", InputDerivativeLossGradient" + (symbolic is null ? string.Empty : "Symbolic"), Call(expected), Call(mirror), anySignOfNaN: symbolic is not null);
    }

    /// <summary>
    /// A PDE on [-1, 1]^d reading the derivatives <paramref name="second"/> provides: first order (None), a Poisson equation
    /// (Diagonal) or one with a mixed partial (Full), u = 0 on the boundary; sensitivities derived by the loss.
    /// </summary>
    private static PdeProblem Problem(int dimensions, SecondDerivatives second)
    {
        var domain = PdeDomain.Cube(dimensions, -1, 1);
        PdeResidual residual = second switch
        {
            SecondDerivatives.None => (in PdePoint p) => p.Ux(0) + p.U - Math.Cos(p.X[0]),
            SecondDerivatives.Diagonal => (in PdePoint p) => p.Laplacian + (2 * Math.Sin(Math.PI * p.X[0])),
            _ => (in PdePoint p) => p.Laplacian + (dimensions > 1 ? p.Uxy(0, 1) : 0.0) - p.U,
        };
        PdePoints interior = Collocation.Mesh(domain, dimensions == 3 ? 3 : 5);
        return new PdeProblem(domain, PdeTerm.Interior(interior, residual, 0.1), PdeTerm.Dirichlet(Collocation.BoundaryMesh(domain, dimensions == 1 ? 2 : 3), _ => 0.0))
        {
            SecondDerivatives = second,
        };
    }
}
