using KanCompile.Engine;

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

    private SearchNetwork(int[] widths, int[] multiplicationNodes, int arity, int splineOrder, KanBaseFunction baseFunction, SearchEdge[][] edges, KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan)
    {
        BeyondGrid = beyondGrid;
        AdditionWidths = widths;
        MultiplicationNodes = multiplicationNodes;
        MultiplicationArity = arity;
        Widths = widths.Select((w, l) => w + multiplicationNodes[l]).ToArray();
        SubnodeWidths = widths.Select((w, l) => w + arity * multiplicationNodes[l]).ToArray();
        SplineOrder = splineOrder;
        BaseFunction = baseFunction;
        _edges = edges;
    }

    /// <summary>Nodes per layer, addition plus multiplication (edge (l, i, j) starts at node i of layer l).</summary>
    public int[] Widths { get; }

    /// <summary>Addition nodes per layer (the model's widths).</summary>
    public int[] AdditionWidths { get; }

    /// <summary>Multiplication nodes per layer (all zero without them), as pykan's MultKAN.</summary>
    public int[] MultiplicationNodes { get; }

    /// <summary>Sub-nodes each multiplication node multiplies.</summary>
    public int MultiplicationArity { get; }

    /// <summary>Sub-nodes per layer: edge (l, i, j) ends at sub-node j of layer l + 1.</summary>
    public int[] SubnodeWidths { get; }

    /// <summary>True when some layer has multiplication nodes.</summary>
    public bool HasMultiplication => MultiplicationNodes.Any(m => m > 0);

    /// <summary>The widths as pykan prints them: n, or [n_sum,n_mult] for a layer with multiplication nodes.</summary>
    public string Shape => "[" + string.Join(",", AdditionWidths.Select((w, l) => MultiplicationNodes[l] == 0 ? $"{w}" : $"[{w},{MultiplicationNodes[l]}]")) + "]";

    public int Depth => Widths.Length - 1;

    public int SplineOrder { get; }

    public KanBaseFunction BaseFunction { get; }

    /// <summary>What the spline edges do beyond their grids (the model's <see cref="KanModel.BeyondGrid"/>).</summary>
    public KanBeyondGrid BeyondGrid { get; }

    public int InputCount => Widths[0];

    public int OutputCount => Widths[^1];

    // Cached sizes; recomputed after an edge is replaced.
    private int _parameterCount = -1;
    private int[] _layerParameterCounts = [];

    /// <summary>Edge (layer, input → output).</summary>
    public SearchEdge this[int layer, int input, int output]
    {
        get => _edges[layer][input * SubnodeWidths[layer + 1] + output];
        set
        {
            _edges[layer][input * SubnodeWidths[layer + 1] + output] = value;
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
    }

    /// <summary>Every edge as (layer, input, output), layer after layer in mask order.</summary>
    public IEnumerable<(int Layer, int Input, int Output)> Edges()
    {
        for (int l = 0; l < Depth; l++)
        {
            for (int i = 0; i < Widths[l]; i++)
            {
                for (int j = 0; j < SubnodeWidths[l + 1]; j++)
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
        int[] widths = model.NodeWidths.ToArray();
        int[] subnodes = model.SubnodeWidths.ToArray();
        int basisCount = layout.CoefficientsPerEdge;
        var edges = new SearchEdge[widthCount - 1][];
        ReadOnlySpan<double> parameters = model.ParameterBuffer;
        for (int l = 0; l < widthCount - 1; l++)
        {
            edges[l] = new SearchEdge[widths[l] * subnodes[l + 1]];
            for (int i = 0; i < widths[l]; i++)
            {
                double[] knots = model.GetKnots(l, i).ToArray();
                for (int j = 0; j < subnodes[l + 1]; j++)
                {
                    int e = i * subnodes[l + 1] + j;
                    double mask = model.GetMask(new KanEdge(l, i, j));
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

        return new SearchNetwork(model.Widths.ToArray(), model.MultiplicationNodes.ToArray(), model.MultiplicationArity, model.SplineOrder, model.Architecture.BaseFunction, edges, model.BeyondGrid);
    }

    /// <summary>
    /// Writes this network's spline edges back into the model it was read from (<see cref="FromModel"/>): each
    /// edge's weights (over its mask) become its coefficients with scale_sp = 1 (the model then computes what this network does);
    /// edges that are not splines are left alone.
    /// </summary>
    public void WriteSplinesTo(KanModel model)
    {
        var layout = model.Layout;
        int basisCount = layout.CoefficientsPerEdge;
        Span<double> parameters = model.Parameters;
        for (int l = 0; l < Depth; l++)
        {
            for (int e = 0; e < _edges[l].Length; e++)
            {
                var edge = _edges[l][e];
                double mask = model.MaskBuffer[layout.EdgeOffset[l] + e];
                if (edge.Kind != SearchEdgeKind.Spline || mask == 0.0)
                {
                    continue;
                }

                // FromModel folded mask·scale_sp into the weights and the mask into scale_base.
                var coefficients = parameters.Slice(layout.CoefficientOffset[l] + e * basisCount, basisCount);
                for (int m = 0; m < basisCount; m++)
                {
                    coefficients[m] = edge.Weights![m] / mask;
                }

                parameters[layout.ScaleSplineOffset[l] + e] = 1.0;
                parameters[layout.ScaleBaseOffset[l] + e] = edge.ScaleBase / mask;
            }
        }
    }

    /// <summary>A one-input, one-output network of a single edge (to fit one function to samples).</summary>
    public static SearchNetwork SingleEdge(SearchEdge edge) => new([1, 1], [0, 0], 2, 3, KanBaseFunction.SiLU, [[edge]]);

    /// <summary>This network with one more layer: a single output edge fed by its only output.</summary>
    public SearchNetwork AppendOutput(SearchEdge edge)
    {
        if (OutputCount != 1)
        {
            throw new InvalidOperationException("Only a single-output network can get an output edge appended.");
        }

        var edges = _edges.Select(layer => layer.Select(e => e.Copy()).ToArray()).Append([edge]).ToArray();
        return new SearchNetwork([.. AdditionWidths, 1], [.. MultiplicationNodes, 0], MultiplicationArity, SplineOrder, BaseFunction, edges, BeyondGrid);
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
            for (int j = 0; j < SubnodeWidths[Depth]; j++)
            {
                this[last, i, j] = SearchEdge.Symbolic(square, 1.0, 0.0, i % 2 == 0 ? 1.0 : -1.0, 0.0);
            }
        }
    }

    /// <summary>A deep copy (edges copied, knot rows shared read-only).</summary>
    public SearchNetwork Copy() =>
        new(AdditionWidths, MultiplicationNodes, MultiplicationArity, SplineOrder, BaseFunction, _edges.Select(layer => layer.Select(edge => edge.Copy()).ToArray()).ToArray(), BeyondGrid);

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

    /// <summary>
    /// Per layer, the node values followed by the sub-node values (nodes[l][Widths[l] + j] is sub-node j); the
    /// outputs are nodes[Depth][0..OutputCount). Gradient buffers have the same layout.
    /// </summary>
    public double[][] CreateNodeBuffers() => Widths.Select((w, l) => new double[w + SubnodeWidths[l]]).ToArray();

    /// <summary>Sub-node <paramref name="subnode"/> of layer <paramref name="layer"/> in buffers filled by <see cref="Forward(ReadOnlySpan{double}, double[][])"/>.</summary>
    public double Subnode(double[][] nodes, int layer, int subnode) => nodes[layer][Widths[layer] + subnode];

    /// <summary>Forward pass of one sample; the outputs end up in nodes[Depth].</summary>
    public void Forward(ReadOnlySpan<double> input, double[][] nodes) => Forward(input, nodes, null, 0);

    /// <summary>
    /// Forward pass of row <paramref name="row"/> of the rows <paramref name="terms"/> were resolved on
    /// (<see cref="InputTerms"/>): first-layer spline edges read their cached basis instead of recomputing it.
    /// Same values as <see cref="Forward(ReadOnlySpan{double}, double[][])"/>, bit for bit.
    /// </summary>
    public void Forward(SearchRows rows, int row, InputSplineTerms?[] terms, double[][] nodes) => Forward(rows.Row(row), nodes, terms, row);

    /// <summary>
    /// Per first-layer edge, the rows' cached spline terms of its input (null for edges that are not splines).
    /// Resolve once per pass over the rows: it depends on which edges are splines.
    /// </summary>
    public InputSplineTerms?[] InputTerms(SearchRows rows)
    {
        int outputs = SubnodeWidths[1];
        var terms = new InputSplineTerms?[_edges[0].Length];
        for (int i = 0; i < Widths[0]; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                var edge = _edges[0][i * outputs + j];
                if (edge.Kind == SearchEdgeKind.Spline)
                {
                    terms[i * outputs + j] = rows.InputTerms(i, edge.Knots!, SplineOrder, BaseFunction, BeyondGrid);
                }
            }
        }

        return terms;
    }

    private void Forward(ReadOnlySpan<double> input, double[][] nodes, InputSplineTerms?[]? terms, int row)
    {
        input.CopyTo(nodes[0]);
        input.CopyTo(nodes[0].AsSpan(Widths[0]));
        Span<double> window = stackalloc double[SplineOrder + 1];
        for (int l = 0; l < Depth; l++)
        {
            int outputs = SubnodeWidths[l + 1];
            var next = nodes[l + 1];
            var subnodes = next.AsSpan(Widths[l + 1], outputs);
            subnodes.Clear();
            var layerTerms = l == 0 ? terms : null;
            for (int i = 0; i < Widths[l]; i++)
            {
                double x = nodes[l][i];
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    subnodes[j] += layerTerms?[e] is { } cached ? CachedSplineValue(_edges[l][e], cached, row) : Value(_edges[l][e], x, window);
                }
            }

            CombineSubnodes(l + 1, next);
        }
    }

    /// <summary>Returned by <see cref="WindowStart"/> when x is outside the knots (every basis function is 0; pykan's behaviour).</summary>
    internal const int OutsideKnots = int.MinValue;

    /// <summary>
    /// The order + 1 basis values (and slopes, unless <paramref name="slopes"/> is empty) that can be non-zero at x,
    /// bit-identical to the dense recursion (<see cref="Splines.BasisWindow"/>); returns the index of values[0], or
    /// <see cref="OutsideKnots"/>.
    /// </summary>
    internal static int WindowStart(double x, double[] knots, int order, Span<double> values, Span<double> slopes, KanBeyondGrid beyondGrid = KanBeyondGrid.Pykan) =>
        Splines.BasisWindow.Evaluate(x, knots, order, beyondGrid, values, slopes, out int first) ? first : OutsideKnots;

    /// <summary>A first-layer spline edge's value from its input's cached window (the dense sum without its zero terms).</summary>
    private static double CachedSplineValue(SearchEdge edge, InputSplineTerms terms, int row)
    {
        double sum = edge.ScaleBase * terms.Residual[row];
        int first = terms.First[row];
        if (first == OutsideKnots)
        {
            return sum;
        }

        var weights = edge.Weights!;
        int width = terms.Order + 1;
        int start = Math.Max(0, -first), end = Math.Min(width, weights.Length - first);
        var values = terms.Values.AsSpan(row * width, width);
        for (int t = start; t < end; t++)
        {
            sum += weights[first + t] * values[t];
        }

        return sum;
    }

    /// <summary>Node values from sub-node values: addition nodes copy theirs, multiplication node m multiplies the arity sub-nodes it owns.</summary>
    private void CombineSubnodes(int layer, double[] buffer)
    {
        int sums = AdditionWidths[layer], offset = Widths[layer];
        for (int n = 0; n < sums; n++)
        {
            buffer[n] = buffer[offset + n];
        }

        for (int m = 0; m < MultiplicationNodes[layer]; m++)
        {
            double product = 1.0;
            for (int k = 0; k < MultiplicationArity; k++)
            {
                product *= buffer[offset + sums + m * MultiplicationArity + k];
            }

            buffer[sums + m] = product;
        }
    }

    /// <summary>Sub-node gradients of layer <paramref name="layer"/> from its node gradients (the product rule for multiplication nodes).</summary>
    private void SplitNodeGradients(int layer, double[] nodes, double[] gradients)
    {
        int sums = AdditionWidths[layer], offset = Widths[layer];
        for (int n = 0; n < sums; n++)
        {
            gradients[offset + n] = gradients[n];
        }

        for (int m = 0; m < MultiplicationNodes[layer]; m++)
        {
            int first = offset + sums + m * MultiplicationArity;
            for (int k = 0; k < MultiplicationArity; k++)
            {
                // The product of the other factors (not node / factor: a factor may be 0).
                double others = gradients[sums + m];
                for (int q = 0; q < MultiplicationArity; q++)
                {
                    if (q != k)
                    {
                        others *= nodes[first + q];
                    }
                }

                gradients[first + k] = others;
            }
        }
    }

    /// <summary>The edge's output at x.</summary>
    public double EdgeValue(int layer, int input, int output, double x)
    {
        Span<double> window = stackalloc double[SplineOrder + 1];
        return Value(this[layer, input, output], x, window);
    }

    /// <summary>
    /// Forward pass plus the gradient of output <paramref name="output"/> with respect to every trainable value
    /// (in <see cref="ReadParameters"/> order) into <paramref name="row"/>. Returns the output value.
    /// </summary>
    public double Gradient(ReadOnlySpan<double> input, int output, double[][] nodes, double[][] nodeGradients, Span<double> row)
    {
        Forward(input, nodes, null, 0);
        return Backward(output, nodes, nodeGradients, row, null, 0);
    }

    /// <summary><see cref="Gradient(ReadOnlySpan{double}, int, double[][], double[][], Span{double})"/> of a row of the rows <paramref name="terms"/> were resolved on.</summary>
    public double Gradient(SearchRows rows, int sample, InputSplineTerms?[] terms, int output, double[][] nodes, double[][] nodeGradients, Span<double> row)
    {
        Forward(rows.Row(sample), nodes, terms, sample);
        return Backward(output, nodes, nodeGradients, row, terms, sample);
    }

    private double Backward(int output, double[][] nodes, double[][] nodeGradients, Span<double> row, InputSplineTerms?[]? terms, int sample)
    {
        row.Clear();
        for (int l = 0; l <= Depth; l++)
        {
            Array.Clear(nodeGradients[l]);
        }

        nodeGradients[Depth][output] = 1.0;
        int width = SplineOrder + 1;
        Span<double> window = stackalloc double[width];
        Span<double> slopes = stackalloc double[width];
        int end = ParameterCount;
        for (int l = Depth - 1; l >= 0; l--)
        {
            int outputs = SubnodeWidths[l + 1];
            int subnodeOffset = Widths[l + 1];
            SplitNodeGradients(l + 1, nodes[l + 1], nodeGradients[l + 1]);
            int layerCount = _layerParameterCounts[l];
            int offset = end - layerCount;
            end = offset;

            // Nothing reads the inputs' gradients: the first layer skips the x-derivatives.
            bool inputLayer = l == 0;
            for (int i = 0; i < Widths[l]; i++)
            {
                double x = nodes[l][i];
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    var edge = _edges[l][e];
                    int count = edge.ParameterCount;
                    double upstream = nodeGradients[l + 1][subnodeOffset + j];
                    if (edge.Kind == SearchEdgeKind.Spline)
                    {
                        var weights = edge.Weights!;
                        int first;
                        double residual;
                        if (inputLayer && terms?[e] is { } cached)
                        {
                            first = cached.First[sample];
                            residual = cached.Residual[sample];
                            cached.Values.AsSpan(sample * width, width).CopyTo(window);
                        }
                        else
                        {
                            first = WindowStart(x, edge.Knots!, SplineOrder, window, inputLayer ? default : slopes, BeyondGrid);
                            residual = BaseFunctions.Value(BaseFunction, x);
                        }

                        row[offset] = upstream * residual;
                        double slope = inputLayer ? 0.0 : edge.ScaleBase * BaseFunctions.Derivative(BaseFunction, x);
                        if (first != OutsideKnots)
                        {
                            int start = Math.Max(0, -first), stop = Math.Min(width, weights.Length - first);
                            for (int t = start; t < stop; t++)
                            {
                                row[offset + 1 + first + t] = upstream * window[t];
                                if (!inputLayer)
                                {
                                    slope += weights[first + t] * slopes[t];
                                }
                            }
                        }

                        if (!inputLayer)
                        {
                            nodeGradients[l][i] += upstream * slope;
                        }
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
                        if (!inputLayer)
                        {
                            nodeGradients[l][i] += upstream * c * df * a;
                        }
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
            var layer = new SymbolicLayer(Widths[l], AdditionWidths[l + 1], MultiplicationNodes[l + 1], MultiplicationArity);
            for (int i = 0; i < Widths[l]; i++)
            {
                for (int j = 0; j < SubnodeWidths[l + 1]; j++)
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

    private double Value(SearchEdge edge, double x, Span<double> window)
    {
        switch (edge.Kind)
        {
            case SearchEdgeKind.Spline:
                var weights = edge.Weights!;
                int first = WindowStart(x, edge.Knots!, SplineOrder, window, default, BeyondGrid);
                double sum = edge.ScaleBase * BaseFunctions.Value(BaseFunction, x);
                if (first != OutsideKnots)
                {
                    int start = Math.Max(0, -first), end = Math.Min(window.Length, weights.Length - first);
                    for (int t = start; t < end; t++)
                    {
                        sum += weights[first + t] * window[t];
                    }
                }

                return sum;
            case SearchEdgeKind.Symbolic:
                return edge.Affine[2] * edge.Function!.Evaluate(edge.Affine[0] * x + edge.Affine[1]) + edge.Affine[3];
            default:
                return 0.0;
        }
    }
}
