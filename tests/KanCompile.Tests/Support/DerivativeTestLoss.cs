namespace KanCompile.Tests.Support;

/// <summary>
/// ℓ_s = (Σ_o a_o·y_o + Σ b_k·J_k + Σ c_k·H_k − t_s)² + 0.1·y_0·J_0·(1 + H_0), a loss that mixes every kind of
/// derivative nonlinearly.
/// </summary>
internal sealed class DerivativeTestLoss : InputDerivativeLoss
{
    private readonly SecondDerivatives _second;

    public DerivativeTestLoss(SecondDerivatives second, int inputCount, int count)
    {
        _second = second;
        var random = new Random(count * 7 + inputCount);
        Inputs = Enumerable.Range(0, count * inputCount).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
        Targets = Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    public double[] Inputs { get; }

    public double[] Targets { get; }

    public override double Evaluate(int sample, ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> jacobian, ReadOnlySpan<double> hessian, Span<double> outputSensitivity, Span<double> jacobianSensitivity, Span<double> hessianSensitivity)
    {
        double r = -Targets[sample];
        for (int o = 0; o < output.Length; o++)
        {
            r += (1.0 - 0.3 * o) * output[o];
        }

        for (int k = 0; k < jacobian.Length; k++)
        {
            r += (0.5 - 0.1 * k) * jacobian[k];
        }

        for (int k = 0; k < hessian.Length; k++)
        {
            r += (0.2 + 0.05 * k) * hessian[k];
        }

        double h0 = hessian.IsEmpty ? 0.0 : hessian[0];
        for (int o = 0; o < output.Length; o++)
        {
            outputSensitivity[o] = 2 * r * (1.0 - 0.3 * o);
        }

        for (int k = 0; k < jacobian.Length; k++)
        {
            jacobianSensitivity[k] = 2 * r * (0.5 - 0.1 * k);
        }

        for (int k = 0; k < hessian.Length; k++)
        {
            hessianSensitivity[k] = 2 * r * (0.2 + 0.05 * k);
        }

        outputSensitivity[0] += 0.1 * jacobian[0] * (1 + h0);
        jacobianSensitivity[0] += 0.1 * output[0] * (1 + h0);
        if (!hessian.IsEmpty)
        {
            hessianSensitivity[0] += 0.1 * output[0] * jacobian[0];
        }

        return r * r + 0.1 * output[0] * jacobian[0] * (1 + h0);
    }

    /// <summary>Σ_s ℓ_s from the model's derivative pass, for central differences.</summary>
    public double Total(KanModel model, double[] inputs)
    {
        int n = model.InputCount, m = model.OutputCount, length = model.HessianLength(_second);
        int count = inputs.Length / n;
        var y = new double[count * m];
        var jacobian = new double[count * m * n];
        var hessian = new double[count * length];
        model.InputDerivativesBatch(inputs, y, jacobian, hessian, _second);
        double total = 0.0;
        for (int s = 0; s < count; s++)
        {
            total += Evaluate(s, inputs.AsSpan(s * n, n), y.AsSpan(s * m, m), jacobian.AsSpan(s * m * n, m * n), hessian.AsSpan(s * length, length), new double[m], new double[m * n], new double[length]);
        }

        return total;
    }
}
