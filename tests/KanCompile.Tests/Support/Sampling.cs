namespace KanCompile.Tests.Support;

/// <summary>Deterministic test inputs that hit every zone of a grid: inside, exactly on knots, padding, far outside.</summary>
public static class Sampling
{
    public static IEnumerable<double[]> Inputs(KanModel model, int seed, int count)
    {
        var random = new Random(seed);
        ReadOnlySpan<double> knots = model.GetKnots(0, 0);
        double[] knotArray = knots.ToArray();
        double lo = model.Architecture.GridMin, hi = model.Architecture.GridMax;
        double first = knotArray[0], last = knotArray[^1];
        for (int s = 0; s < count; s++)
        {
            var x = new double[model.InputCount];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (s % 5) switch
                {
                    0 => lo + (hi - lo) * random.NextDouble(),
                    1 => knotArray[random.Next(knotArray.Length)],
                    2 => random.Next(2) == 0 ? first + (lo - first) * random.NextDouble() : hi + (last - hi) * random.NextDouble(),
                    3 => (random.NextDouble() * 2 - 1) * 50,
                    _ => first + (last - first) * random.NextDouble(),
                };
            }

            yield return x;
        }
    }

    /// <summary>Overwrites every parameter with a uniform value in [-1, 1].</summary>
    public static void Randomize(Span<double> parameters, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = random.NextDouble() * 2 - 1;
        }
    }

    public static double RelativeError(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Max(1.0, Math.Abs(expected));
}
