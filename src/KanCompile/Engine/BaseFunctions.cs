namespace KanCompile.Engine;

/// <summary>The residual functions b(x) and their derivatives, written plainly for the reference engine.</summary>
internal static class BaseFunctions
{
    public static double Value(KanBaseFunction function, double x) => function switch
    {
        KanBaseFunction.SiLU => x / (1.0 + Math.Exp(-x)),
        KanBaseFunction.Identity => x,
        _ => 0.0,
    };

    public static double Derivative(KanBaseFunction function, double x)
    {
        switch (function)
        {
            case KanBaseFunction.SiLU:
                double sigmoid = 1.0 / (1.0 + Math.Exp(-x));
                return sigmoid * (1.0 + x * (1.0 - sigmoid));
            case KanBaseFunction.Identity:
                return 1.0;
            default:
                return 0.0;
        }
    }

    /// <summary>
    /// b''(x) and b'''(x), for input derivatives and their adjoint. With σ = 1/(1 + e^−x) and σ' = σ(1 − σ), SiLU
    /// b = x·σ has b'' = 2σ' + x·σ'' and b''' = 3σ'' + x·σ''', where σ'' = σ'(1 − 2σ) and σ''' = σ'(1 − 6σ + 6σ²).
    /// </summary>
    public static void HigherDerivatives(KanBaseFunction function, double x, out double second, out double third)
    {
        if (function != KanBaseFunction.SiLU)
        {
            second = 0.0;
            third = 0.0;
            return;
        }

        double sigmoid = 1.0 / (1.0 + Math.Exp(-x));
        double slope = sigmoid * (1.0 - sigmoid);
        second = slope * (2.0 + x * (1.0 - 2.0 * sigmoid));
        third = slope * (3.0 * (1.0 - 2.0 * sigmoid) + x * (1.0 - 6.0 * sigmoid + 6.0 * sigmoid * sigmoid));
    }
}
