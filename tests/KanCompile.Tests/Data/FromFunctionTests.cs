using KanCompile.Numerics;

namespace KanCompile.Tests.Data;

/// <summary>KanDataset.FromFunction against pykan's create_dataset semantics (kan-math §1.6).</summary>
public class FromFunctionTests
{
    private static double Toy(ReadOnlySpan<double> x) => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]);

    [Fact]
    public void Defaults_are_pykans_1000_plus_1000_samples_on_minus_1_to_1()
    {
        var data = KanDataset.FromFunction(Toy, 2);
        Assert.Equal((1000, 1000, 2, 1), (data.TrainCount, data.TestCount, data.InputCount, data.OutputCount));
        Assert.Equal(2000, data.TrainInputs.Length);
        Assert.All(data.TrainInputs.Concat(data.TestInputs), v => Assert.InRange(v, -1.0, 1.0));
        Assert.True(data.TrainInputs.Min() < -0.99 && data.TrainInputs.Max() > 0.99);
        Assert.Null(data.InputNormalization);
        Assert.Null(data.LabelNormalization);
    }

    [Fact]
    public void Draws_each_variable_train_column_then_test_column_from_the_seeded_source()
    {
        var ranges = new[] { (-2.0, 3.0), (10.0, 10.5) };
        var data = KanDataset.FromFunction(Toy, 2, ranges, trainCount: 7, testCount: 5, seed: 42);
        var random = new KanRandom(42);
        for (int i = 0; i < 2; i++)
        {
            (double lo, double hi) = ranges[i];
            for (int s = 0; s < 7; s++)
            {
                Assert.Equal(random.NextDouble() * (hi - lo) + lo, data.TrainInputs[s * 2 + i]);
            }

            for (int s = 0; s < 5; s++)
            {
                Assert.Equal(random.NextDouble() * (hi - lo) + lo, data.TestInputs[s * 2 + i]);
            }
        }

        for (int s = 0; s < 7; s++)
        {
            Assert.Equal(Toy(data.TrainInputs.AsSpan(s * 2, 2)), data.TrainLabels[s]);
        }
    }

    [Fact]
    public void Per_variable_ranges_are_respected()
    {
        var data = KanDataset.FromFunction(x => x[0] + x[1] + x[2], 3, new[] { (0.0, 1.0), (-5.0, -4.0), (100.0, 200.0) }, 500, 500);
        for (int i = 0; i < 3; i++)
        {
            var column = Enumerable.Range(0, 500).Select(s => data.TrainInputs[s * 3 + i]).Concat(Enumerable.Range(0, 500).Select(s => data.TestInputs[s * 3 + i])).ToArray();
            var (lo, hi) = new[] { (0.0, 1.0), (-5.0, -4.0), (100.0, 200.0) }[i];
            Assert.All(column, v => Assert.InRange(v, lo, hi));
            Assert.True(column.Max() - column.Min() > 0.95 * (hi - lo), $"variable {i} does not cover its range");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_data_and_another_seed_does_not()
    {
        var a = KanDataset.FromFunction(Toy, 2, seed: 3);
        var b = KanDataset.FromFunction(Toy, 2, seed: 3);
        var c = KanDataset.FromFunction(Toy, 2, seed: 4);
        Assert.Equal(a.TrainInputs, b.TrainInputs);
        Assert.Equal(a.TestLabels, b.TestLabels);
        Assert.NotEqual(a.TrainInputs, c.TrainInputs);
    }

    [Fact]
    public void Normalisation_uses_training_mean_and_unbiased_std_on_both_splits_and_keeps_them()
    {
        var ranges = new[] { (0.0, 4.0) };
        var raw = KanDataset.FromFunction(Toy, 2, ranges, 300, 200, seed: 8);
        var normalized = KanDataset.FromFunction(Toy, 2, ranges, 300, 200, seed: 8, normalizeInput: true, normalizeLabel: true);
        Assert.NotNull(normalized.InputNormalization);
        Assert.NotNull(normalized.LabelNormalization);

        void Check(double[] rawTrain, double[] rawTest, double[] train, double[] test, int columns, ColumnStatistics statistics)
        {
            for (int c = 0; c < columns; c++)
            {
                double[] column = Enumerable.Range(0, rawTrain.Length / columns).Select(s => rawTrain[s * columns + c]).ToArray();
                double mean = column.Average();
                double std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));
                Assert.Equal(mean, statistics.Mean[c], 12);
                Assert.Equal(std, statistics.StandardDeviation[c], 12);
                for (int s = 0; s < column.Length; s++)
                {
                    Assert.Equal((rawTrain[s * columns + c] - mean) / std, train[s * columns + c], 12);
                }

                for (int s = 0; s < rawTest.Length / columns; s++)
                {
                    Assert.Equal((rawTest[s * columns + c] - mean) / std, test[s * columns + c], 12);
                }

                double[] normalizedColumn = Enumerable.Range(0, column.Length).Select(s => train[s * columns + c]).ToArray();
                Assert.Equal(0.0, normalizedColumn.Average(), 12);
                Assert.Equal(1.0, Math.Sqrt(normalizedColumn.Sum(v => v * v) / (column.Length - 1)), 12);
            }
        }

        Check(raw.TrainInputs, raw.TestInputs, normalized.TrainInputs, normalized.TestInputs, 2, normalized.InputNormalization!);
        Check(raw.TrainLabels, raw.TestLabels, normalized.TrainLabels, normalized.TestLabels, 1, normalized.LabelNormalization!);
    }

    [Fact]
    public void Labels_come_from_the_raw_inputs_when_only_inputs_are_normalised()
    {
        var raw = KanDataset.FromFunction(Toy, 2, trainCount: 50, testCount: 20, seed: 1);
        var normalized = KanDataset.FromFunction(Toy, 2, trainCount: 50, testCount: 20, seed: 1, normalizeInput: true);
        Assert.Equal(raw.TrainLabels, normalized.TrainLabels);
        Assert.Equal(raw.TestLabels, normalized.TestLabels);
    }

    [Fact]
    public void Multi_output_functions_fill_every_label()
    {
        var data = KanDataset.FromFunction((x, y) => { y[0] = x[0] * x[1]; y[1] = x[0] - x[1]; }, 2, 2, trainCount: 10, testCount: 4, inputNames: new[] { "a", "b" });
        Assert.Equal(2, data.OutputCount);
        Assert.Equal(new[] { "a", "b" }, data.InputNames);
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(data.TestInputs[2 * s] * data.TestInputs[2 * s + 1], data.TestLabels[2 * s]);
            Assert.Equal(data.TestInputs[2 * s] - data.TestInputs[2 * s + 1], data.TestLabels[2 * s + 1]);
        }
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        Assert.Contains("2 ranges for 3 variables", Assert.Throws<ArgumentException>(() => KanDataset.FromFunction(x => 0, 3, new[] { (0.0, 1.0), (0.0, 1.0) })).Message);
        Assert.Contains("Min ≤ Max", Assert.Throws<ArgumentException>(() => KanDataset.FromFunction(x => 0, 1, new[] { (1.0, 0.0) })).Message);
        Assert.Contains("training sample 0", Assert.Throws<ArgumentException>(() => KanDataset.FromFunction(x => Math.Log(x[0]), 1, new[] { (-2.0, -1.0) })).Message);
        Assert.Contains("constant", Assert.Throws<ArgumentException>(() => KanDataset.FromFunction(x => 1.0, 1, normalizeLabel: true)).Message);
    }
}
