namespace KanCompile.Training.Losses;

/// <summary>Σ_o (y_o − t_o)², gradient 2·(y − t); the kernels compute it inline (this is its readable form).</summary>
internal sealed class MeanSquaredErrorLoss : KanLoss
{
    public MeanSquaredErrorLoss()
        : base("mse", averagesOverOutputs: true)
    {
    }

    public override double Evaluate(ReadOnlySpan<double> outputs, ReadOnlySpan<double> labels, Span<double> outputGradient)
    {
        double sum = 0.0;
        for (int o = 0; o < outputs.Length; o++)
        {
            double error = outputs[o] - labels[o];
            sum += error * error;
            outputGradient[o] = 2.0 * error;
        }

        return sum;
    }
}
