namespace KanCompile.Tests.Support;

/// <summary>
/// A function with no closed form in the symbolic library, for tests that a formula search ends with
/// "no formula found" and the best spline model.
/// </summary>
public static class Bessel
{
    /// <summary>J0 by its integral (1/π)∫₀^π cos(x·sin t) dt, Simpson's rule with 200 intervals.</summary>
    public static double J0(double x)
    {
        const int n = 200;
        double h = Math.PI / n, sum = 0.0;
        for (int k = 0; k <= n; k++)
        {
            double weight = k == 0 || k == n ? 1 : k % 2 == 1 ? 4 : 2;
            sum += weight * Math.Cos(x * Math.Sin(k * h));
        }

        return sum * h / 3 / Math.PI;
    }
}
