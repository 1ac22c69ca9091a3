using KanCompile.Engine;
using KanCompile.Splines;

namespace KanCompile.Symbolic.Discovery;

/// <summary>
/// A layered KAN whose edges are each a spline, a symbolic function or removed — the state the formula search
/// moves through. It evaluates, differentiates (for Levenberg–Marquardt) and trains only its own small parameter
/// vector, so trying a candidate costs a copy and a few solves instead of a model and a kernel.
/// Same math as the reference engine for spline edges (kan-math §2.4) and as pykan's ψ = c·f(a·x + b) + d.
/// </summary>
internal sealed class SearchNetwork
{
    private readonly SearchEdge[][] _edges;

    private SearchNetwork(int[] widths, int splineOrder, KanBaseFunction baseFunction, SearchEdge[][] edges)
    {
        Widths = widths;
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
        _edges = edges;
    }

    public int[] Widths { get; }

    public int Depth => Widths.Length - 1;

    public int SplineOrder { get; }

    public KanBaseFunction BaseFunction { get; }

    public int InputCount => Widths[0];

    public int OutputCount => Widths[^1];

    // Cached sizes; recomputed after an edge is replaced.
    private int _parameterCount = -1;
    private int _maxBasis;
    private int[] _layerParameterCounts = [];

    /// <summary>Edge (layer, input → output).</summary>
    public SearchEdge this[int layer, int input, int output]
    {
        get => _edges[layer][input * Widths[layer + 1] + output];
        set
        {
            _edges[layer][input * Widths[layer + 1] + output] = value;
            _parameterCount = -1;
        }
    }

    private void EnsureSizes()
    {
        if (_parameterCount >= 0)
        {
            return;
        }

        _layerParameterCounts = _edges.Select(layer => layer.Sum(edge => edge.ParameterCount)).ToArray();
        _parameterCount = _layerParameterCounts.Sum();
        _maxBasis = 1;
        foreach (var layer in _edges)
        {
            foreach (var edge in layer)
            {
                if (edge.Weights is { Length: var m } && m > _maxBasis)
                {
                    _maxBasis = m;
                }
            }
        }
    }

    /// <summary>Every edge as (layer, input, output), layer after layer in mask order.</summary>
    public IEnumerable<(int Layer, int Input, int Output)> Edges()
    {
        for (int l = 0; l < Depth; l++)
        {
            for (int i = 0; i < Widths[l]; i++)
            {
                for (int j = 0; j < Widths[l + 1]; j++)
                {
                    yield return (l, i, j);
                }
            }
        }
    }

    /// <summary>The spline network of a trained model (masked edges become zero edges; symbolic edges are not read).</summary>
    public static SearchNetwork FromModel(KanModel model)
    {
        var layout = model.Layout;
        int widthCount = model.Widths.Count;
        int[] widths = model.Widths.ToArray();
        int basisCount = layout.CoefficientsPerEdge;
        var edges = new SearchEdge[widthCount - 1][];
        ReadOnlySpan<double> parameters = model.ParameterBuffer;
        for (int l = 0; l < widthCount - 1; l++)
        {
            edges[l] = new SearchEdge[widths[l] * widths[l + 1]];
            for (int i = 0; i < widths[l]; i++)
            {
                double[] knots = model.GetKnots(l, i).ToArray();
                for (int j = 0; j < widths[l + 1]; j++)
                {
                    int e = i * widths[l + 1] + j;
                    double mask = model.GetMask(l, i, j);
                    if (mask == 0.0)
                    {
                        edges[l][e] = SearchEdge.Zero();
                        continue;
                    }

                    double scaleSpline = parameters[layout.ScaleSplineOffset[l] + e];
                    var weights = new double[basisCount];
                    for (int m = 0; m < basisCount; m++)
                    {
                        weights[m] = mask * scaleSpline * parameters[layout.CoefficientOffset[l] + e * basisCount + m];
                    }

                    edges[l][e] = SearchEdge.Spline(knots, weights, mask * parameters[layout.ScaleBaseOffset[l] + e]);
                }
            }
        }

        return new SearchNetwork(widths, model.SplineOrder, model.Architecture.BaseFunction, edges);
    }

    /// <summary>A one-input, one-output network of a single edge (to fit one function to samples).</summary>
    public static SearchNetwork SingleEdge(SearchEdge edge) => new([1, 1], 3, KanBaseFunction.SiLU, [[edge]]);

