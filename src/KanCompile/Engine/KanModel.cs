using System.Runtime.CompilerServices;
using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Splines;

namespace KanCompile;

/// <summary>
/// State and workflow shared by every KAN: generated models (<see cref="KanModelAttribute"/>) and
/// <see cref="KanNetwork"/>. It owns the flat buffers a kernel reads — trainable parameters, knots
/// (one knot vector per input node of every layer, so adaptive grids work) and edge masks — and the kernel
/// for the current grid. Training, grid updates, pruning and export build on these members.
/// </summary>
public abstract partial class KanModel : IKanModel
{
    private double[] _parameters;
    private double[] _knots;
    private double[] _knotTable;
    private readonly double[] _masks;
    private KernelLayout _layout;
    private System.Collections.ObjectModel.ReadOnlyCollection<KanEdge>? _edges;
    private KanKernel _kernel;

    /// <summary>Builds the model and initialises it as pykan 0.2 does (kan-math §2.5).</summary>
    protected KanModel(KanArchitecture architecture, int seed)
        : this(architecture, seed, KanEngine.Compiled)
    {
    }

    /// <summary>Builds the model with an explicit engine choice (the reference engine for <see cref="KanNetwork"/> oracles).</summary>
    private protected KanModel(KanArchitecture architecture, int seed, KanEngine engine)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (!Enum.IsDefined(engine))
        {
            throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine; use KanEngine.Compiled or KanEngine.Reference.");
        }

        Architecture = architecture;
        Seed = seed;
        Engine = engine;
        GridSize = architecture.GridSize;
        _layout = new KernelLayout(architecture.KernelSpecFor(GridSize));
        _parameters = new double[_layout.ParameterCount];
        _masks = new double[_layout.EdgeCount];
        double[] uniform = KnotVector.Uniform(GridSize, SplineOrder, architecture.GridMin, architecture.GridMax);
        _knots = new double[_layout.NodeOffset[Depth] * _layout.KnotCount];
        for (int node = 0; node < _layout.NodeOffset[Depth]; node++)
        {
            uniform.CopyTo(_knots, node * _layout.KnotCount);
        }

