using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Splines;

namespace KanCompile.Symbolic;

/// <summary>
/// The kernel of a model with symbolic edges (kan-math §2.4): every edge is φ + ψ with the numeric branch
/// φ = mask·(scale_base·b(x) + scale_sp·spline(x)) and the symbolic branch ψ = smask·(c·f(a·x + b) + d), both
/// summed at the node. The compiled spline kernels run whole samples through all layers, so the symbolic branch
/// cannot be slotted between their layers; this kernel instead evaluates the spline math the way the reference
/// engine does (readable, per edge) and adds ψ layer by layer. It is meant for the small, pruned models that get
/// symbolic edges; a model returns to its compiled kernel once no symbolic mask is set.
/// <para>
/// Parameters: a span of <c>KernelLayout.ParameterCount</c> values reads the affine parameters from the model's
/// <see cref="SymbolicEdgeTable"/>; a span of <see cref="CombinedParameterCount"/> values (splines, then (a, b, c, d)
/// of every edge in edge order) reads them from its tail, and a parameter gradient of that length receives their
/// gradient there. Fit trains that combined vector. Trace's edge values are the numeric φ only (pykan's
/// <c>spline_postacts</c>, which the regulariser penalises); node values include ψ.
/// </para>
/// </summary>
internal sealed class SymbolicMixedKernel : KanKernel
{
    /// <summary>Scratch sizes (doubles) up to which buffers live on the stack.</summary>
    private const int StackLimit = 2048;

    private readonly KernelLayout _layout;
    private readonly SymbolicEdgeTable _table;

    public SymbolicMixedKernel(KernelSpec spec, SymbolicEdgeTable table)
        : base(spec.Widths, spec.GridSize, spec.SplineOrder, (KanBaseFunction)spec.BaseFunction)
    {
        _layout = new KernelLayout(spec);
        _table = table;
        if (table.EdgeCount != _layout.EdgeCount)
        {
            throw new ArgumentException($"The symbolic table has {table.EdgeCount} edges; the layout has {_layout.EdgeCount}.", nameof(table));
        }
    }

    /// <summary>Splines followed by the affine parameters of every edge.</summary>
    public int CombinedParameterCount => _layout.ParameterCount + _table.Affine.Length;

    public override void Forward(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        CheckBuffers(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        int size = _layout.NodeCount + 2 * _layout.EdgeCount;
        Span<double> scratch = size <= StackLimit ? stackalloc double[size] : new double[size];
        var nodes = scratch.Slice(0, _layout.NodeCount);
        TraceCore(input, parameters, knots, masks, nodes, scratch.Slice(_layout.NodeCount, _layout.EdgeCount), scratch.Slice(_layout.NodeCount + _layout.EdgeCount, _layout.EdgeCount), default);
        nodes.Slice(_layout.NodeOffset[_layout.Spec.Depth], OutputCount).CopyTo(output);
    }

    public override void Trace(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        CheckTrace(nodeValues.Length, edgeValues.Length, splineValues.Length);
        TraceCore(input, parameters, knots, masks, nodeValues, edgeValues, splineValues, default);
    }

    /// <summary><see cref="Trace"/> that also records every edge's symbolic value ψ (for attribution: pykan's
    /// <c>edge_actscale</c> is the spread of φ + ψ).</summary>
    public void TraceWithSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        CheckTrace(nodeValues.Length, edgeValues.Length, splineValues.Length);
        if (symbolicValues.Length != _layout.EdgeCount)
        {
            ThrowTraceMismatch(_layout.NodeCount, _layout.EdgeCount, nodeValues.Length, symbolicValues.Length, splineValues.Length);
        }

        TraceCore(input, parameters, knots, masks, nodeValues, edgeValues, splineValues, symbolicValues);
    }

