using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The emitted kernel's floating-point operations, in the emitted order, with the widths read at run time instead of
/// unrolled: it stands in for a kernel that is still compiling (<see cref="DeferredKernel"/>). Every member it
/// implements gives the compiled kernel's bits, so a fit may switch between the two at any call.
/// <para>How it stays bit-identical: it keeps the emitted scratch layout (<see cref="BatchKernelEmitter.BatchShape"/>),
/// the same polynomial and lattice tables, the same vector helpers per output width (<see cref="EdgeWidthEmitter"/>:
/// whole vectors, then the overlapping pair with scalar tails; scalar loops below four outputs), the one-output path
/// (<see cref="SingleOutputEmitter"/>) with its horizontal sums, and the inline exp of the SiLU base
/// (<see cref="BaseValuesEmitter"/>); for the identity and zero base functions the emitted scalar Base loop
/// (RuntimeShapedKernel.BaseFunction.cs). Where the emitted code branches on the host (<c>Vector256.IsHardwareAccelerated</c>,
/// <c>Avx.IsSupported</c>), so does the mirror, on the same condition: the scalar branches are in RuntimeShapedKernel.WithoutVectors.cs
/// (for every spline order), so hosts without AVX (ARM64) get a stand-in too. The single-sample backward passes (Backward and
/// BackwardSymbolic) keep the emitted stack scratch and the emitted BasisWithDerivative and SiLU slope; the mixed members
/// call the same <see cref="SymbolicDispatch"/> as the emitted code. The input derivatives and the loss gradients through
/// them, plain and symbolic, mirror InputDerivativeEmitter and InputDerivativeAdjointEmitter (jets, BasisJet, BaseJet,
/// the adjoint pass, <see cref="SymbolicDispatch"/> where the emitted code calls it). Multiplication nodes take
/// MultiplicationEmitter's steps and the derivative emitters' product jets and adjoints (edges end in sub-nodes,
/// <see cref="KernelLayout.SubnodeOffset"/>). With <see cref="KernelBeyondGrid.Smooth"/> (every spline order, any host) every
/// window path takes the emitted continued branch (the window of the nearest point of [t_k, t_{G+k}], continued along its
/// slope; at k = 0 the boundary value).
/// Every member of a covered shape is mirrored.</para>
/// <para>The spline order is a type (<see cref="RuntimeShapedKernel{TOrder}"/>, made by <see cref="Create"/>): the emitters
/// unroll each window step for k, and with k a JIT-time constant the mirror's guarded terms and k &gt; 3 tail loops reduce
/// to the same straight-line steps.</para>
/// </summary>
internal abstract class RuntimeShapedKernel : KanKernel
{
    private protected RuntimeShapedKernel(KernelSpec spec)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)(int)spec.BaseFunction)
    {
        if (!Supports(spec))
        {
            throw new ArgumentException($"The run-time-shaped kernel does not mirror {spec}.", nameof(spec));
        }
    }

    /// <summary>
    /// Whether this mirror covers <paramref name="spec"/>: every spline order (0 to <see cref="KernelSpec.MaxSplineOrder"/>), so
    /// every spec there is; any base function (SiLU, identity, zero), both behaviours beyond the grid (pykan's zero and
    /// <see cref="KernelBeyondGrid.Smooth"/>'s continued windows), sum and multiplication nodes (any arity), any widths (layers
    /// past the emitter's unrolled 64 outputs take its loop over whole vectors and one masked vector, as emitted), on every
    /// host: where Vector256 is accelerated and AVX present it takes the compiled kernel's vector branches, elsewhere (ARM64,
    /// x64 without AVX2) their scalar branches (RuntimeShapedKernel.WithoutVectors.cs; tested in a child process without
    /// them, StandInWithoutVectorsTests).
    /// </summary>
    public static bool Supports(KernelSpec spec) => spec.SplineOrder is >= 0 and <= KernelSpec.MaxSplineOrder;

    /// <summary>The mirror of <paramref name="spec"/>, specialised to its spline order (the order is a JIT-time constant in every loop).</summary>
    public static RuntimeShapedKernel Create(KernelSpec spec) => spec.SplineOrder switch
    {
        0 => new RuntimeShapedKernel<SplineOrder0>(spec),
        1 => new RuntimeShapedKernel<SplineOrder1>(spec),
        2 => new RuntimeShapedKernel<SplineOrder2>(spec),
        3 => new RuntimeShapedKernel<SplineOrder3>(spec),
        4 => new RuntimeShapedKernel<SplineOrder4>(spec),
        5 => new RuntimeShapedKernel<SplineOrder5>(spec),
        6 => new RuntimeShapedKernel<SplineOrder6>(spec),
        7 => new RuntimeShapedKernel<SplineOrder7>(spec),
        _ => throw new ArgumentException($"The run-time-shaped kernel does not mirror {spec}.", nameof(spec)),
    };
}

