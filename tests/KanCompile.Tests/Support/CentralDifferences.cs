namespace KanCompile.Tests.Support;

/// <summary>
/// Gradient checks by central finite differences: one entry of a buffer the objective reads is nudged by ±h and
/// restored, and (f(θ + h) − f(θ − h)) / 2h is compared with the analytic gradient, relative to max(1, |difference|).
/// </summary>
internal static class CentralDifferences
{
    /// <summary>The step every gradient test uses: small enough for 1e-6 agreement, large enough to stay above rounding.</summary>
    public const double Step = 1e-6;

    /// <summary>(f(θ + h) − f(θ − h)) / 2h for entry <paramref name="index"/> of <paramref name="values"/>, left unchanged.</summary>
    public static double Derivative(Span<double> values, int index, Func<double> objective, double h = Step)
    {
        double keep = values[index];
        values[index] = keep + h;
        double up = objective();
        values[index] = keep - h;
        double down = objective();
        values[index] = keep;
        return (up - down) / (2 * h);
    }

    /// <summary>Asserts |difference − gradient| ≤ tolerance·max(1, |difference|) for every entry, naming the first that is not.</summary>
    public static void AssertGradient(Span<double> values, ReadOnlySpan<double> gradient, Func<double> objective, string what, double tolerance = 1e-6, double h = Step)
    {
        Assert.Equal(values.Length, gradient.Length);
        for (int p = 0; p < values.Length; p++)
        {
            double difference = Derivative(values, p, objective, h);
            Assert.True(
                Math.Abs(difference - gradient[p]) <= tolerance * Math.Max(1.0, Math.Abs(difference)),
                $"{what}[{p}] = {gradient[p]}, central difference {difference}");
        }
    }

    /// <summary>The largest |difference − gradient| / max(1, |difference|) over every entry.</summary>
    public static double WorstRelativeGap(Span<double> values, ReadOnlySpan<double> gradient, Func<double> objective, double h = Step)
    {
        Assert.Equal(values.Length, gradient.Length);
        double worst = 0.0;
        for (int p = 0; p < values.Length; p++)
        {
            double difference = Derivative(values, p, objective, h);
            worst = Math.Max(worst, Math.Abs(difference - gradient[p]) / Math.Max(1.0, Math.Abs(difference)));
        }

        return worst;
    }
}
