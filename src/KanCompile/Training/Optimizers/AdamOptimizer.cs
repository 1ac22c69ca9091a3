using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // The scalar loop's operations in the same order, four parameters at a time (sqrt and division are
            // correctly rounded in both, and nothing is fused): the same bits, about four times fewer square roots
            // and divisions, which dominate a step's update at [10,32,32,1] (33k parameters).
            var keep1 = Vector256.Create(1.0 - Beta1);
            var beta2 = Vector256.Create(Beta2);
            var keep2 = Vector256.Create(1.0 - Beta2);
            var correction = Vector256.Create(secondCorrection);
            var epsilon = Vector256.Create(Epsilon);
            var size = Vector256.Create(stepSize);
            ref double p = ref MemoryMarshal.GetReference(parameters);
            ref double gradient = ref MemoryMarshal.GetArrayDataReference(_gradient);
            ref double first = ref MemoryMarshal.GetArrayDataReference(_firstMoment);
            ref double second = ref MemoryMarshal.GetArrayDataReference(_secondMoment);
            for (; i + 4 <= parameters.Length; i += 4)
            {
                nuint at = (nuint)i;
                var g = Vector256.LoadUnsafe(ref gradient, at);
                var m = Vector256.LoadUnsafe(ref first, at);
                m += keep1 * (g - m);
                var v = Vector256.LoadUnsafe(ref second, at) * beta2 + keep2 * g * g;
                var denominator = Vector256.Sqrt(v) / correction + epsilon;
                Vector256.StoreUnsafe(m, ref first, at);
                Vector256.StoreUnsafe(v, ref second, at);
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref p, at) - size * (m / denominator), ref p, at);
            }
        }

        for (; i < parameters.Length; i++)
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
