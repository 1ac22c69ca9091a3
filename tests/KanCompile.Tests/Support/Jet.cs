using KanCompile.Interpretability.Hypotheses;

namespace KanCompile.Tests.Support;

/// <summary>
/// A value with its gradient and Hessian in n variables (second-order forward differentiation), so a test writes
/// a function once, as ordinary arithmetic, and gets its exact derivatives: <c>Jet.Function(3, x =&gt; x[0] + x[1] * x[2])</c>.
/// </summary>
public readonly struct Jet
{
    private readonly double[] _gradient;
    private readonly double[] _hessian;

    private Jet(double value, double[] gradient, double[] hessian)
    {
        Value = value;
        _gradient = gradient;
        _hessian = hessian;
    }

    public double Value { get; }

    private int N => _gradient.Length;

    /// <summary>A function of n variables written over jets, with its exact derivatives.</summary>
    public static DifferentiableFunction Function(int n, Func<Jet[], Jet> f) => new(n, (input, gradient, hessian) =>
    {
        var variables = new Jet[n];
        for (int i = 0; i < n; i++)
        {
            var g = new double[n];
            g[i] = 1.0;
            variables[i] = new Jet(input[i], g, new double[n * n]);
        }

        Jet y = f(variables);
        if (!gradient.IsEmpty)
        {
            y._gradient.CopyTo(gradient);
        }

        if (!hessian.IsEmpty)
        {
            y._hessian.CopyTo(hessian);
        }

        return y.Value;
    });

    /// <summary>f(u) by the chain rule, given f, f' and f'' at u.</summary>
    public Jet Apply(double f, double df, double d2f)
    {
        int n = N;
        var g = new double[n];
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            g[i] = df * _gradient[i];
            for (int j = 0; j < n; j++)
            {
                h[i * n + j] = d2f * _gradient[i] * _gradient[j] + df * _hessian[i * n + j];
            }
        }

        return new Jet(f, g, h);
    }

    public static Jet operator +(Jet a, Jet b) => Combine(a, b, a.Value + b.Value, 1, 1, 0, 0, 0);

    public static Jet operator -(Jet a, Jet b) => Combine(a, b, a.Value - b.Value, 1, -1, 0, 0, 0);

    public static Jet operator *(Jet a, Jet b) => Combine(a, b, a.Value * b.Value, b.Value, a.Value, 0, 1, 0);

    public static Jet operator /(Jet a, Jet b)
    {
        double v = b.Value;
        return Combine(a, b, a.Value / v, 1 / v, -a.Value / (v * v), 0, -1 / (v * v), 2 * a.Value / (v * v * v));
    }

    public static Jet operator +(Jet a, double c) => a.Apply(a.Value + c, 1, 0);

    public static Jet operator +(double c, Jet a) => a + c;

    public static Jet operator -(Jet a, double c) => a + -c;

    public static Jet operator -(double c, Jet a) => a.Apply(c - a.Value, -1, 0);

    public static Jet operator -(Jet a) => a.Apply(-a.Value, -1, 0);

    public static Jet operator *(Jet a, double c) => a.Apply(a.Value * c, c, 0);

    public static Jet operator *(double c, Jet a) => a * c;

    public static Jet operator /(Jet a, double c) => a * (1 / c);

    public static Jet operator /(double c, Jet a) => a.Apply(c / a.Value, -c / (a.Value * a.Value), 2 * c / (a.Value * a.Value * a.Value));

    public static Jet Sin(Jet a) => a.Apply(Math.Sin(a.Value), Math.Cos(a.Value), -Math.Sin(a.Value));

    public static Jet Cos(Jet a) => a.Apply(Math.Cos(a.Value), -Math.Sin(a.Value), -Math.Cos(a.Value));

    public static Jet Exp(Jet a) => a.Apply(Math.Exp(a.Value), Math.Exp(a.Value), Math.Exp(a.Value));

    public static Jet Log(Jet a) => a.Apply(Math.Log(a.Value), 1 / a.Value, -1 / (a.Value * a.Value));

    public static Jet Sqrt(Jet a) => a.Apply(Math.Sqrt(a.Value), 0.5 / Math.Sqrt(a.Value), -0.25 / (a.Value * Math.Sqrt(a.Value)));

    public static Jet Square(Jet a) => a * a;

    /// <summary>The binary rule: value, ∂/∂a, ∂/∂b, ∂²/∂a², ∂²/∂a∂b, ∂²/∂b².</summary>
    private static Jet Combine(Jet a, Jet b, double value, double fa, double fb, double faa, double fab, double fbb)
    {
        int n = a.N;
        var g = new double[n];
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            g[i] = fa * a._gradient[i] + fb * b._gradient[i];
            for (int j = 0; j < n; j++)
            {
                h[i * n + j] = fa * a._hessian[i * n + j] + fb * b._hessian[i * n + j]
                    + faa * a._gradient[i] * a._gradient[j] + fbb * b._gradient[i] * b._gradient[j]
                    + fab * (a._gradient[i] * b._gradient[j] + b._gradient[i] * a._gradient[j]);
            }
        }

        return new Jet(value, g, h);
    }
}
