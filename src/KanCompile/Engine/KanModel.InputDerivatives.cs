using KanCompile.Compilation;
using KanCompile.Symbolic;
using KanCompile.Training;

namespace KanCompile;

/// <summary>
/// Derivatives of the model's outputs with respect to its inputs: the Jacobian ∂y_o/∂x_i and, as asked, the Hessian's
/// diagonal ∂²y_o/∂x_i² or the whole Hessian ∂²y_o/∂x_i∂x_j. They are exact (analytic through the B-splines', the base
/// function's and the symbolic functions' derivatives, the sums and the multiplication nodes), not finite differences.
/// <para>
/// Where a spline is not smooth they are the one-sided values: a spline of order k has continuous derivatives up to
/// order k − 1, so with k = 1 the second derivative of a spline is 0 and the first jumps at knots, and with k = 2 the
/// second derivative is piecewise constant and jumps at knots; at a knot the right-hand piece is used (the basis's
/// half-open intervals). Beyond the extended grid every spline is 0 (pykan's convention), so there only the
/// scale_base·b(x) term and symbolic branches contribute.
/// </para>
/// </summary>
public abstract partial class KanModel
{
    /// <summary>Values per sample of a Hessian buffer: 0, outputs × inputs (diagonal) or outputs × inputs² (full).</summary>
    public int HessianLength(SecondDerivatives second) => KanKernel.HessianLength(InputCount, OutputCount, second);

    /// <summary>
    /// One sample's outputs with their input derivatives.
    /// </summary>
    /// <param name="input">Exactly <see cref="InputCount"/> values.</param>
    /// <param name="output">Exactly <see cref="OutputCount"/> values: y, as <c>Forward</c> computes them.</param>
    /// <param name="jacobian">Exactly outputs × inputs values: ∂y_o/∂x_i at <c>[o * inputs + i]</c>.</param>
    /// <param name="hessian">
    /// Empty for <see cref="SecondDerivatives.None"/>; for <see cref="SecondDerivatives.Diagonal"/> outputs × inputs values,
    /// ∂²y_o/∂x_i² at <c>[o * inputs + i]</c>; for <see cref="SecondDerivatives.Full"/> outputs × inputs² values,
    /// ∂²y_o/∂x_i∂x_j at <c>[(o * inputs + i) * inputs + j]</c> (see <see cref="HessianLength"/>).
    /// </param>
    /// <param name="second">Which second derivatives to compute.</param>
    /// <exception cref="ArgumentException">A span does not have the length above (the message names it and the layout).</exception>
    /// <exception cref="NotSupportedException">Second derivatives pass through a user symbolic function without <see cref="SymbolicFunction.SecondDerivative"/>.</exception>
    public void InputDerivatives(ReadOnlySpan<double> input, Span<double> output, Span<double> jacobian, Span<double> hessian = default, SecondDerivatives second = SecondDerivatives.None)
    {
        KanKernel.CheckInputDerivativeBuffers(InputCount, OutputCount, second, input.Length, output.Length, jacobian.Length, hessian.Length);
        Kernel.InputDerivatives(input, output, jacobian, hessian, second, ParameterBuffer, KnotTable, MaskBuffer);
    }

    /// <summary>
    /// <see cref="InputDerivatives"/> over a row-major batch, sample after sample in each buffer (so sample s's Jacobian
    /// starts at s × outputs × inputs), on all cores when the batch is large. Bit-identical to the per-sample call.
    /// </summary>
    /// <param name="inputs">count × <see cref="InputCount"/> values.</param>
    /// <param name="outputs">Exactly count × <see cref="OutputCount"/> values.</param>
    /// <param name="jacobians">Exactly count × outputs × inputs values.</param>
    /// <param name="hessians">Exactly count × <see cref="HessianLength"/>(<paramref name="second"/>) values.</param>
    /// <param name="second">Which second derivatives to compute.</param>
    public void InputDerivativesBatch(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobians, Span<double> hessians = default, SecondDerivatives second = SecondDerivatives.None)
    {
        int n = InputCount, m = OutputCount, hessianLength = HessianLength(second);
        int count = SampleBatch.Count(inputs, n, nameof(inputs), minSamples: 0);
        CheckBatchLength(outputs.Length, m, count, "outputs", nameof(outputs));
        CheckBatchLength(jacobians.Length, m * n, count, "Jacobian ([output][input] per sample)", nameof(jacobians));
        CheckBatchLength(hessians.Length, hessianLength, count, $"Hessian (SecondDerivatives.{second})", nameof(hessians));
        KanKernel kernel = Kernel;
        if ((long)count * (Layout.EdgeCount * (SplineOrder + 4) * (1 + n + hessianLength / m)) < ParallelWorkThreshold || Environment.ProcessorCount == 1)
        {
            InputDerivativeRange(kernel, inputs, outputs, jacobians, hessians, second, 0, count);
            return;
        }

        unsafe
        {
            fixed (double* x = inputs)
            fixed (double* y = outputs)
            fixed (double* jacobian = jacobians)
            fixed (double* hessian = hessians)
            {
                nint xAddress = (nint)x, yAddress = (nint)y, jAddress = (nint)jacobian, hAddress = (nint)hessian;
                int chunks = Math.Min(count, Environment.ProcessorCount * 4);
                Parallel.For(0, chunks, chunk =>
                {
                    int from = (int)((long)count * chunk / chunks), to = (int)((long)count * (chunk + 1) / chunks);
                    InputDerivativeRange(
                        kernel,
                        new ReadOnlySpan<double>((double*)xAddress, count * n),
                        new Span<double>((double*)yAddress, count * m),
                        new Span<double>((double*)jAddress, count * m * n),
                        new Span<double>((double*)hAddress, count * hessianLength),
                        second,
                        from,
                        to);
                });
            }
        }
    }

