namespace KanCompile.Tests.Support;

/// <summary>
/// Checks input derivatives by central differences: the Jacobian against differences of the outputs, the Hessian
/// (full or diagonal) against differences of the analytic Jacobian, entry by entry relative to max(1, |difference|).
/// </summary>
internal static class InputDerivativeCheck
{
    /// <summary>Computes one sample's outputs, Jacobian and Hessian (of the length the mode asks) into the spans.</summary>
    public delegate void Derivatives(double[] input, Span<double> output, Span<double> jacobian, Span<double> hessian, SecondDerivatives second);

    /// <summary>Asserts the Jacobian, the full Hessian and the diagonal at <paramref name="x"/>; returns the largest relative gap.</summary>
    public static double Assert(Derivatives derivatives, double[] x, int outputs, string what, double tolerance = 1e-6)
    {
        int n = x.Length;
        var y = new double[outputs];
        var jacobian = new double[outputs * n];
        var full = new double[outputs * n * n];
        var diagonal = new double[outputs * n];
        var jacobianOnly = new double[outputs * n];
        derivatives(x, y, jacobianOnly, default, SecondDerivatives.None);
        derivatives(x, y, jacobian, full, SecondDerivatives.Full);
        derivatives(x, y, new double[outputs * n], diagonal, SecondDerivatives.Diagonal);
        Xunit.Assert.Equal(jacobianOnly, jacobian);

        double worst = 0.0;
        var up = new double[outputs];
        var down = new double[outputs];
        var jacobianUp = new double[outputs * n];
        var jacobianDown = new double[outputs * n];
        const double h = CentralDifferences.Step;
        for (int a = 0; a < n; a++)
        {
            double keep = x[a];
            x[a] = keep + h;
            derivatives(x, up, jacobianUp, default, SecondDerivatives.None);
            x[a] = keep - h;
            derivatives(x, down, jacobianDown, default, SecondDerivatives.None);
            x[a] = keep;
            for (int o = 0; o < outputs; o++)
            {
                worst = Math.Max(worst, Check(jacobian[o * n + a], (up[o] - down[o]) / (2 * h), tolerance, $"{what}: dy{o}/dx{a}"));
                for (int b = 0; b < n; b++)
                {
                    double difference = (jacobianUp[o * n + b] - jacobianDown[o * n + b]) / (2 * h);
                    worst = Math.Max(worst, Check(full[(o * n + b) * n + a], difference, tolerance, $"{what}: d2y{o}/dx{b}dx{a}"));
                }

                Xunit.Assert.Equal(full[(o * n + a) * n + a], diagonal[o * n + a]);
            }
        }

        return worst;
    }

    private static double Check(double analytic, double difference, double tolerance, string what)
    {
        double gap = Math.Abs(analytic - difference) / Math.Max(1.0, Math.Abs(difference));
        Xunit.Assert.True(gap <= tolerance, $"{what} = {analytic}, central difference {difference}");
        return gap;
    }
}