    /// <summary>This network with one more layer: a single output edge fed by its only output.</summary>
    public SearchNetwork AppendOutput(SearchEdge edge)
    {
        if (OutputCount != 1)
        {
            throw new InvalidOperationException("Only a single-output network can get an output edge appended.");
        }

        var edges = _edges.Select(layer => layer.Select(e => e.Copy()).ToArray()).Append([edge]).ToArray();
        return new SearchNetwork([.. Widths, 1], SplineOrder, BaseFunction, edges);
    }

    /// <summary>
    /// The product template: every edge of the last layer becomes x², with alternating signs, so the network
    /// computes Σ ±(u_j)² — a difference of squares, which holds any product of two inner functions.
    /// </summary>
    public void UseQuadraticOutputs(SymbolicFunction square)
    {
        int last = Depth - 1;
        for (int i = 0; i < Widths[last]; i++)
        {
            for (int j = 0; j < OutputCount; j++)
            {
                this[last, i, j] = SearchEdge.Symbolic(square, 1.0, 0.0, i % 2 == 0 ? 1.0 : -1.0, 0.0);
            }
        }
    }

    /// <summary>A deep copy (edges copied, knot rows shared read-only).</summary>
    public SearchNetwork Copy() =>
        new(Widths, SplineOrder, BaseFunction, _edges.Select(layer => layer.Select(edge => edge.Copy()).ToArray()).ToArray());

    /// <summary>Number of trainable values over all edges.</summary>
    public int ParameterCount
    {
        get
        {
            EnsureSizes();
            return _parameterCount;
        }
    }

    /// <summary>Edges that are still splines.</summary>
    public int SplineEdgeCount => _edges.Sum(layer => layer.Count(edge => edge.Kind == SearchEdgeKind.Spline));

    public void ReadParameters(Span<double> destination)
    {
        int offset = 0;
        foreach (var layer in _edges)
        {
            foreach (var edge in layer)
            {
                edge.Read(destination[offset..]);
                offset += edge.ParameterCount;
            }
        }
    }

    public void WriteParameters(ReadOnlySpan<double> source)
    {
        int offset = 0;
        foreach (var layer in _edges)
        {
            foreach (var edge in layer)
            {
                edge.Write(source[offset..]);
                offset += edge.ParameterCount;
            }
        }
    }

    /// <summary>Node values per layer (nodes[0] = the input) for one sample.</summary>
    public double[][] CreateNodeBuffers() => Widths.Select(w => new double[w]).ToArray();

    /// <summary>Forward pass of one sample; the outputs end up in nodes[Depth].</summary>
    public void Forward(ReadOnlySpan<double> input, double[][] nodes)
    {
        input.CopyTo(nodes[0]);
        Span<double> basis = stackalloc double[MaxBasis()];
        for (int l = 0; l < Depth; l++)
        {
            int outputs = Widths[l + 1];
            Array.Clear(nodes[l + 1]);
            for (int i = 0; i < Widths[l]; i++)
            {
                double x = nodes[l][i];
                for (int j = 0; j < outputs; j++)
                {
                    nodes[l + 1][j] += Value(_edges[l][i * outputs + j], x, basis);
                }
            }
        }
    }

    /// <summary>The edge's output at x.</summary>
    public double EdgeValue(int layer, int input, int output, double x)
    {
        Span<double> basis = stackalloc double[MaxBasis()];
        return Value(this[layer, input, output], x, basis);
    }

