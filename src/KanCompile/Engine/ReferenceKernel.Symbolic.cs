using KanCompile.Compilation;
using KanCompile.Splines;
using KanCompile.Symbolic;

namespace KanCompile.Engine;

/// <summary>
/// The oracle of the mixed entry points (kan-math §2.4): every edge is φ + ψ with the numeric branch
/// φ = mask·(scale_base·b(x) + scale_sp·spline(x)) and the symbolic branch ψ = smask·(c·f(a·x + b) + d), summed at
/// the node (its sub-node where the layer has multiplication nodes, then <see cref="MultiplicationStep"/>). Written edge by edge for clarity; f is evaluated through the library's own <see cref="SymbolicFunction"/>
/// (not the compiled kernels' dispatcher), so the two are checked against each other.
/// </summary>
internal sealed partial class ReferenceKernel
{
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        CheckBuffers(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        var nodes = new double[_layout.NodeCount];
        var edges = new double[_layout.EdgeCount];
        var splines = new double[_layout.EdgeCount];
        TraceSymbolic(input, parameters, knots, masks, in symbolic, nodes, edges, splines, default);
        nodes.AsSpan(_layout.NodeOffset[_layout.Spec.Depth], OutputCount).CopyTo(output);
    }

    public override void TraceSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> nodeValues, Span<double> edgeValues, Span<double> splineValues, Span<double> symbolicValues)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_layout.EdgeCount);
        if (nodeValues.Length != _layout.NodeCount || edgeValues.Length != _layout.EdgeCount || splineValues.Length != _layout.EdgeCount
            || (symbolicValues.Length != 0 && symbolicValues.Length != _layout.EdgeCount))
        {
            ThrowTraceMismatch(_layout.NodeCount, _layout.EdgeCount, nodeValues.Length, edgeValues.Length, splineValues.Length);
        }

        nodeValues.Clear();
        input.CopyTo(nodeValues);
        var basis = new double[_layout.CoefficientsPerEdge];
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

    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        CheckBuffers(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        if (parameterGradient.Length != _layout.ParameterCount || (inputGradient.Length != 0 && inputGradient.Length != InputCount))
        {
            ThrowGradientMismatch(_layout.ParameterCount, InputCount, parameterGradient.Length, inputGradient.Length);
        }

        if (affineGradient.Length != 0 && affineGradient.Length != _layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge)
        {
            ThrowAffineGradientMismatch(_layout.EdgeCount, affineGradient.Length);
        }

        if (statistics.IsActive)
        {
            statistics.Validate(_layout.EdgeCount, _layout.NodeCount);
        }

        var nodes = new double[_layout.NodeCount];
        var edges = new double[_layout.EdgeCount];
        var splines = new double[_layout.EdgeCount];
        TraceSymbolic(input, parameters, knots, masks, in symbolic, nodes, edges, splines, default);

        var gradient = new double[_layout.NodeCount];
        int depth = _layout.Spec.Depth;
        double squaredError = OutputGradient(nodes, target, targetIsLabel, scale, gradient);

        var basis = new double[_layout.CoefficientsPerEdge];
        var basisSlope = new double[_layout.CoefficientsPerEdge];
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
                    int coefficients = _layout.CoefficientOffset[l] + e * _layout.CoefficientsPerEdge;
                    double mask = masks[_layout.MaskOffset[l] + e];
                    double scaleBase = parameters[_layout.ScaleBaseOffset[l] + e];
                    double scaleSpline = parameters[_layout.ScaleSplineOffset[l] + e];
                    double dNode = gradient[_layout.SubnodeOffset[l + 1] + j];

                    // Numeric branch φ = mask·(scale_base·b(x) + scale_sp·Σ c_m B_m(x)); the statistic terms act on φ alone.
                    double dPhi = dNode;
                    if (statistics.IsActive)
                    {
                        dPhi += statistics.EdgeWeight[edge] * (edges[edge] - statistics.EdgeMean[edge]);
                    }

                    double splineSlope = Dot(parameters.Slice(coefficients, _layout.CoefficientsPerEdge), basisSlope);
                    parameterGradient[_layout.ScaleBaseOffset[l] + e] += dPhi * mask * residual;
                    parameterGradient[_layout.ScaleSplineOffset[l] + e] += dPhi * mask * splines[edge];
                    for (int m = 0; m < _layout.CoefficientsPerEdge; m++)
                    {
                        parameterGradient[coefficients + m] += dPhi * mask * scaleSpline * basis[m];
                    }

                    dx += dPhi * mask * (scaleBase * residualSlope + scaleSpline * splineSlope);

                    // Symbolic branch ψ = smask·(c·f(a·x + b) + d).
                    double symbolicMask = symbolic.Masks[edge];
                    if (symbolicMask != 0.0)
                    {
                        SymbolicValue(in symbolic, edge, x, out double f, out double slope);
                        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
                        double a = symbolic.Affine[p], c = symbolic.Affine[p + 2];
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

    /// <summary>ψ of one edge at x (0 when its mask is 0), with f(a·x + b) and f'(a·x + b) from the library's own function.</summary>
    private static double SymbolicValue(in SymbolicEdgeSpans symbolic, int edge, double x, out double f, out double slope)
    {
        f = 0.0;
        slope = 0.0;
        double mask = symbolic.Masks[edge];
        if (mask == 0.0)
        {
            return 0.0;
        }

        int id = symbolic.FunctionIds[edge];
        SymbolicFunction function = id == SymbolicDispatch.Custom
            ? symbolic.CustomFunctions[edge] ?? throw new ArgumentException($"Edge {edge} is marked as a user function but has none.", nameof(symbolic))
            : BuiltInSymbolicFunctions.All[id];
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        double u = symbolic.Affine[p] * x + symbolic.Affine[p + 1];
        double threshold = symbolic.SingularityThreshold;
        f = threshold > 0.0 ? function.EvaluateSafe(u, threshold) : function.Evaluate(u);
        slope = threshold > 0.0 ? function.DerivativeSafe(u, threshold) : function.Derivative(u);
        return mask * (symbolic.Affine[p + 2] * f + symbolic.Affine[p + 3]);
    }
}
