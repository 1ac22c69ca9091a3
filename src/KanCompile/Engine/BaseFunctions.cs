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
}
