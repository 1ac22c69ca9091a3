using KanCompile.Symbolic;
using KanCompile.Symbolic.Discovery;

namespace KanCompile.Tests.Symbolic.Discovery;

/// <summary>
/// DiscoverFormula, the formula search on a trained model (issue #8): the search runs on the model's own trained splines first, leaves the
/// model as it was, and refuses data or models it cannot search. pykan's one-shot AutoSymbolic is unchanged.
/// </summary>
public sealed class DiscoverFormulaTests
{
    private static KanDataset Data(Func<double, double, double> law) =>
        KanDataset.FromFunction(x => law(x[0], x[1]), 2, ranges: new[] { (-1.0, 1.0), (-1.0, 1.0) }, trainCount: 400, testCount: 200);

    [Fact]
    public void DiscoveryModeSearchesTheModelsOwnSplinesAndLeavesTheModelAlone()
    {
        var data = Data((a, b) => Math.Sin(2 * a) + b * b);
        var model = new KanNetwork([2, 1, 1], 5, 3, seed: 7);
        model.Fit(data, new FitOptions { Steps = 50 });
        model.Refine(10);
        model.Fit(data, new FitOptions { Steps = 50 });
        double[] before = model.Parameters.ToArray();

        // One model only: the given one (seed 7; the search's own models use seed 0), so the formula comes from its
        // splines (the structure search, which trains its own model, is off).
        var progress = new List<FormulaSearchProgress>();
        var result = model.DiscoverFormula(data, new FormulaSearchOptions { MaxModels = 1, StructureSearch = false }, new SynchronousProgress(progress.Add));

        Assert.True(result.Found, result.ToString());
        Assert.True(result.TestRmse <= 1e-8, result.ToString());
        Assert.Equal([2, 1, 1], result.Chosen!.Widths);
        Assert.Equal(7, result.Chosen.ModelSeed);
        Assert.Contains("sin(", result.Formula!.ToText());
        Assert.Single(progress);
        Assert.Contains("the given model", progress[0].Stage);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.False(model.HasSymbolicEdges);
    }

    [Fact]
    public void AGivenModelIsAHintNotATrap()
    {
        // A wide trained model whose edges cannot all become library functions: on the first pass it gets a quarter
        // of its budget, and the search goes on to the other shapes, which hold the law.
        var data = Data((a, b) => Math.Exp(a) * b);
        var model = new KanNetwork([2, 3, 1], 5, 3, seed: 7);
        model.Fit(data, new FitOptions { Steps = 30 });
        var progress = new List<FormulaSearchProgress>();
        var options = new FormulaSearchOptions { MaxModels = 4, StructureSearch = false };
        var result = model.DiscoverFormula(data, options, new SynchronousProgress(progress.Add));

        Assert.Contains("the given model", progress[0].Stage);
        Assert.True(progress[0].Retrains <= options.MaxRetrainsPerModel / 4, progress[0].ToString());
        Assert.Contains(progress.Skip(1), p => p.Stage.StartsWith("searched [2,", StringComparison.Ordinal));
        Assert.True(result.Found, result.ToString());
    }

    [Fact]
    public void DiscoverFormulaRefusesADatasetOfAnotherShape()
    {
        var model = new KanNetwork([3, 2, 1], 5, 3, seed: 1, engine: KanEngine.Reference);
        var error = Assert.Throws<ArgumentException>(() => model.DiscoverFormula(Data((a, b) => a + b)));
        Assert.Contains("2 inputs", error.Message);
    }

    [Fact]
    public void DiscoverFormulaRefusesAModelWithSymbolicEdges()
    {
        var model = new KanNetwork([2, 2, 1], 5, 3, seed: 1, engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), SymbolicLibrary.Default.Get("sin"), fitParameters: false);
        var error = Assert.Throws<InvalidOperationException>(() => model.DiscoverFormula(Data((a, b) => a + b)));
        Assert.Contains("UnfixSymbolic", error.Message);
    }

    private sealed class SynchronousProgress(Action<FormulaSearchProgress> report) : IProgress<FormulaSearchProgress>
    {
        public void Report(FormulaSearchProgress value) => report(value);
    }
}
