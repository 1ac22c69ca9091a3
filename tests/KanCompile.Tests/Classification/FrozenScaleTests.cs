using KanCompile.Tests.Training;

namespace KanCompile.Tests.Classification;

/// <summary>pykan's sb_trainable / sp_trainable: frozen scales keep their bits through every optimiser, and the rest still trains.</summary>
public class FrozenScaleTests
{
    [Theory]
    [InlineData(KanOptimizer.LBfgs, false, false, true)]
    [InlineData(KanOptimizer.LBfgs, false, true, false)]
    [InlineData(KanOptimizer.LBfgs, true, false, false)]
    [InlineData(KanOptimizer.Adam, false, false, false)]
    [InlineData(KanOptimizer.Adam, true, false, false)]
    [InlineData(KanOptimizer.LevenbergMarquardt, false, false, false)]
    [InlineData(KanOptimizer.LevenbergMarquardt, false, true, false)]
    public void Frozen_scales_keep_their_bits_and_the_rest_trains(KanOptimizer optimizer, bool scaleBaseTrainable, bool scaleSplineTrainable, bool updateGrid)
    {
        var model = new Golden231(3);
        KanDataset data = TestDatasets.Uniform(2, 60, 20, 5, x => TestDatasets.QuickStart(x));
        double[] before = model.Parameters.ToArray();
        var options = new FitOptions
        {
            Optimizer = optimizer,
            Steps = 3,
            UpdateGrid = updateGrid,
            LearningRate = optimizer == KanOptimizer.Adam ? 0.01 : 1.0,
            ScaleBaseTrainable = scaleBaseTrainable,
            ScaleSplineTrainable = scaleSplineTrainable,
        };
        FitResult result = model.Fit(data, options);
        Assert.Equal(FitExitReason.Completed, result.ExitReason);

        var layout = model.Layout;
        for (int l = 0; l < model.Depth; l++)
        {
            int edges = layout.ScaleSplineOffset[l] - layout.ScaleBaseOffset[l];
            AssertGroup($"layer {l} scale_base", layout.ScaleBaseOffset[l], edges, frozen: !scaleBaseTrainable);
            AssertGroup($"layer {l} scale_sp", layout.ScaleSplineOffset[l], edges, frozen: !scaleSplineTrainable);
            AssertGroup($"layer {l} coef", layout.CoefficientOffset[l], layout.ScaleBaseOffset[l] - layout.CoefficientOffset[l], frozen: false);
        }

        void AssertGroup(string what, int offset, int length, bool frozen)
        {
            double[] was = before.AsSpan(offset, length).ToArray(), now = model.Parameters.Slice(offset, length).ToArray();
            if (frozen)
            {
                Assert.True(was.Zip(now).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second)), $"{what} moved although frozen ({optimizer})");
            }
            else
            {
                Assert.True(was.Zip(now).Any(p => p.First != p.Second), $"{what} did not train ({optimizer})");
            }
        }
    }
}

/// <summary>pykan's continual-learning property, small: with the scales frozen and no grid update, training on a second peak leaves the first one's fit unchanged.</summary>
public class ContinualLearningTests
{
    [Fact]
    public void Training_on_a_later_peak_keeps_the_earlier_one()
    {
        var model = new KanNetwork([1, 1], gridSize: 40, splineOrder: 3, seed: 0, baseFunction: KanBaseFunction.Zero);
        double[] first = Enumerable.Range(0, 40).Select(i => -0.8 + 0.4 * i / 39).ToArray(), second = first.Select(x => x + 1.2).ToArray();
        double Peak(double x, double c) => Math.Exp(-30 * (x - c) * (x - c));
        var options = new FitOptions { Steps = 10, UpdateGrid = false, ScaleBaseTrainable = false, ScaleSplineTrainable = false };
        double[] firstLabels = first.Select(x => Peak(x, -0.6)).ToArray(), secondLabels = second.Select(x => Peak(x, 0.6)).ToArray();
        model.Fit(new KanDataset(first, firstLabels, first, firstLabels, 1, 1), options);
        var before = new double[first.Length];
        model.Predict(first, before);
        model.Fit(new KanDataset(second, secondLabels, second, secondLabels, 1, 1), options);
        var after = new double[first.Length];
        model.Predict(first, after);
        var learned = new double[second.Length];
        model.Predict(second, learned);

        double Rmse(double[] a, double[] b) => Math.Sqrt(a.Zip(b).Average(p => (p.First - p.Second) * (p.First - p.Second)));
        Assert.True(Rmse(learned, secondLabels) < 1e-2, $"second peak RMSE {Rmse(learned, secondLabels)}");
        // [−0.8, −0.4] and [0.4, 0.8] are further apart than a cubic B-spline's support (4 intervals of 0.05): the second
        // stage's gradient is exactly 0 on every coefficient the first range reads, so its fit keeps its bits.
        Assert.True(Rmse(before, firstLabels) < 1e-2, $"first peak RMSE {Rmse(before, firstLabels)}");
        Assert.Equal(before, after);
    }
}
