namespace KanCompile.Tests.Grids;

/// <summary>A miniature of the paper's grid-extension experiment (samples/ScalingLaws): refining helps.</summary>
public class GridExtensionScalingTests
{
    [Fact]
    public void Refining_the_minimal_toy_model_from_3_to_10_lowers_the_test_error()
    {
        var dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2, seed: 0);
        var model = new Toy211Extensible(seed: 1);
        var options = new FitOptions { Steps = 50 };

        FitResult coarse = model.Fit(dataset, options);
        model.Refine(10);
        FitResult fine = model.Fit(dataset, options);

        Assert.Equal(FitExitReason.Completed, coarse.ExitReason);
        Assert.Equal(FitExitReason.Completed, fine.ExitReason);
        Assert.Equal(10, model.GridSize);
        double before = coarse.TestRmse[^1], after = fine.TestRmse[^1];
        Assert.True(after < before / 5, $"test RMSE at G = 3: {before:E3}, after refining to 10 and fitting: {after:E3}");
    }
}

/// <summary>The paper's minimal toy model with a compiled kernel for its refined grid (no runtime compile in the test).</summary>
[KanModel(2, 1, 1, GridSize = 3, SplineOrder = 3, GridExtensions = new[] { 10 })]
public partial class Toy211Extensible
{
}
