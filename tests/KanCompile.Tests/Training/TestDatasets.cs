using KanCompile.Numerics;

namespace KanCompile.Tests.Training;

/// <summary>Datasets built in the tests with <see cref="KanRandom"/>: uniform inputs on [-1, 1]^d and a target function.</summary>
internal static class TestDatasets
{
    /// <summary>pykan's quick-start target f(x, y) = exp(sin(πx) + y²).</summary>
    public static double QuickStart(ReadOnlySpan<double> x) => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]);

    public static KanDataset Uniform(int inputs, int trainCount, int testCount, int seed, Func<double[], double> target)
    {
        var random = new KanRandom(seed);
        (double[] trainX, double[] trainY) = Draw(random, inputs, trainCount, target);
        (double[] testX, double[] testY) = Draw(random, inputs, testCount, target);
        return new KanDataset(trainX, trainY, testX, testY, inputs, 1);
    }

    private static (double[] X, double[] Y) Draw(KanRandom random, int inputs, int count, Func<double[], double> target)
    {
        var x = new double[count * inputs];
        var y = new double[count];
        var row = new double[inputs];
        for (int s = 0; s < count; s++)
        {
            for (int d = 0; d < inputs; d++)
            {
                row[d] = x[s * inputs + d] = 2.0 * random.NextDouble() - 1.0;
            }

            y[s] = target(row);
        }

        return (x, y);
    }
}
