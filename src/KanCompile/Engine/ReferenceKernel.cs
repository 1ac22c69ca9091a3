using KanCompile.Compilation;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Splines;

namespace KanCompile.Engine;

/// <summary>
/// The reference engine's kernel: kan-math §2.2–2.4 written for clarity over speed. Every edge evaluates
/// all G+k basis functions with pykan's recursion (<see cref="BSplineBasis"/>, continued beyond the grid when the
/// spec says so) and gradients follow the chain rule edge by edge; multiplication nodes follow <see cref="MultiplicationStep"/>. Generated kernels must
/// agree with it to ~1e-12.
/// </summary>
internal sealed partial class ReferenceKernel : KanKernel
{
    private readonly KernelLayout _layout;

    public ReferenceKernel(KernelSpec spec)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)spec.BaseFunction)
    {
        _layout = new KernelLayout(spec);
    }

    internal KernelLayout Layout => _layout;

    public override void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        CheckBuffers(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        ForwardEdges(input, output, parameters, knots, masks, default);
    }

    public override void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        if (nodeValues.Length != _layout.NodeCount || edgeValues.Length != _layout.EdgeCount || splineValues.Length != _layout.EdgeCount)
        {
            ThrowTraceMismatch(_layout.NodeCount, _layout.EdgeCount, nodeValues.Length, edgeValues.Length, splineValues.Length);
        }

        TraceEdges(input, parameters, knots, masks, default, nodeValues, edgeValues, splineValues, default);
    }

    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        CheckBuffers(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        CheckGradients(parameterGradient.Length, inputGradient.Length, in statistics);
        return BackwardEdges(input, target, targetIsLabel, scale, parameters, knots, masks, default, parameterGradient, default, inputGradient, in statistics);
    }

    /// <summary>Forward pass; <paramref name="symbolic"/> is default (no symbolic branch) for the plain entry points.</summary>
    private void ForwardEdges(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        var nodes = new double[_layout.NodeCount];
        var edges = new double[_layout.EdgeCount];
        var splines = new double[_layout.EdgeCount];
        TraceEdges(input, parameters, knots, masks, in symbolic, nodes, edges, splines, default);
        nodes.AsSpan(_layout.NodeOffset[_layout.Spec.Depth], OutputCount).CopyTo(output);
    }

    /// <summary>
    /// Every node, edge (φ) and unscaled spline value, edge by edge: the node sums φ + ψ, where ψ is the symbolic
    /// branch (0 on numeric edges and when <paramref name="symbolic"/> is default); ψ goes to
    /// <paramref name="symbolicValues"/> when that is not empty.
    /// </summary>
    private void TraceEdges(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        nodeValues.Clear();
        input.CopyTo(nodeValues);
        var basis = new double[_layout.CoefficientsPerEdge];
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                double x = nodeValues[_layout.NodeOffset[l] + i];
                BSplineBasis.Evaluate(x, KnotRow(knots, l, i), SplineOrder, BeyondGrid, basis);
                double residual = BaseFunctions.Value(BaseFunction, x);
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    int edge = _layout.EdgeOffset[l] + e;
                    double spline = Dot(parameters.Slice(_layout.CoefficientOffset[l] + e * _layout.CoefficientsPerEdge, _layout.CoefficientsPerEdge), basis);
                    double phi = masks[_layout.MaskOffset[l] + e]
                        * (parameters[_layout.ScaleBaseOffset[l] + e] * residual + parameters[_layout.ScaleSplineOffset[l] + e] * spline);
                    double psi = SymbolicValue(in symbolic, edge, x, out _, out _);
                    splineValues[edge] = spline;
                    edgeValues[edge] = phi;
                    if (!symbolicValues.IsEmpty)
                    {
                        symbolicValues[edge] = psi;
                    }

                    nodeValues[_layout.SubnodeOffset[l + 1] + j] += phi + psi;
                }
            }

            MultiplicationStep.Forward(_layout, l + 1, nodeValues);
        }
    }

    /// <summary>
    /// Chain rule edge by edge, from the outputs back: each edge passes dL/d(node) to its numeric branch φ (plus any
    /// statistic term, which acts on φ alone) and, where it has one, to its symbolic branch ψ (affine gradients into
    /// <paramref name="affineGradient"/> when that is not empty).
    /// </summary>
    private double BackwardEdges(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        var nodes = new double[_layout.NodeCount];
        var edges = new double[_layout.EdgeCount];
        var splines = new double[_layout.EdgeCount];
        TraceEdges(input, parameters, knots, masks, in symbolic, nodes, edges, splines, default);

        // dL/d(node) for every node, filled from the outputs backwards.
        var gradient = new double[_layout.NodeCount];
        int depth = _layout.Spec.Depth;
        double squaredError = OutputGradient(nodes, target, targetIsLabel, scale, gradient);

        var basis = new double[_layout.CoefficientsPerEdge];
        var basisSlope = new double[_layout.CoefficientsPerEdge];
        for (int l = depth - 1; l >= 0; l--)
        {
            // Sub-node gradients of layer l+1 from its node gradients (product rule at multiplication nodes).
            MultiplicationStep.Backward(_layout, l + 1, nodes, gradient);
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                int node = _layout.NodeOffset[l] + i;
                double x = nodes[node];
                BSplineBasis.Evaluate(x, KnotRow(knots, l, i), SplineOrder, BeyondGrid, basis, basisSlope);
                double residual = BaseFunctions.Value(BaseFunction, x);
                double residualSlope = BaseFunctions.Derivative(BaseFunction, x);
                double dx = 0.0;
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    int edge = _layout.EdgeOffset[l] + e;
                    int coefficients = _layout.CoefficientOffset[l] + e * _layout.CoefficientsPerEdge;
                    double mask = masks[_layout.MaskOffset[l] + e];
                    double scaleBase = parameters[_layout.ScaleBaseOffset[l] + e];
                    double scaleSpline = parameters[_layout.ScaleSplineOffset[l] + e];
                    double splineSlope = Dot(parameters.Slice(coefficients, _layout.CoefficientsPerEdge), basisSlope);
                    double dNode = gradient[_layout.SubnodeOffset[l + 1] + j];

                    // dL/dφ: what flows from the node the edge feeds, plus any statistic term on the edge itself.
                    double dPhi = dNode;
                    if (statistics.IsActive)
                    {
                        dPhi += statistics.EdgeWeight[edge] * (edges[edge] - statistics.EdgeMean[edge]);
                    }

                    // φ = mask · (scale_base · b(x) + scale_sp · Σ c_m B_m(x))
                    parameterGradient[_layout.ScaleBaseOffset[l] + e] += dPhi * mask * residual;
                    parameterGradient[_layout.ScaleSplineOffset[l] + e] += dPhi * mask * splines[edge];
                    for (int m = 0; m < _layout.CoefficientsPerEdge; m++)
                    {
                        parameterGradient[coefficients + m] += dPhi * mask * scaleSpline * basis[m];
                    }

                    dx += dPhi * mask * (scaleBase * residualSlope + scaleSpline * splineSlope);

                    // ψ = smask · (c · f(a·x + b) + d), on symbolic edges only.
                    if (HasSymbolicBranch(in symbolic, edge))
                    {
                        dx += SymbolicBackward(in symbolic, edge, x, dNode, affineGradient);
                    }
                }

                if (statistics.IsActive)
                {
                    dx += statistics.NodeWeight[node] * (x - statistics.NodeMean[node]);
                }

                gradient[node] = dx;
            }
        }

        if (!inputGradient.IsEmpty)
        {
            gradient.AsSpan(0, InputCount).CopyTo(inputGradient);
        }

        return squaredError;
    }

    private void CheckGradients(int parameterGradient, int inputGradient, in EdgeStatisticGradient statistics)
    {
        if (parameterGradient != _layout.ParameterCount || (inputGradient != 0 && inputGradient != InputCount))
        {
            ThrowGradientMismatch(_layout.ParameterCount, InputCount, parameterGradient, inputGradient);
        }

        if (statistics.IsActive)
        {
            statistics.Validate(_layout.EdgeCount, _layout.NodeCount);
        }
    }

    private int InputCount => _layout.Spec.Width(0);

    /// <summary>What the splines do beyond the grid (pykan's padding zone and 0, or the smooth continuation).</summary>
    private KanBeyondGrid BeyondGrid => (KanBeyondGrid)(int)_layout.Spec.BeyondGrid;

    private int OutputCount => _layout.Spec.Width(_layout.Spec.Depth);

    private ReadOnlySpan<double> KnotRow(ReadOnlySpan<double> knots, int layer, int node) => KnotRow(_layout, knots, layer, node);

    /// <summary>The real knots of input node i of layer l (the table row without its phantom padding or reciprocals).</summary>
    internal static ReadOnlySpan<double> KnotRow(KernelLayout layout, ReadOnlySpan<double> knots, int layer, int node) =>
        knots.Slice(layout.KnotOffset[layer] + node * layout.KnotRowLength + layout.PhantomKnots, layout.KnotCount);

    /// <summary>Σ_m c_m B_m over a full coefficient vector.</summary>
    internal static double Dot(ReadOnlySpan<double> coefficients, ReadOnlySpan<double> basis)
    {
        double sum = 0.0;
        for (int m = 0; m < basis.Length; m++)
        {
            sum += coefficients[m] * basis[m];
        }

        return sum;
    }

    private void CheckBuffers(int input, int output, int parameters, int knots, int masks)
    {
        if (input != InputCount || output < OutputCount || parameters != _layout.ParameterCount || knots != _layout.KnotTableLength || masks != _layout.EdgeCount)
        {
            ThrowBufferMismatch(InputCount, OutputCount, _layout.ParameterCount, _layout.KnotTableLength, _layout.EdgeCount, input, output, parameters, knots, masks);
        }
    }

    /// <summary>
    /// dL/d(output) into <paramref name="gradient"/>: 2·scale·(y − target) for a label (returning Σ (y − target)²), or the
    /// caller's output gradient as given.
    /// </summary>
    private double OutputGradient(double[] nodes, ReadOnlySpan<double> target, bool targetIsLabel, double scale, double[] gradient)
    {
        int outputs = _layout.NodeOffset[_layout.Spec.Depth];
        double squaredError = 0.0;
        for (int o = 0; o < OutputCount; o++)
        {
            double y = nodes[outputs + o];
            if (targetIsLabel)
            {
                squaredError += (y - target[o]) * (y - target[o]);
                gradient[outputs + o] = 2.0 * scale * (y - target[o]);
            }
            else
            {
                gradient[outputs + o] = target[o];
            }
        }

        return squaredError;
    }
}
