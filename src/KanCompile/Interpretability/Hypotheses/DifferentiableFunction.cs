namespace KanCompile.Interpretability.Hypotheses;

/// <summary>
/// Evaluates a scalar function at <paramref name="input"/>, writing its gradient into <paramref name="gradient"/> and its
/// Hessian (row-major, ∂²f/∂x_i∂x_j at [i·n + j]) into <paramref name="hessian"/>; either span may be empty to skip it.
/// </summary>
/// <returns>f(input).</returns>
public delegate double DerivativeEvaluator(ReadOnlySpan<double> input, Span<double> gradient, Span<double> hessian);

/// <summary>
/// A scalar function of n inputs with its analytic gradient and Hessian: what the hypothesis tests read (pykan's
/// hypothesis functions take "a model or a python function" and differentiate it with autograd; here a trained
/// model supplies its derivatives through its kernels, <see cref="FromModel"/>, and any other function supplies its own).
/// </summary>
public sealed class DifferentiableFunction
{
    private readonly DerivativeEvaluator _evaluate;

    /// <summary>A function from a delegate that computes its value, gradient and Hessian.</summary>
    /// <param name="inputCount">n, the number of inputs (at least 1).</param>
    /// <param name="evaluate">Writes the gradient and Hessian when their spans are non-empty; returns the value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputCount"/> is below 1.</exception>
    public DifferentiableFunction(int inputCount, DerivativeEvaluator evaluate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        _evaluate = evaluate ?? throw new ArgumentNullException(nameof(evaluate));
        InputCount = inputCount;
    }

    /// <summary>n, the number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>
    /// Output <paramref name="output"/> of a trained model with the derivatives its kernels compute
    /// (<see cref="KanModel.InputDerivatives"/>: analytic, through the splines' derivatives).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not an output of the model.</exception>
    public static DifferentiableFunction FromModel(KanModel model, int output = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if ((uint)output >= (uint)model.OutputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(output), output, $"The model has {model.OutputCount} output(s).");
        }

        int n = model.InputCount, m = model.OutputCount;
        return new DifferentiableFunction(n, (input, gradient, hessian) =>
        {
            Span<double> outputs = stackalloc double[m];
            var jacobian = new double[m * n];
            var full = hessian.IsEmpty ? [] : new double[m * n * n];
            model.InputDerivatives(input, outputs, jacobian, full, hessian.IsEmpty ? SecondDerivatives.None : SecondDerivatives.Full);
            if (!gradient.IsEmpty)
            {
                jacobian.AsSpan(output * n, n).CopyTo(gradient);
            }

            if (!hessian.IsEmpty)
            {
                full.AsSpan(output * n * n, n * n).CopyTo(hessian);
            }

            return outputs[output];
        });
    }

    /// <summary>The model's output 0 (<see cref="FromModel"/>), so a model can be passed wherever a function is expected.</summary>
    public static implicit operator DifferentiableFunction(KanModel model) => FromModel(model);

    /// <summary>f(input), with the gradient and Hessian written where their spans are non-empty.</summary>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputCount"/> values, or a non-empty span has the wrong length.</exception>
    public double Evaluate(ReadOnlySpan<double> input, Span<double> gradient, Span<double> hessian)
    {
        int n = InputCount;
        if (input.Length != n)
        {
            throw new ArgumentException($"The function has {n} inputs; got {input.Length} values.", nameof(input));
        }

        if (!gradient.IsEmpty && gradient.Length != n)
        {
            throw new ArgumentException($"The gradient needs {n} values (or none); got {gradient.Length}.", nameof(gradient));
        }

        if (!hessian.IsEmpty && hessian.Length != n * n)
        {
            throw new ArgumentException($"The Hessian needs {n} × {n} = {n * n} values (or none); got {hessian.Length}.", nameof(hessian));
        }

        return _evaluate(input, gradient, hessian);
    }

    /// <summary>f(input).</summary>
    public double Evaluate(ReadOnlySpan<double> input) => Evaluate(input, [], []);
}
