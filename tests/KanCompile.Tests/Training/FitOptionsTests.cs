namespace KanCompile.Tests.Training;

public class FitOptionsTests
{
    private static int[] Schedule(FitOptions options, int steps = 100) =>
        Enumerable.Range(0, steps).Where(options.IsGridUpdateStep).ToArray();

    [Fact]
    public void Defaults_are_pykans()
    {
        var options = new FitOptions();
        Assert.Equal(KanOptimizer.LBfgs, options.Optimizer);
        Assert.Equal(100, options.Steps);
        Assert.Equal(1.0, options.LearningRate);
        Assert.Equal(0.0, options.Lambda);
        Assert.Equal(1.0, options.LambdaL1);
        Assert.Equal(2.0, options.LambdaEntropy);
        Assert.Equal(0.0, options.LambdaCoef);
        Assert.Equal(0.0, options.LambdaCoefDiff);
        Assert.True(options.UpdateGrid);
        Assert.Equal(10, options.GridUpdateCount);
        Assert.Equal(-1, options.StartGridUpdateStep);
        Assert.Equal(50, options.StopGridUpdateStep);
        Assert.Equal(-1, options.BatchSize);
        Assert.Equal(Environment.ProcessorCount, options.MaxDegreeOfParallelism);
    }

    [Fact]
    public void Grid_update_schedule_follows_pykan()
    {
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25, 30, 35, 40, 45 }, Schedule(new FitOptions()));
        Assert.Equal(new[] { 10, 15, 20, 25, 30, 35, 40, 45 }, Schedule(new FitOptions { StartGridUpdateStep = 8 }));
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18 }, Schedule(new FitOptions { StopGridUpdateStep = 20 }));

        // int(25 / 10) = 2: pykan truncates the interval, giving 13 updates rather than 10.
        Assert.Equal(13, Schedule(new FitOptions { StopGridUpdateStep = 25 }).Length);
        Assert.Empty(Schedule(new FitOptions { UpdateGrid = false }));
    }
}