/// <summary>The mirror for one spline order <typeparamref name="TOrder"/> (see <see cref="RuntimeShapedKernel"/>).</summary>
internal sealed partial class RuntimeShapedKernel<TOrder> : RuntimeShapedKernel
    where TOrder : struct, ISplineOrder
{
    private const int SampleBlock = 8;
    private const int LatticeStride = LatticeWindowEmitter.LatticeStride;

    // Counted interval search up to 8 four-wide compares (BatchKernelEmitter.MaxCountedChunks).
    private const int MaxCountedChunks = 8;

    private static readonly double[][] Pieces = LatticeWindowEmitter.CardinalPieces(Order);

    /// <summary>The spline order k: a constant in each instantiation, so loops over the window are unrolled as emitted.</summary>
    private static int Order => TOrder.K;

    /// <summary>BatchShape.Slots: the window's k + 1 slots rounded up to whole four-wide vectors.</summary>
    private static int Slots => (Order + 1 + 3) / 4 * 4;

    /// <summary>Doubles per knot interval in the polynomial table: k + 1 rows (powers of u) of <see cref="Slots"/>.</summary>
    private static int Block => (Order + 1) * Slots;

    private readonly KernelLayout _layout;
    private readonly int[] _w, _sub; // per layer: nodes (the edges' inputs), sub-nodes (where edges end)
    private readonly int _arity;
    private readonly KernelBaseFunction _baseFunction;
    private readonly int _depth, _g, _c, _intervals, _row, _phantom, _padded, _inputs, _outputs, _nodes, _inner, _edges;
    private readonly int _gradients, _bases, _baseSlopes, _windows, _windowSlopes, _scratchLength, _polynomialLength;
    private readonly int[] _foldCoefficients, _foldBase;
    private readonly int _foldedLength;
    private readonly bool _counted, _tableWindows;
    private readonly bool _continues; // KernelBeyondGrid.Smooth: windows continue along their slope beyond [t_k, t_{G+k}]
    private readonly int _chunks;
    private readonly ThreadLocal<Buffers> _buffers;
    private readonly int[] _diagonalHessianPairs, _fullHessianPairs;

    public RuntimeShapedKernel(KernelSpec spec)
        : base(spec)
    {
        if (spec.SplineOrder != Order)
        {
            throw new ArgumentException($"{spec} has spline order {spec.SplineOrder}, this mirror {Order}.", nameof(spec));
        }

        _layout = new KernelLayout(spec);
        _arity = spec.MultiplicationArity;
        _continues = spec.Continues;
        _baseFunction = spec.BaseFunction;
        var shape = new BatchKernelEmitter.BatchShape(_layout);
        _depth = spec.Depth;
        _w = NodeWidths(spec, sub: false);
        _sub = NodeWidths(spec, sub: true);
        _g = spec.GridSize;
        _c = _layout.CoefficientsPerEdge;
        _intervals = _layout.Intervals;
        _row = _layout.KnotRowLength;
        _phantom = _layout.PhantomKnots;
        _padded = _layout.PaddedKnotCount;
        _inputs = spec.Width(0);
        _outputs = spec.Width(_depth);
        _nodes = _layout.NodeCount;
        _inner = shape.Inner;
        _edges = _layout.EdgeCount;
        _gradients = shape.Gradients;
        _bases = shape.Bases;
        _baseSlopes = shape.BaseSlopes;
        _windows = shape.Windows;
        _windowSlopes = shape.WindowSlopes;
        _scratchLength = shape.Length;
        _polynomialLength = _inner * _intervals * Block;
        _foldCoefficients = new int[_depth];
        _foldBase = new int[_depth];
        int length = 0;
        for (int l = 0; l < _depth; l++)
        {
            _foldCoefficients[l] = length;
            length += spec.Width(l) * _c * spec.SubnodeWidth(l + 1);
            _foldBase[l] = length;
            length += spec.Width(l) * spec.SubnodeWidth(l + 1);
        }

        _foldedLength = length;
        _chunks = (_intervals - 1 + 3) / 4;
        _counted = _intervals > 1 && _chunks <= MaxCountedChunks && 4 * _chunks <= _intervals + _phantom;
        _tableWindows = BatchKernelEmitter.HasTableWindows(_layout);
        _buffers = new ThreadLocal<Buffers>(() => new Buffers(this));
        _diagonalHessianPairs = HessianEntryPairs(_inputs, SecondDerivatives.Diagonal);
        _fullHessianPairs = HessianEntryPairs(_inputs, SecondDerivatives.Full);
    }

    /// <inheritdoc/>
    public override int FoldedLength => _foldedLength;

    // ---- Checks. ----

    private void Check(int input, int output, int parameters, int knots, int masks)
    {
        if (input != _inputs || output < _outputs || parameters != _layout.ParameterCount || knots != _layout.KnotTableLength || masks != _edges)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, input, output, parameters, knots, masks);
        }
    }

    private void CheckKnotTable(int knots)
    {
        if (knots != _layout.KnotTableLength)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, _inputs, _outputs, _layout.ParameterCount, knots, _edges);
        }
    }

    private void CheckFoldBuffers(int parameters, int masks, int length)
    {
        if (parameters != _layout.ParameterCount || masks != _edges)
        {
            ThrowBufferMismatch(_inputs, _outputs, _layout.ParameterCount, _layout.KnotTableLength, _edges, _inputs, _outputs, parameters, _layout.KnotTableLength, masks);
        }

        if (length < _foldedLength)
        {
            ThrowFoldedMismatch(_foldedLength, length);
        }
    }

    /// <summary>One thread's buffers for this shape: the emitted kernel's thread-static ones, per instance.</summary>
    private sealed class Buffers
    {
        public Buffers(RuntimeShapedKernel<TOrder> kernel)
        {
            Folded = new AlignedBuffer(kernel._foldedLength);
            FoldedGradient = new AlignedBuffer(kernel._foldedLength);
            Scratch = new AlignedBuffer(SampleBlock * kernel._scratchLength);
            Starts = new int[SampleBlock * kernel._nodes];
            ForwardScratch = new double[kernel._scratchLength];
            ForwardStarts = new int[kernel._nodes];
            Nodes = new double[kernel._nodes];
            Polynomials = new double[kernel._polynomialLength + kernel._inner * LatticeStride];
            PolynomialKnots = new double[kernel._inner * kernel._padded];
            DerivativeStarts = new int[Math.Max(1, kernel._layout.NodeOffset[kernel._depth])];
        }

        public AlignedBuffer Folded { get; }

        public AlignedBuffer FoldedGradient { get; }

        public AlignedBuffer Scratch { get; }

        public int[] Starts { get; }

        public double[] ForwardScratch { get; }

        public int[] ForwardStarts { get; }

        public double[] Nodes { get; }

        public double[] Polynomials { get; }

        public double[] PolynomialKnots { get; }

        public bool PolynomialsValid { get; set; }

        /// <summary>Each inner node's basis window start in the input-derivative pass.</summary>
        public int[] DerivativeStarts { get; }

        private double[] _derivativeScratch = [];

        /// <summary>The input-derivative scratch, at least <paramref name="length"/> doubles (grown once per Hessian mode, then reused).</summary>
        public double[] DerivativeScratch(int length)
        {
            if (_derivativeScratch.Length < length)
            {
                _derivativeScratch = new double[length];
            }

            return _derivativeScratch;
        }
    }
}
