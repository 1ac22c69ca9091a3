using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace KanCompile.Compilation;

/// <summary>
/// Input derivatives: the outputs with their Jacobian ∂y_o/∂x_i and, as asked, the Hessian's diagonal or the whole
/// Hessian, carried analytically through every edge (the splines' and base function's derivatives) and node (sums,
/// products). Buffers are laid out per sample as <c>jacobian[output][input]</c>, <c>hessian[output][input]</c>
/// (<see cref="SecondDerivatives.Diagonal"/>) or <c>hessian[output][input][input]</c> (<see cref="SecondDerivatives.Full"/>).
/// </summary>
public abstract partial class KanKernel
{
    /// <summary>
    /// One sample's outputs and input derivatives. <paramref name="output"/> holds exactly the outputs,
    /// <paramref name="jacobian"/> outputs × inputs values, <paramref name="hessian"/> what <paramref name="second"/> asks
    /// (empty for <see cref="SecondDerivatives.None"/>).
    /// </summary>
    public abstract void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks);

    /// <summary><see cref="InputDerivatives"/> with every edge's symbolic branch ψ = smask·(c·f(a·x + b) + d) added.</summary>
    public abstract void InputDerivativesSymbolic(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic);

    /// <summary>
    /// The parameter gradient of Σ_s ℓ_s over <paramref name="count"/> row-major samples, where ℓ_s (<paramref name="loss"/>)
    /// depends on sample s's outputs, Jacobian and the second derivatives <paramref name="second"/> names: for each sample the
    /// derivative pass, then ℓ and its sensitivities, then the adjoint of the derivative pass. Adds into
    /// <paramref name="parameterGradient"/> and returns Σ_s ℓ_s; the loss sees sample indices
    /// <paramref name="firstSample"/> + s.
    /// </summary>
    public abstract double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, Span<double> parameterGradient);

    /// <summary>
    /// <see cref="InputDerivativeLossGradient"/> with symbolic branches: also adds dℓ/d(a, b, c, d) of every edge into
    /// <paramref name="affineGradient"/> unless it is empty.
    /// </summary>
    public abstract double InputDerivativeLossGradientSymbolic(ReadOnlySpan<double> inputs, int firstSample, int count, SecondDerivatives second, InputDerivativeLoss loss, ReadOnlySpan<double> parameters, ReadOnlySpan<double> knots, ReadOnlySpan<double> masks, in SymbolicEdgeSpans symbolic, Span<double> parameterGradient, Span<double> affineGradient);

    /// <summary>Values per sample of the second-derivative buffer: 0, outputs × inputs, or outputs × inputs².</summary>
    public static int HessianLength(int inputCount, int outputCount, SecondDerivatives second) => second switch
    {
        SecondDerivatives.None => 0,
        SecondDerivatives.Diagonal => outputCount * inputCount,
        SecondDerivatives.Full => outputCount * inputCount * inputCount,
        _ => throw new ArgumentOutOfRangeException(nameof(second), second, "Use SecondDerivatives.None, Diagonal or Full."),
    };

    /// <summary>Throws a clear exception when one sample's input-derivative buffers do not fit the shape.</summary>
    public static void CheckInputDerivativeBuffers(int inputCount, int outputCount, SecondDerivatives second, int input, int output, int jacobian, int hessian)
    {
        int hessianLength = HessianLength(inputCount, outputCount, second);
        if (input != inputCount || output != outputCount || jacobian != outputCount * inputCount || hessian != hessianLength)
        {
            ThrowInputDerivativeMismatch(inputCount, outputCount, second, input, output, jacobian, hessian, hessianLength);
        }
    }

    [DoesNotReturn]
    private static void ThrowInputDerivativeMismatch(int inputCount, int outputCount, SecondDerivatives second, int input, int output, int jacobian, int hessian, int hessianLength)
    {
        if (input != inputCount)
        {
            throw new ArgumentException($"The input has {input} values but the model has {inputCount} inputs.", nameof(input));
        }

        if (output != outputCount)
        {
            throw new ArgumentException($"The output span has {output} values; the model has {outputCount} outputs.", nameof(output));
        }

        if (jacobian != outputCount * inputCount)
        {
            throw new ArgumentException(
                $"The Jacobian span has {jacobian} values; it holds ∂y_o/∂x_i as [output][input], {outputCount} × {inputCount} = {outputCount * inputCount}.", nameof(jacobian));
        }

        string layout = second switch
        {
            SecondDerivatives.None => "none with SecondDerivatives.None: pass an empty span, or ask for SecondDerivatives.Diagonal or Full",
            SecondDerivatives.Diagonal => $"∂²y_o/∂x_i² as [output][input] with SecondDerivatives.Diagonal, {outputCount} × {inputCount} = {hessianLength}",
            _ => $"∂²y_o/∂x_i∂x_j as [output][input][input] with SecondDerivatives.Full, {outputCount} × {inputCount} × {inputCount} = {hessianLength}",
        };
        throw new ArgumentException($"The Hessian span has {hessian} values; it holds {layout}.", nameof(hessian));
    }

    /// <summary>Throws a clear exception when a loss-gradient call's buffers do not fit the shape.</summary>
    public static void CheckInputDerivativeLossBuffers(int inputCount, int parameterCount, int count, InputDerivativeLoss loss, SecondDerivatives second, int inputs, int parameterGradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        HessianLength(inputCount, 1, second);
        if (count < 0 || inputs != (long)count * inputCount)
        {
            throw new ArgumentException($"A batch of {count} samples needs {(long)count * inputCount} input values; got {inputs}.", nameof(inputs));
        }

        if (parameterGradient != parameterCount)
        {
            throw new ArgumentException($"The parameter gradient has {parameterGradient} values but the kernel has {parameterCount} parameters.", nameof(parameterGradient));
        }
    }

    /// <summary>
    /// The (a, b) input pairs of the Hessian entries a generated kernel carries per node, flattened [a0, b0, a1, b1, …]:
    /// (a, a) for <see cref="SecondDerivatives.Diagonal"/>; every a ≤ b, row by row, for <see cref="SecondDerivatives.Full"/>
    /// (the symmetric Hessian's upper triangle; entry (i, i) is at i·(2n − i + 1)/2).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static int[] HessianEntryPairs(int inputCount, SecondDerivatives second)
    {
        var pairs = new List<int>();
        for (int a = 0; a < inputCount; a++)
        {
            for (int b = a; b < inputCount; b++)
            {
                if (second == SecondDerivatives.Full || a == b)
                {
                    pairs.Add(a);
                    pairs.Add(b);
                }
            }
        }

        return pairs.ToArray();
    }
}