    public override double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        CheckBuffers(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        if ((parameterGradient.Length != _layout.ParameterCount && parameterGradient.Length != CombinedParameterCount)
            || (inputGradient.Length != 0 && inputGradient.Length != InputCount))
        {
            ThrowGradientMismatch(_layout.ParameterCount, InputCount, parameterGradient.Length, inputGradient.Length);
        }

        if (statistics.IsActive)
        {
            statistics.Validate(_layout.EdgeCount, _layout.NodeCount);
        }

        int coefficientCount = _layout.CoefficientsPerEdge;
        int size = 2 * _layout.NodeCount + 2 * _layout.EdgeCount + 2 * coefficientCount;
        Span<double> scratch = size <= StackLimit ? stackalloc double[size] : new double[size];
        scratch.Clear();
        var nodes = scratch.Slice(0, _layout.NodeCount);
        var gradient = scratch.Slice(_layout.NodeCount, _layout.NodeCount);
        var edges = scratch.Slice(2 * _layout.NodeCount, _layout.EdgeCount);
        var splines = scratch.Slice(2 * _layout.NodeCount + _layout.EdgeCount, _layout.EdgeCount);
        var basis = scratch.Slice(2 * _layout.NodeCount + 2 * _layout.EdgeCount, coefficientCount);
        var basisSlope = scratch.Slice(2 * _layout.NodeCount + 2 * _layout.EdgeCount + coefficientCount, coefficientCount);
        TraceCore(input, parameters, knots, masks, nodes, edges, splines, default);

        ReadOnlySpan<double> affine = Affine(parameters);
        Span<double> affineGradient = parameterGradient.Length == CombinedParameterCount ? parameterGradient.Slice(_layout.ParameterCount) : default;
        int depth = _layout.Spec.Depth;
        double squaredError = 0.0;
        for (int o = 0; o < OutputCount; o++)
        {
            int node = _layout.NodeOffset[depth] + o;
            if (targetIsLabel)
            {
                double error = nodes[node] - target[o];
                squaredError += error * error;
                gradient[node] = 2.0 * scale * error;
            }
            else
            {
                gradient[node] = target[o];
            }
        }

        for (int l = depth - 1; l >= 0; l--)
        {
            MultiplicationStep.Backward(_layout, l + 1, nodes, gradient);
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                int node = _layout.NodeOffset[l] + i;
                double x = nodes[node];
                BSplineBasis.Evaluate(x, KnotRow(knots, l, i), SplineOrder, basis, basisSlope);
                double residual = BaseFunctions.Value(BaseFunction, x);
                double residualSlope = BaseFunctions.Derivative(BaseFunction, x);
                double dx = 0.0;
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    int edge = _layout.EdgeOffset[l] + e;
                    int coefficients = _layout.CoefficientOffset[l] + e * coefficientCount;
                    double mask = masks[_layout.MaskOffset[l] + e];
                    double scaleBase = parameters[_layout.ScaleBaseOffset[l] + e];
                    double scaleSpline = parameters[_layout.ScaleSplineOffset[l] + e];
                    double dNode = gradient[_layout.SubnodeOffset[l + 1] + j];

                    // Numeric branch; the statistic terms act on φ alone, as pykan regularises the spline part only.
                    double dPhi = dNode;
                    if (statistics.IsActive)
                    {
                        dPhi += statistics.EdgeWeight[edge] * (edges[edge] - statistics.EdgeMean[edge]);
                    }

                    if (mask != 0.0 || statistics.IsActive)
                    {
                        double splineSlope = Dot(parameters.Slice(coefficients, coefficientCount), basisSlope);
                        parameterGradient[_layout.ScaleBaseOffset[l] + e] += dPhi * mask * residual;
                        parameterGradient[_layout.ScaleSplineOffset[l] + e] += dPhi * mask * splines[edge];
                        for (int m = 0; m < coefficientCount; m++)
                        {
                            parameterGradient[coefficients + m] += dPhi * mask * scaleSpline * basis[m];
                        }

                        dx += dPhi * mask * (scaleBase * residualSlope + scaleSpline * splineSlope);
                    }

                    // Symbolic branch ψ = smask·(c·f(a·x + b) + d).
                    double symbolicMask = _table.Masks[edge];
                    if (symbolicMask != 0.0 && _table.Functions[edge] is SymbolicFunction function)
                    {
                        int p = edge * SymbolicEdgeTable.AffinePerEdge;
                        double a = affine[p], b = affine[p + 1], c = affine[p + 2];
                        double u = a * x + b;
                        double f = function.Evaluate(u), slope = function.Derivative(u);
                        double dPsi = dNode * symbolicMask;
                        if (!affineGradient.IsEmpty)
                        {
                            affineGradient[p] += dPsi * c * slope * x;
                            affineGradient[p + 1] += dPsi * c * slope;
                            affineGradient[p + 2] += dPsi * f;
                            affineGradient[p + 3] += dPsi;
                        }

                        dx += dPsi * c * slope * a;
                    }
                    else if (symbolicMask != 0.0 && !affineGradient.IsEmpty)
                    {
                        // The zero function: ψ = smask·d.
                        affineGradient[edge * SymbolicEdgeTable.AffinePerEdge + 3] += dNode * symbolicMask;
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
            gradient.Slice(0, InputCount).CopyTo(inputGradient);
        }

        return squaredError;
    }

    private void TraceCore(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        ReadOnlySpan<double> affine = Affine(parameters);
        int coefficientCount = _layout.CoefficientsPerEdge;
        Span<double> basis = coefficientCount <= StackLimit ? stackalloc double[coefficientCount] : new double[coefficientCount];
        nodeValues.Clear();
        input.CopyTo(nodeValues);
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                double x = nodeValues[_layout.NodeOffset[l] + i];
                BSplineBasis.Evaluate(x, KnotRow(knots, l, i), SplineOrder, basis);
                double residual = BaseFunctions.Value(BaseFunction, x);
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    int edge = _layout.EdgeOffset[l] + e;
                    double spline = Dot(parameters.Slice(_layout.CoefficientOffset[l] + e * coefficientCount, coefficientCount), basis);
                    double phi = masks[_layout.MaskOffset[l] + e]
                        * (parameters[_layout.ScaleBaseOffset[l] + e] * residual + parameters[_layout.ScaleSplineOffset[l] + e] * spline);
                    double psi = _table.Value(edge, x, affine);
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

    private ReadOnlySpan<double> Affine(ReadOnlySpan<double> parameters) =>
        parameters.Length == _layout.ParameterCount ? _table.Affine : parameters.Slice(_layout.ParameterCount);

    private int InputCount => _layout.Spec.Width(0);

    private int OutputCount => _layout.Spec.Width(_layout.Spec.Depth);

    private ReadOnlySpan<double> KnotRow(ReadOnlySpan<double> knots, int layer, int node) => ReferenceKernel.KnotRow(_layout, knots, layer, node);

    private static double Dot(ReadOnlySpan<double> coefficients, ReadOnlySpan<double> basis) => ReferenceKernel.Dot(coefficients, basis);

    private void CheckTrace(int nodes, int edges, int splines)
    {
        if (nodes != _layout.NodeCount || edges != _layout.EdgeCount || splines != _layout.EdgeCount)
        {
            ThrowTraceMismatch(_layout.NodeCount, _layout.EdgeCount, nodes, edges, splines);
        }
    }

    private void CheckBuffers(int input, int output, int parameters, int knots, int masks)
    {
        if (input != InputCount || output < OutputCount || (parameters != _layout.ParameterCount && parameters != CombinedParameterCount)
            || knots != _layout.KnotTableLength || masks != _layout.EdgeCount)
        {
            ThrowBufferMismatch(InputCount, OutputCount, _layout.ParameterCount, _layout.KnotTableLength, _layout.EdgeCount, input, output, parameters, knots, masks);
        }
    }
}
