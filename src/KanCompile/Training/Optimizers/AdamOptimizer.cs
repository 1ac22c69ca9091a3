namespace KanCompile.Training.Optimizers;

/// <summary>
/// torch.optim.Adam with its defaults (betas 0.9 and 0.999, eps 1e-8, no weight decay, no amsgrad): one
/// gradient evaluation and one update per step.
/// </summary>
internal sealed class AdamOptimizer : IFitOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly double _learningRate;
    private readonly double[] _gradient;
    private readonly double[] _firstMoment;
    private readonly double[] _secondMoment;
    private int _step;

    public AdamOptimizer(int parameterCount, double learningRate)
    {
        _learningRate = learningRate;
        _gradient = new double[parameterCount];
        _firstMoment = new double[parameterCount];
        _secondMoment = new double[parameterCount];
    }

    public bool Step(Span<double> parameters, IOptimizerObjective objective)
    {
        if (!objective.TryEvaluate(_gradient, out _))
        {
            return false;
        }

        _step++;
        double stepSize = _learningRate / (1.0 - Math.Pow(Beta1, _step));
        double secondCorrection = Math.Sqrt(1.0 - Math.Pow(Beta2, _step));
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = _gradient[i];
            _firstMoment[i] += (1.0 - Beta1) * (g - _firstMoment[i]); // torch: exp_avg.lerp_(grad, 1 - beta1)
            _secondMoment[i] = _secondMoment[i] * Beta2 + (1.0 - Beta2) * g * g;
            double denominator = Math.Sqrt(_secondMoment[i]) / secondCorrection + Epsilon;
            parameters[i] -= stepSize * (_firstMoment[i] / denominator);
        }

        return true;
    }
}
