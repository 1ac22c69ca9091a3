using KanCompile.Compilation;
using KanCompile.Symbolic;

namespace KanCompile.Engine;

/// <summary>
/// The oracle of the mixed entry points (kan-math §2.4): every edge is φ + ψ with the numeric branch
/// φ = mask·(scale_base·b(x) + scale_sp·spline(x)) and the symbolic branch ψ = smask·(c·f(a·x + b) + d), summed at
/// the node (its sub-node where the layer has multiplication nodes, then <see cref="MultiplicationStep"/>). The passes are
/// ReferenceKernel's own (one loop, with the ψ branch); this file holds the entry points and ψ itself. f is evaluated
/// through the library's own <see cref="SymbolicFunction"/> (not the compiled kernels' dispatcher), so the two are
/// checked against each other.
/// </summary>
internal sealed partial class ReferenceKernel
{
    public override void ForwardSymbolic(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        CheckBuffers(input.Length, output.Length, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_layout.EdgeCount);
        ForwardEdges(input, output, parameters, knots, masks, in symbolic);
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

        TraceEdges(input, parameters, knots, masks, in symbolic, nodeValues, edgeValues, splineValues, symbolicValues);
    }

    public override double BackwardSymbolic(ReadOnlySpan<double> input, ReadOnlySpan<double> target, bool targetIsLabel, double scale, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient, Span<double> inputGradient, in EdgeStatisticGradient statistics)
    {
        CheckBuffers(input.Length, target.Length, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_layout.EdgeCount);
        CheckGradients(parameterGradient.Length, inputGradient.Length, in statistics);
        if (affineGradient.Length != 0 && affineGradient.Length != _layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge)
        {
            ThrowAffineGradientMismatch(_layout.EdgeCount, affineGradient.Length);
        }

        return BackwardEdges(input, target, targetIsLabel, scale, parameters, knots, masks, in symbolic, parameterGradient, affineGradient, inputGradient, in statistics);
    }

    /// <summary>Whether the edge has a live symbolic branch (never when <paramref name="symbolic"/> is default).</summary>
    private static bool HasSymbolicBranch(in SymbolicEdgeSpans symbolic, int edge) =>
        !symbolic.Masks.IsEmpty && symbolic.Masks[edge] != 0.0;

    /// <summary>dL/dx through ψ = smask·(c·f(a·x + b) + d), adding dL/d(a, b, c, d) to <paramref name="affineGradient"/> when it is not empty.</summary>
    private static double SymbolicBackward(in SymbolicEdgeSpans symbolic, int edge, double x, double dNode, Span<double> affineGradient)
    {
        SymbolicValue(in symbolic, edge, x, out double f, out double slope);
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        double a = symbolic.Affine[p], c = symbolic.Affine[p + 2];
        double dPsi = dNode * symbolic.Masks[edge];
        if (!affineGradient.IsEmpty)
        {
            affineGradient[p] += dPsi * c * slope * x;
            affineGradient[p + 1] += dPsi * c * slope;
            affineGradient[p + 2] += dPsi * f;
            affineGradient[p + 3] += dPsi;
        }

        return dPsi * c * slope * a;
    }

    /// <summary>ψ of one edge at x (0 when it has no symbolic branch), with f(a·x + b) and f'(a·x + b) from the library's own function.</summary>
    private static double SymbolicValue(in SymbolicEdgeSpans symbolic, int edge, double x, out double f, out double slope)
    {
        f = 0.0;
        slope = 0.0;
        if (!HasSymbolicBranch(in symbolic, edge))
        {
            return 0.0;
        }

        double mask = symbolic.Masks[edge];
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
