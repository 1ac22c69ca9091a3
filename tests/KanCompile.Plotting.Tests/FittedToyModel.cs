namespace KanCompile.Plotting.Tests;

/// <summary>A small quick-start KAN fitted once for the whole test class (a few seconds).</summary>
public sealed class FittedToyModel
{
    public FittedToyModel()
    {
        Model = new KanNetwork(new[] { 2, 5, 1 }, gridSize: 3, seed: 1);
        var dataset = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2, trainCount: 200, testCount: 200);
        Result = Model.Fit(dataset, new FitOptions { Steps = 12, Lambda = 1e-3, StopGridUpdateStep = 10 });
    }

    public KanNetwork Model { get; }

    public FitResult Result { get; }
}
