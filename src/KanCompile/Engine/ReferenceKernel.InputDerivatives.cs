using KanCompile.Compilation;
using KanCompile.Splines;
using KanCompile.Symbolic;

namespace KanCompile.Engine;

/// <summary>
/// The oracle of the input derivatives: <see cref="InputJets"/> carried through the network edge by edge. Each edge's
/// φ(x) = mask·(scale_base·b(x) + scale_sp·Σ_m c_m B_m(x)) + ψ(x) is differentiated analytically: the B-splines
/// through <see cref="BSplineBasis"/>'s derivative recursion (all G+k functions, the derivatives inside each knot
/// interval; with pykan's behaviour 0 outside the extended grid, where only scale_base·b(x) remains; continued, they
/// are the tangent line's beyond [t_k, t_{G+k}]), b through <see cref="BaseFunctions"/>, and
/// ψ = smask·(c·f(a·x + b) + d) through f, f' of the library's own <see cref="SymbolicFunction"/> and f'', f''' of
/// <see cref="SymbolicDispatch.HigherDerivatives"/>. The full Hessian is always carried; the diagonal is read from it.
/// </summary>
internal sealed partial class ReferenceKernel
{
    public override void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        CheckInputDerivativeBuffers(InputCount, OutputCount, second, input.Length, output.Length, jacobian.Length, hessian.Length);
        InputJets jets = ForwardJets(input, parameters, knots, masks, default, second == SecondDerivatives.None ? 1 : 2);
        CopyOutputJets(jets, output, jacobian, hessian, second);
    }

    public override void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic)
    {
        CheckBuffers(input.Length, OutputCount, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_layout.EdgeCount);
        CheckInputDerivativeBuffers(InputCount, OutputCount, second, input.Length, output.Length, jacobian.Length, hessian.Length);
        InputJets jets = ForwardJets(input, parameters, knots, masks, in symbolic, second == SecondDerivatives.None ? 1 : 2);
        CopyOutputJets(jets, output, jacobian, hessian, second);
    }

    /// <summary>
    /// Every node's value, gradient and Hessian, layer by layer. <paramref name="order"/> is the highest edge derivative
    /// the caller needs (1: Jacobian only, 2: Hessians too); a user symbolic function is asked for no more than that.
    /// </summary>
    private InputJets ForwardJets(ReadOnlySpan<double> input, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, int order)
    {
        var jets = new InputJets(_layout, InputCount);
        jets.SetInputs(input);
        var basis = new NodeBasis(_layout.CoefficientsPerEdge);
        for (int l = 0; l < _layout.Spec.Depth; l++)
        {
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                int node = _layout.NodeOffset[l] + i;
                basis.Evaluate(jets.Value[node], KnotRow(knots, l, i), SplineOrder, BaseFunction, BeyondGrid);
                for (int j = 0; j < outputs; j++)
                {
                    EdgeJet phi = EdgeDerivatives(l, i * outputs + j, jets.Value[node], basis, parameters, masks, in symbolic, order);
                    jets.AddEdge(node, _layout.SubnodeOffset[l + 1] + j, in phi);
                }
            }

            jets.MultiplyForward(_layout, l + 1);
        }

        return jets;
    }

    /// <summary>
    /// φ + ψ of edge <paramref name="e"/> (index within layer <paramref name="l"/>) and its derivatives up to
    /// <paramref name="order"/> (higher ones are 0). The value is formed as <see cref="TraceEdges"/> forms it, so outputs
    /// equal <see cref="Forward"/>'s bit for bit.
    /// </summary>
    private EdgeJet EdgeDerivatives(int l, int e, double x, NodeBasis basis, ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, int order)
    {
        ReadOnlySpan<double> coefficients = parameters.Slice(_layout.CoefficientOffset[l] + e * _layout.CoefficientsPerEdge, _layout.CoefficientsPerEdge);
        double mask = masks[_layout.MaskOffset[l] + e];
        double scaleBase = parameters[_layout.ScaleBaseOffset[l] + e];
        double scaleSpline = parameters[_layout.ScaleSplineOffset[l] + e];
        double phi = mask * (scaleBase * basis.Residual[0] + scaleSpline * Dot(coefficients, basis.Values));
        var derivative = new double[4];
        for (int r = 1; r <= order; r++)
        {
            derivative[r] = mask * (scaleBase * basis.Residual[r] + scaleSpline * Dot(coefficients, basis.Derivative(r)));
        }

        int edge = _layout.EdgeOffset[l] + e;
        if (!HasSymbolicBranch(in symbolic, edge))
        {
            return new EdgeJet(phi, derivative[1], derivative[2], derivative[3]);
        }

        // ψ = smask·(c·f(u) + d) with u = a·x + b: ψ^(r) = smask·c·a^r·f^(r)(u).
        double psi = SymbolicValue(in symbolic, edge, x, out _, out double slope);
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        double a = symbolic.Affine[p], scale = symbolic.Masks[edge] * symbolic.Affine[p + 2];
        double second = 0.0, third = 0.0;
        if (order >= 2)
        {
            SymbolicDispatch.EdgeHigherDerivatives(in symbolic, edge, a * x + symbolic.Affine[p + 1], order >= 3, out second, out third);
        }

        return new EdgeJet(
            phi + psi,
            derivative[1] + scale * a * slope,
            derivative[2] + (order >= 2 ? scale * a * a * second : 0.0),
            derivative[3] + (order >= 3 ? scale * a * a * a * third : 0.0));
    }

    /// <summary>The outputs' values, Jacobian and (diagonal or full) Hessian from the jets.</summary>
    private void CopyOutputJets(InputJets jets, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second)
    {
        int n = InputCount, outputs = _layout.NodeOffset[_layout.Spec.Depth];
        for (int o = 0; o < OutputCount; o++)
        {
            int node = outputs + o;
            output[o] = jets.Value[node];
            for (int a = 0; a < n; a++)
            {
                jacobian[o * n + a] = jets.Gradient[node, a];
                if (second == SecondDerivatives.Diagonal)
                {
                    hessian[o * n + a] = jets.Hessian[node, a, a];
                }
                else if (second == SecondDerivatives.Full)
                {
                    for (int b = 0; b < n; b++)
                    {
                        hessian[(o * n + a) * n + b] = jets.Hessian[node, a, b];
                    }
                }
            }
        }
    }

    /// <summary>One node's B-spline basis with its first three derivatives, and b(x) with its first three derivatives.</summary>
    private sealed class NodeBasis
    {
        private readonly double[][] _derivatives;

        public NodeBasis(int count)
        {
            Values = new double[count];
            _derivatives = [new double[count], new double[count], new double[count]];
        }

        public double[] Values { get; }

        /// <summary>b(x), b'(x), b''(x), b'''(x).</summary>
        public double[] Residual { get; } = new double[4];

        /// <summary>d^r B_m/dx^r for r = 1..3.</summary>
        public double[] Derivative(int r) => _derivatives[r - 1];

        public void Evaluate(double x, ReadOnlySpan<double> knots, int order, KanBaseFunction function, KanBeyondGrid beyondGrid)
        {
            BSplineBasis.Evaluate(x, knots, order, beyondGrid, Values, _derivatives[0], _derivatives[1], _derivatives[2]);
            Residual[0] = BaseFunctions.Value(function, x);
            Residual[1] = BaseFunctions.Derivative(function, x);
            BaseFunctions.HigherDerivatives(function, x, out Residual[2], out Residual[3]);
        }
    }
}
