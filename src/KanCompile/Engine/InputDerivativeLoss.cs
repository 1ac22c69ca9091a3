namespace KanCompile;

/// <summary>
/// A loss on one sample's outputs and their input derivatives — a physics-informed residual, a boundary condition on
/// values or normal derivatives, a penalty on gradients — whose parameter gradient
/// <see cref="KanModel.InputDerivativeLossGradient"/> computes through the adjoint of the derivative pass.
/// <para>
/// The kernel calls <see cref="Evaluate"/> once per sample, from several threads at once for large batches (never twice
/// for the same sample in one call), so an implementation must be safe to call concurrently for different samples: keep
/// per-sample data in arrays indexed by <c>sample</c>, not in fields written during the call.
/// </para>
/// </summary>
public abstract class InputDerivativeLoss
{
    /// <summary>
    /// The loss ℓ of sample <paramref name="sample"/> and its sensitivities ∂ℓ/∂y, ∂ℓ/∂J and ∂ℓ/∂H, written into spans laid out
    /// as the values (<see cref="KanModel.InputDerivatives"/>'s layouts) and cleared before the call.
    /// </summary>
    /// <param name="sample">The sample's index in the batch (for looking up its own data: target values, normals, weights).</param>
    /// <param name="input">x.</param>
    /// <param name="output">y(x).</param>
    /// <param name="jacobian">∂y_o/∂x_i as [output][input].</param>
    /// <param name="hessian">The second derivatives the call asked for (empty, the diagonal [output][input] or the full [output][input][input]).</param>
    /// <param name="outputSensitivity">Receives ∂ℓ/∂y_o.</param>
    /// <param name="jacobianSensitivity">Receives ∂ℓ/∂(∂y_o/∂x_i).</param>
    /// <param name="hessianSensitivity">Receives ∂ℓ/∂(each second derivative), laid out as <paramref name="hessian"/>.</param>
    /// <returns>ℓ, summed over the batch by the caller.</returns>
    public abstract double Evaluate(int sample, ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, Span<double> outputSensitivity, Span<double> jacobianSensitivity, Span<double> hessianSensitivity);
}
