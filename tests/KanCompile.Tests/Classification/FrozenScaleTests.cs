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