        _knotTable = BuildKnotTable(_layout, _knots);
        KanInitializer.Initialize(_layout, _knots, seed, _parameters, _masks);
        _kernel = ResolveKernel(GridSize);
    }

    /// <summary>The fixed description of this model.</summary>
    public KanArchitecture Architecture { get; }

    /// <summary>The seed the parameters were initialised from.</summary>
    public int Seed { get; }

    /// <summary>
    /// Which code computes grids without a generated kernel: kernels compiled on demand
    /// (<see cref="KanEngine.Compiled"/>, the default) or the reference engine.
    /// </summary>
    public KanEngine Engine { get; }

    /// <summary>Number of inputs.</summary>
    public int InputCount => Architecture.Widths[0];

    /// <summary>Number of outputs.</summary>
    public int OutputCount => Architecture.Widths[Depth];

    /// <summary>Node counts per layer, inputs first.</summary>
    public IReadOnlyList<int> Widths => Architecture.Widths;

    /// <summary>Number of layers of edges.</summary>
    public int Depth => Architecture.Depth;

    /// <summary>Current number of grid intervals G.</summary>
    public int GridSize { get; private set; }

    /// <summary>Spline order k.</summary>
    public int SplineOrder => Architecture.SplineOrder;

    /// <summary>Residual function b(x).</summary>
    public KanBaseFunction BaseFunction => Architecture.BaseFunction;

    /// <summary>What the splines do for inputs beyond the grid's real range (docs/grids.md).</summary>
    public KanBeyondGrid BeyondGrid => Architecture.BeyondGrid;

    /// <summary>Number of trainable parameters.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>
    /// Every trainable parameter, layer after layer: <c>coef[in][out][G+k]</c>, <c>scale_base[in][out]</c>,
    /// <c>scale_sp[in][out]</c>. Writes go straight into the model.
    /// </summary>
    public Span<double> Parameters => _parameters;

    /// <summary>The extended knot vector (G+2k+1 knots) of input node <paramref name="node"/> of layer <paramref name="layer"/>.</summary>
    public ReadOnlySpan<double> GetKnots(int layer, int node)
    {
        CheckNode(layer, node);
        return _knots.AsSpan((_layout.NodeOffset[layer] + node) * _layout.KnotCount, _layout.KnotCount);
    }

    /// <summary>Every edge, layer by layer, input-major (the order of the kernels' edge tables).</summary>
    /// <remarks>The shape never changes after construction (pruning returns a new model), so the list is built once.</remarks>
    public IReadOnlyList<KanEdge> Edges => _edges ??= Array.AsReadOnly(BuildEdges());

    private KanEdge[] BuildEdges()
    {
        var edges = new KanEdge[Layout.EdgeCount];
        int e = 0;
        for (int l = 0; l < Depth; l++)
        {
            for (int i = 0; i < NodeWidths[l]; i++)
            {
                for (int j = 0; j < SubnodeWidths[l + 1]; j++)
                {
                    edges[e++] = new KanEdge(l, i, j);
                }
            }
        }

        return edges;
    }

    /// <summary>Mask of <paramref name="edge"/> (1 live, 0 pruned).</summary>
    public double GetMask(KanEdge edge) => _masks[EdgeIndex(edge)];

    /// <summary>Sets the mask of one edge (0 removes it, 1 restores it).</summary>
    public void SetMask(KanEdge edge, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A mask must be finite.");
        }

        _masks[EdgeIndex(edge)] = value;
    }

    /// <summary>Evaluates a row-major batch, in parallel when it is large.</summary>
    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs)
    {
        int inputCount = InputCount, outputCount = OutputCount;
        int count = SampleBatch.Count(inputs, inputCount, nameof(inputs), minSamples: 0);
        if (outputs.Length < count * outputCount)
        {
            throw new ArgumentException($"The output span has {outputs.Length} values; {count} samples need {count * outputCount}.", nameof(outputs));
        }

        long work = (long)count * (_layout.EdgeCount * (SplineOrder + 1) + _layout.NodeCount * 8);
        if (work < ParallelWorkThreshold || Environment.ProcessorCount == 1)
        {
            Kernel.ForwardBatch(inputs.Slice(0, count * inputCount), outputs.Slice(0, count * outputCount), count, _parameters, _knotTable, _masks);
            return;
        }

        unsafe
        {
            fixed (double* input = inputs)
            fixed (double* output = outputs)
            {
                PredictParallel(input, output, count);
            }
        }
    }

    private unsafe void PredictParallel(double* input, double* output, int count)
    {
        int chunks = Math.Min(count, Environment.ProcessorCount * 4);
        int inputCount = InputCount, outputCount = OutputCount;
        var kernel = Kernel;
        double[] parameters = _parameters, knots = _knotTable, masks = _masks;
        nint inputAddress = (nint)input, outputAddress = (nint)output;
        Parallel.For(0, chunks, chunk =>
        {
            int from = (int)((long)count * chunk / chunks), to = (int)((long)count * (chunk + 1) / chunks);
            var x = new ReadOnlySpan<double>((double*)inputAddress + (long)from * inputCount, (to - from) * inputCount);
            var y = new Span<double>((double*)outputAddress + (long)from * outputCount, (to - from) * outputCount);
            kernel.ForwardBatch(x, y, to - from, parameters, knots, masks);
        });
    }

    /// <summary>Work (multiply-adds, roughly) above which <see cref="Predict"/> uses all cores.</summary>
    private const long ParallelWorkThreshold = 200_000;

    /// <summary>The kernel for the current grid: the mixed spline + symbolic kernel while symbolic edges are live.</summary>
    protected internal KanKernel Kernel => _symbolicKernel ?? _kernel;

    /// <summary>The parameter buffer the kernels read.</summary>
    protected internal double[] ParameterBuffer => _parameters;

    /// <summary>The phantom-padded knot table the kernels read.</summary>
    protected internal double[] KnotTable => _knotTable;

    /// <summary>The edge masks the kernels read.</summary>
    protected internal double[] MaskBuffer => _masks;

    internal KernelLayout Layout => _layout;

    /// <summary>
    /// A kernel compiled ahead of time for <paramref name="gridSize"/>, or null. Generated models return
    /// their generated kernels; the runtime supplies one for any other grid.
    /// </summary>
    protected virtual KanKernel? GetCompiledKernel(int gridSize) => null;

    /// <summary>The kernel this model's class was generated with for <paramref name="gridSize"/>, or null.</summary>
    internal KanKernel? DeclaredKernel(int gridSize) => GetCompiledKernel(gridSize);

    /// <inheritdoc/>
    public virtual void Forward(ReadOnlySpan<double> input, Span<double> output)
    {
        CheckForward(input.Length, output.Length);
        Kernel.Forward(input, output, ParameterBuffer, KnotTable, MaskBuffer);
    }

    /// <inheritdoc/>
    public virtual void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient)
    {
        CheckBackward(input.Length, outputGradient.Length, parameterGradient.Length, inputGradient.Length);
        Kernel.Backward(input, outputGradient, false, 0.0, ParameterBuffer, KnotTable, MaskBuffer, parameterGradient, inputGradient, default);
    }

    /// <summary>Throws a clear exception when a Forward call's spans do not fit the model.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CheckForward(int inputLength, int outputLength)
    {
        if (inputLength != InputCount || outputLength < OutputCount)
        {
            ThrowShape(inputLength, outputLength);
        }
    }

    /// <summary>Throws a clear exception when a Backward call's spans do not fit the model.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CheckBackward(int inputLength, int outputGradientLength, int parameterGradientLength, int inputGradientLength)
    {
        if (inputLength != InputCount || outputGradientLength != OutputCount || parameterGradientLength != _parameters.Length
            || (inputGradientLength != 0 && inputGradientLength != InputCount))
        {
            ThrowBackwardShape(inputLength, outputGradientLength, parameterGradientLength, inputGradientLength);
        }
    }

    /// <summary>
    /// Replaces the grid (and with it the parameter vector) — the seam for grid updates and refinement.
    /// <paramref name="knots"/> holds one extended knot vector per input node of every layer.
    /// </summary>
    internal void ReplaceGrid(int gridSize, double[] knots, double[] parameters)
    {
        var layout = new KernelLayout(Architecture.KernelSpecFor(gridSize));
        if (knots.Length != layout.NodeOffset[Depth] * layout.KnotCount || parameters.Length != layout.ParameterCount)
        {
            throw new ArgumentException("Knot or parameter buffer does not match the new grid.");
        }

        _layout = layout;
        _knots = knots;
        _knotTable = BuildKnotTable(layout, knots);
        _parameters = parameters;
        GridSize = gridSize;
        _kernel = ResolveKernel(gridSize);
        RefreshSymbolicKernel();
    }

    /// <summary>The real knots of every input node, as one buffer ([layer][node][G+2k+1]).</summary>
    internal ReadOnlySpan<double> KnotBuffer => _knots;

    private KanKernel ResolveKernel(int gridSize) =>
        (Engine == KanEngine.Compiled ? GetCompiledKernel(gridSize) : null)
        ?? KernelProvider.Resolve(Architecture.KernelSpecFor(gridSize), Engine);

    private static double[] BuildKnotTable(KernelLayout layout, double[] knots) => Generators.Emit.KnotTable.Build(layout, knots);

    /// <summary>The edge's index in the kernel's edge (and mask) order, after checking it exists.</summary>
    internal int EdgeIndex(KanEdge edge)
    {
        int inLayer = edge.IndexInLayer(NodeWidths, SubnodeWidths, nameof(edge));
        return _layout.MaskOffset[edge.Layer] + inLayer;
    }

    private void CheckNode(int layer, int node)
    {
        if ((uint)layer >= (uint)Depth)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has {Depth} layers of edges.");
        }

        if ((uint)node >= (uint)NodeWidths[layer])
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Layer {layer} has {NodeWidths[layer]} input nodes.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowShape(int inputLength, int outputLength)
    {
        if (inputLength != InputCount)
        {
            throw new ArgumentException($"The input has {inputLength} values but the model has {InputCount} inputs.", "input");
        }

        throw new ArgumentException($"The output span has {outputLength} values but the model has {OutputCount} outputs.", "output");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBackwardShape(int inputLength, int outputGradientLength, int parameterGradientLength, int inputGradientLength)
    {
        if (inputLength != InputCount)
        {
            throw new ArgumentException($"The input has {inputLength} values but the model has {InputCount} inputs.", "input");
        }

        if (outputGradientLength != OutputCount)
        {
            throw new ArgumentException($"The output gradient has {outputGradientLength} values but the model has {OutputCount} outputs.", "outputGradient");
        }

        if (parameterGradientLength != _parameters.Length)
        {
            throw new ArgumentException($"The parameter gradient has {parameterGradientLength} values but the model has {_parameters.Length} parameters.", "parameterGradient");
        }

        throw new ArgumentException($"The input gradient has {inputGradientLength} values; pass {InputCount} values or an empty span.", "inputGradient");
    }
}