    /// <summary>
    /// The parameter gradient of a loss on outputs and input derivatives, Σ_s ℓ_s over a row-major batch (the loss of a
    /// physics-informed residual, for example): for each sample the derivative pass, then ℓ_s and its sensitivities from
    /// <paramref name="loss"/>, then the adjoint of the derivative pass — exact, through the splines' derivatives up to the
    /// third. Runs on all cores for large batches with a fixed chunking (16 chunks reduced in order), so the bits do not
    /// depend on the thread count.
    /// </summary>
    /// <param name="inputs">count × <see cref="InputCount"/> values; the loss sees sample indices 0..count−1.</param>
    /// <param name="second">Which second derivatives the loss reads (and gets in its <c>hessian</c> span).</param>
    /// <param name="loss">ℓ and its sensitivities; called concurrently for different samples.</param>
    /// <param name="parameterGradient">
    /// <see cref="ParameterCount"/> values; with symbolic edges optionally <see cref="ParameterCount"/> + the length of
    /// <see cref="SymbolicParameters"/>, whose tail then receives the affine parameters' gradient (the vector Fit trains).
    /// The gradient is <b>added</b>.
    /// </param>
    /// <returns>Σ_s ℓ_s.</returns>
    public double InputDerivativeLossGradient(ReadOnlySpan<double> inputs, SecondDerivatives second, InputDerivativeLoss loss, Span<double> parameterGradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        HessianLength(second);
        SampleBatch.Count(inputs, InputCount, nameof(inputs), minSamples: 0);

        int combined = ParameterCount + (HasSymbolicEdges ? SymbolicTable.Affine.Length : 0);
        if (parameterGradient.Length != ParameterCount && parameterGradient.Length != combined)
        {
            throw new ArgumentException(
                HasSymbolicEdges
                    ? $"The parameter gradient has {parameterGradient.Length} values; the model has {ParameterCount} spline parameters, or {combined} with the symbolic edges' (a, b, c, d)."
                    : $"The parameter gradient has {parameterGradient.Length} values but the model has {ParameterCount} parameters.",
                nameof(parameterGradient));
        }

        var evaluator = Interlocked.Exchange(ref _lossEvaluator, null);
        if (evaluator is null || evaluator.GradientLength != parameterGradient.Length)
        {
            evaluator = new InputDerivativeLossEvaluator(parameterGradient.Length);
        }

        double total = evaluator.Evaluate(Kernel, inputs, InputCount, second, loss, ParameterBuffer, KnotTable, MaskBuffer, parameterGradient, workers: null);
        _lossEvaluator = evaluator;
        return total;
    }

    private InputDerivativeLossEvaluator? _lossEvaluator;

    private void InputDerivativeRange(KanKernel kernel, ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobians, Span<double> hessians, SecondDerivatives second, int from, int to)
    {
        int n = InputCount, m = OutputCount, hessianLength = HessianLength(second);
        double[] parameters = ParameterBuffer, knots = KnotTable, masks = MaskBuffer;
        for (int s = from; s < to; s++)
        {
            kernel.InputDerivatives(
                inputs.Slice(s * n, n), outputs.Slice(s * m, m), jacobians.Slice(s * m * n, m * n), hessians.Slice(s * hessianLength, hessianLength),
                second, parameters, knots, masks);
        }
    }

    private static void CheckBatchLength(int actual, int perSample, int count, string name, string parameter)
    {
        if (actual != (long)count * perSample)
        {
            throw new ArgumentException($"The {name} span has {actual} values; {count} samples need {count} × {perSample} = {(long)count * perSample}.", parameter);
        }
    }
}
