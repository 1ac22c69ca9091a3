using KanCompile.Numerics;

namespace KanCompile;

public sealed partial class KanDataset
{
    /// <summary>
    /// Two interleaving half circles, the classification toy of pykan's tutorial (scikit-learn's <c>make_moons</c>):
    /// class 0 ("upper") on (cos t, sin t), class 1 ("lower") on (1 − cos t, 1/2 − sin t), t evenly spaced on [0, π]
    /// (half the samples each, the lower moon taking an odd one), every point shifted by Gaussian noise of standard
    /// deviation <paramref name="noise"/>, the samples shuffled. The training and test sets are drawn one after the
    /// other from one <see cref="KanRandom"/>, so the same seed always gives the same data.
    /// </summary>
    /// <param name="trainCount">Training samples (pykan's tutorial: 1000).</param>
    /// <param name="testCount">Test samples (pykan's tutorial: 1000).</param>
    /// <param name="noise">Standard deviation of the noise (pykan's tutorial: 0.1).</param>
    /// <param name="seed">Random seed.</param>
    public static KanDataset TwoMoons(int trainCount = 1000, int testCount = 1000, double noise = 0.1, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(testCount, 1);
        if (!double.IsFinite(noise) || noise < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite standard deviation, 0 or more.");
        }

        var random = new KanRandom(seed);
        var (trainInputs, trainClasses) = Moons(trainCount, noise, random);
        var (testInputs, testClasses) = Moons(testCount, noise, random);
        return FromClasses(trainInputs, trainClasses, testInputs, testClasses, 2, ["upper", "lower"], ["x1", "x2"], "moon");
    }

    private static (double[] Inputs, int[] Classes) Moons(int count, double noise, KanRandom random)
    {
        int upper = count / 2, lower = count - upper;
        var inputs = new double[2 * count];
        var classes = new int[count];
        for (int s = 0; s < count; s++)
        {
            bool isUpper = s < upper;
            int index = isUpper ? s : s - upper, points = isUpper ? upper : lower;
            double t = points == 1 ? 0.0 : Math.PI * index / (points - 1);
            inputs[2 * s] = isUpper ? Math.Cos(t) : 1.0 - Math.Cos(t);
            inputs[2 * s + 1] = isUpper ? Math.Sin(t) : 0.5 - Math.Sin(t);
            classes[s] = isUpper ? 0 : 1;
        }

        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order.AsSpan());
        var shuffledInputs = new double[2 * count];
        var shuffledClasses = new int[count];
        for (int s = 0; s < count; s++)
        {
            shuffledInputs[2 * s] = inputs[2 * order[s]] + noise * random.NextGaussian();
            shuffledInputs[2 * s + 1] = inputs[2 * order[s] + 1] + noise * random.NextGaussian();
            shuffledClasses[s] = classes[order[s]];
        }

        return (shuffledInputs, shuffledClasses);
    }
}