    /// <summary>
    /// Forward pass plus the gradient of output <paramref name="output"/> with respect to every trainable value
    /// (in <see cref="ReadParameters"/> order) into <paramref name="row"/>. Returns the output value.
    /// </summary>
    public double Gradient(ReadOnlySpan<double> input, int output, double[][] nodes, double[][] nodeGradients, Span<double> row)
    {
        Forward(input, nodes);
        row.Clear();
        for (int l = 0; l <= Depth; l++)
        {
            Array.Clear(nodeGradients[l]);
        }

        nodeGradients[Depth][output] = 1.0;
        int maxBasis = MaxBasis();
        Span<double> basis = stackalloc double[maxBasis];
        Span<double> slopes = stackalloc double[maxBasis];
        int end = ParameterCount;
        for (int l = Depth - 1; l >= 0; l--)
        {
            int outputs = Widths[l + 1];
            int layerCount = _layerParameterCounts[l];
            int offset = end - layerCount;
            end = offset;
            for (int i = 0; i < Widths[l]; i++)
            {
                double x = nodes[l][i];
                for (int j = 0; j < outputs; j++)
                {
                    var edge = _edges[l][i * outputs + j];
                    int count = edge.ParameterCount;
                    double upstream = nodeGradients[l + 1][j];
                    if (edge.Kind == SearchEdgeKind.Spline)
                    {
                        int m = edge.Weights!.Length;
                        BSplineBasis.Evaluate(x, edge.Knots, SplineOrder, basis[..m], slopes[..m]);
                        double residual = BaseFunctions.Value(BaseFunction, x);
                        row[offset] = upstream * residual;
                        double slope = edge.ScaleBase * BaseFunctions.Derivative(BaseFunction, x);
                        for (int k = 0; k < m; k++)
                        {
                            row[offset + 1 + k] = upstream * basis[k];
                            slope += edge.Weights[k] * slopes[k];
                        }

                        nodeGradients[l][i] += upstream * slope;
                    }
                    else if (edge.Kind == SearchEdgeKind.Symbolic)
                    {
                        double a = edge.Affine[0], b = edge.Affine[1], c = edge.Affine[2];
                        double u = a * x + b;
                        double f = edge.Function!.Evaluate(u);
                        double df = edge.Function.Derivative(u);
                        row[offset] = upstream * c * df * x;
                        row[offset + 1] = upstream * c * df;
                        row[offset + 2] = upstream * f;
                        row[offset + 3] = upstream;
                        nodeGradients[l][i] += upstream * c * df * a;
                    }

                    offset += count;
                }
            }
        }

        return nodes[Depth][output];
    }

    /// <summary>The layers of a fully symbolic network, for <see cref="SymbolicFormula.Compose"/>.</summary>
    public IReadOnlyList<SymbolicLayer> ToSymbolicLayers()
    {
        var layers = new List<SymbolicLayer>();
        for (int l = 0; l < Depth; l++)
        {
            var layer = new SymbolicLayer(Widths[l], Widths[l + 1]);
            for (int i = 0; i < Widths[l]; i++)
            {
                for (int j = 0; j < Widths[l + 1]; j++)
                {
                    var edge = this[l, i, j];
                    if (edge.Kind == SearchEdgeKind.Spline)
                    {
                        throw new InvalidOperationException($"Edge ({l},{i},{j}) is still a spline; only a fully symbolic network has a formula.");
                    }

                    if (edge.Kind == SearchEdgeKind.Symbolic)
                    {
                        layer.SetEdge(i, j, edge.Function!.Name, edge.Affine[0], edge.Affine[1], edge.Affine[2], edge.Affine[3]);
                    }
                }
            }

            layers.Add(layer);
        }

        return layers;
    }

    /// <summary>Sum of the complexities of the symbolic edges (pykan's c per function).</summary>
    public int Complexity => _edges.Sum(layer => layer.Where(e => e.Kind == SearchEdgeKind.Symbolic).Sum(e => e.Function!.Complexity));

    /// <summary>Function names per edge, "(l,i,j)=name", zero edges left out.</summary>
    public string Describe() => string.Join(" ", Edges()
        .Where(e => this[e.Layer, e.Input, e.Output].Kind != SearchEdgeKind.Zero)
        .Select(e => $"({e.Layer},{e.Input},{e.Output})={(this[e.Layer, e.Input, e.Output].Function?.Name ?? "spline")}"));

    private int MaxBasis()
    {
        EnsureSizes();
        return _maxBasis;
    }

    private double Value(SearchEdge edge, double x, Span<double> basis)
    {
        switch (edge.Kind)
        {
            case SearchEdgeKind.Spline:
                int m = edge.Weights!.Length;
                BSplineBasis.Evaluate(x, edge.Knots, SplineOrder, basis[..m]);
                double sum = edge.ScaleBase * BaseFunctions.Value(BaseFunction, x);
                for (int k = 0; k < m; k++)
                {
                    sum += edge.Weights[k] * basis[k];
                }

                return sum;
            case SearchEdgeKind.Symbolic:
                return edge.Affine[2] * edge.Function!.Evaluate(edge.Affine[0] * x + edge.Affine[1]) + edge.Affine[3];
            default:
                return 0.0;
        }
    }
}
