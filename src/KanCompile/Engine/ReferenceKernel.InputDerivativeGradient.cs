using KanCompile.Compilation;

namespace KanCompile.Engine;

/// <summary>
/// The oracle of the parameter gradient of a loss on input derivatives: the adjoint of <see cref="InputJets"/>'s
/// derivative pass, edge by edge from the outputs back. An edge w = φ(v) has ∇w = φ'·∇v and ∇²w = φ''·∇v∇vᵀ + φ'·∇²v,
/// so with the adjoints (w̄, ∇̄w, ∇̄²w) of the sub-node it feeds and
/// α₀ = w̄, α₁ = ∇̄w·∇v + ∇̄²w : ∇²v, α₂ = ∇vᵀ ∇̄²w ∇v,
/// every parameter θ of the edge gets α₀·∂φ/∂θ + α₁·∂φ'/∂θ + α₂·∂φ''/∂θ, and its source node gets
/// v̄ += α₀φ' + α₁φ'' + α₂φ''', ∇̄v += φ'·∇̄w + φ''·(∇̄²w + ∇̄²wᵀ)·∇v and ∇̄²v += φ'·∇̄²w. φ is linear in its coefficients and
/// scales, so ∂φ^(r)/∂c_m = mask·scale_sp·B_m^(r), ∂φ^(r)/∂scale_sp = mask·spline^(r), ∂φ^(r)/∂scale_base = mask·b^(r);
/// the symbolic branch ψ = smask·(c·f(a·x + b) + d) has ψ^(r) = smask·c·a^r·f^(r)(a·x + b).
/// </summary>
internal sealed partial class ReferenceKernel
{
    public override double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient)
    {
        CheckBuffers(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
        CheckInputDerivativeLossBuffers(InputCount, _layout.ParameterCount, count, loss, second, inputs.Length, parameterGradient.Length);
        return LossGradient(inputs, firstSample, count, second, loss, parameters, knots, masks, default, parameterGradient, default);
    }

    public override double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient)
    {
        CheckBuffers(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);
        symbolic.Validate(_layout.EdgeCount);
        CheckInputDerivativeLossBuffers(InputCount, _layout.ParameterCount, count, loss, second, inputs.Length, parameterGradient.Length);
        if (affineGradient.Length != 0 && affineGradient.Length != _layout.EdgeCount * SymbolicEdgeSpans.AffinePerEdge)
        {
            ThrowAffineGradientMismatch(_layout.EdgeCount, affineGradient.Length);
        }

        return LossGradient(inputs, firstSample, count, second, loss, parameters, knots, masks, in symbolic, parameterGradient, affineGradient);
    }

    private double LossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient)
    {
        int n = InputCount, m = OutputCount, hessianLength = HessianLength(n, m, second);
        var output = new double[m];
        var jacobian = new double[m * n];
        var hessian = new double[hessianLength];
        var outputSensitivity = new double[m];
        var jacobianSensitivity = new double[m * n];
        var hessianSensitivity = new double[hessianLength];
        double total = 0.0;
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> x = inputs.Slice(s * n, n);
            InputJets jets = ForwardJets(x, parameters, knots, masks, in symbolic, second == SecondDerivatives.None ? 1 : 2);
            CopyOutputJets(jets, output, jacobian, hessian, second);
            Array.Clear(outputSensitivity);
            Array.Clear(jacobianSensitivity);
            Array.Clear(hessianSensitivity);
            total += loss.Evaluate(firstSample + s, x, output, jacobian, hessian, outputSensitivity, jacobianSensitivity, hessianSensitivity);
            InputJets adjoint = SeedOutputAdjoints(outputSensitivity, jacobianSensitivity, hessianSensitivity, second);
            BackwardJets(jets, adjoint, parameters, knots, masks, in symbolic, second == SecondDerivatives.None ? 2 : 3, parameterGradient, affineGradient);
        }

        return total;
    }

    /// <summary>The outputs' adjoints from the loss's sensitivities (a diagonal sensitivity lands on the Hessian's diagonal).</summary>
    private InputJets SeedOutputAdjoints(double[] outputSensitivity, double[] jacobianSensitivity, double[] hessianSensitivity, SecondDerivatives second)
    {
        int n = InputCount, outputs = _layout.NodeOffset[_layout.Spec.Depth];
        var adjoint = new InputJets(_layout, n);
        for (int o = 0; o < OutputCount; o++)
        {
            int node = outputs + o;
            adjoint.Value[node] = outputSensitivity[o];
            for (int a = 0; a < n; a++)
            {
                adjoint.Gradient[node, a] = jacobianSensitivity[o * n + a];
                if (second == SecondDerivatives.Diagonal)
                {
                    adjoint.Hessian[node, a, a] = hessianSensitivity[o * n + a];
                }
                else if (second == SecondDerivatives.Full)
                {
                    for (int b = 0; b < n; b++)
                    {
                        adjoint.Hessian[node, a, b] = hessianSensitivity[(o * n + a) * n + b];
                    }
                }
            }
        }

        return adjoint;
    }

    /// <summary>
    /// The adjoint pass from the outputs back to the inputs (whose adjoints are left unused). <paramref name="order"/> is the
    /// highest edge derivative the adjoint needs: 2 when the loss reads first derivatives only (∇̄²w is then 0, so α₂ is 0),
    /// 3 when it reads second ones.
    /// </summary>
    private void BackwardJets(InputJets jets, InputJets adjoint, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, int order, Span<double> parameterGradient, Span<double> affineGradient)
    {
        int n = InputCount;
        var basis = new NodeBasis(_layout.CoefficientsPerEdge);
        for (int l = _layout.Spec.Depth - 1; l >= 0; l--)
        {
            jets.MultiplyBackward(_layout, l + 1, adjoint);
            int inputs = _layout.Spec.Width(l), outputs = _layout.Spec.SubnodeWidth(l + 1);
            for (int i = 0; i < inputs; i++)
            {
                int node = _layout.NodeOffset[l] + i;
                double x = jets.Value[node];
                basis.Evaluate(x, KnotRow(knots, l, i), SplineOrder, BaseFunction, BeyondGrid);
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j, target = _layout.SubnodeOffset[l + 1] + j;
                    double alpha0 = adjoint.Value[target], alpha1 = 0.0, alpha2 = 0.0;
                    for (int a = 0; a < n; a++)
                    {
                        alpha1 += adjoint.Gradient[target, a] * jets.Gradient[node, a];
                        for (int b = 0; b < n; b++)
                        {
                            alpha1 += adjoint.Hessian[target, a, b] * jets.Hessian[node, a, b];
                            alpha2 += adjoint.Hessian[target, a, b] * jets.Gradient[node, a] * jets.Gradient[node, b];
                        }
                    }

                    AddEdgeParameterGradient(l, e, x, basis, alpha0, alpha1, alpha2, parameters, masks, in symbolic, order, parameterGradient, affineGradient);
                    EdgeJet phi = EdgeDerivatives(l, e, x, basis, parameters, masks, in symbolic, order);
                    adjoint.Value[node] += alpha0 * phi.First + alpha1 * phi.Second + alpha2 * phi.Third;
                    for (int a = 0; a < n; a++)
                    {
                        double curvatureTerm = 0.0;
                        for (int b = 0; b < n; b++)
                        {
                            curvatureTerm += (adjoint.Hessian[target, a, b] + adjoint.Hessian[target, b, a]) * jets.Gradient[node, b];
                            adjoint.Hessian[node, a, b] += phi.First * adjoint.Hessian[target, a, b];
                        }

                        adjoint.Gradient[node, a] += phi.First * adjoint.Gradient[target, a] + phi.Second * curvatureTerm;
                    }
                }
            }
        }
    }

    /// <summary>α₀·∂φ/∂θ + α₁·∂φ'/∂θ + α₂·∂φ''/∂θ into the gradients of edge <paramref name="e"/>'s coefficients, scales and affine parameters.</summary>
    private void AddEdgeParameterGradient(int l, int e, double x, NodeBasis basis, double alpha0, double alpha1, double alpha2, ReadOnlySpan<double> parameters, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, int order, Span<double> parameterGradient, Span<double> affineGradient)
    {
        int coefficients = _layout.CoefficientOffset[l] + e * _layout.CoefficientsPerEdge;
        double mask = masks[_layout.MaskOffset[l] + e];
        double scaleSpline = parameters[_layout.ScaleSplineOffset[l] + e];
        ReadOnlySpan<double> c = parameters.Slice(coefficients, _layout.CoefficientsPerEdge);
        double[] first = basis.Derivative(1), second = basis.Derivative(2);
        double splineTerm = alpha0 * Dot(c, basis.Values) + alpha1 * Dot(c, first) + alpha2 * Dot(c, second);
        double residualTerm = alpha0 * basis.Residual[0] + alpha1 * basis.Residual[1] + alpha2 * basis.Residual[2];
        parameterGradient[_layout.ScaleBaseOffset[l] + e] += mask * residualTerm;
        parameterGradient[_layout.ScaleSplineOffset[l] + e] += mask * splineTerm;
        for (int q = 0; q < _layout.CoefficientsPerEdge; q++)
        {
            parameterGradient[coefficients + q] += mask * scaleSpline * (alpha0 * basis.Values[q] + alpha1 * first[q] + alpha2 * second[q]);
        }

        int edge = _layout.EdgeOffset[l] + e;
        if (affineGradient.IsEmpty || !HasSymbolicBranch(in symbolic, edge))
        {
            return;
        }

        // ψ = sm·(c·f(u) + d), ψ' = sm·c·a·f'(u), ψ'' = sm·c·a²·f''(u) with u = a·x + b.
        SymbolicValue(in symbolic, edge, x, out double f, out double f1);
        int p = edge * SymbolicEdgeSpans.AffinePerEdge;
        double a = symbolic.Affine[p], scale = symbolic.Affine[p + 2], sm = symbolic.Masks[edge];
        SymbolicDispatch.EdgeHigherDerivatives(in symbolic, edge, a * x + symbolic.Affine[p + 1], order >= 3, out double f2, out double f3);
        affineGradient[p] += sm * scale * (alpha0 * f1 * x + alpha1 * (f1 + a * x * f2) + alpha2 * (2.0 * a * f2 + a * a * x * f3));
        affineGradient[p + 1] += sm * scale * (alpha0 * f1 + alpha1 * a * f2 + alpha2 * a * a * f3);
        affineGradient[p + 2] += sm * (alpha0 * f + alpha1 * a * f1 + alpha2 * a * a * f2);
        affineGradient[p + 3] += sm * alpha0;
    }
}
