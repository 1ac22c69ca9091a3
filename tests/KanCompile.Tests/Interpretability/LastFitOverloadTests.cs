using KanCompile.Symbolic;
using KanCompile.Tests.Training;

namespace KanCompile.Tests.Interpretability;

/// <summary>
/// Operations on samples come in two overloads: without inputs they use the last fit's training inputs (a clear error
/// before any fit), with inputs they use exactly those, and an empty span is an error that says so — never a silent
/// switch to the last fit's inputs.
/// </summary>
public sealed class LastFitOverloadTests
{
    private static readonly KanEdge Edge = new(0, 1, 0);

    private static KanNetwork Model() => new(new[] { 2, 2, 1 }, gridSize: 3, seed: 1, engine: KanEngine.Reference);

    private static IEnumerable<(string Name, Action<KanModel> Call)> WithoutInputs() =>
    [
        ("Attribute", m => m.Attribute()),
        ("FeatureScores", m => m.FeatureScores()),
        ("Prune", m => m.Prune()),
        ("PruneNode", m => m.PruneNode()),
        ("PruneEdge", m => m.PruneEdge()),
        ("PruneInput", m => m.PruneInput()),
        ("Refine", m => m.Refine(5)),
        ("FixSymbolic", m => m.FixSymbolic(Edge, "sin")),
        ("SuggestSymbolic", m => m.SuggestSymbolic(Edge)),
        ("AutoSymbolic", m => m.AutoSymbolic()),
    ];

    private static IEnumerable<(string Name, Action<KanModel> Call)> WithEmptyInputs() =>
    [
        ("Attribute", m => m.Attribute(ReadOnlySpan<double>.Empty)),
        ("FeatureScores", m => m.FeatureScores(ReadOnlySpan<double>.Empty)),
        ("Prune", m => m.Prune(ReadOnlySpan<double>.Empty)),
        ("PruneNode", m => m.PruneNode(ReadOnlySpan<double>.Empty)),
        ("PruneEdge", m => m.PruneEdge(ReadOnlySpan<double>.Empty)),
        ("PruneInput", m => m.PruneInput(ReadOnlySpan<double>.Empty)),
        ("Refine", m => m.Refine(5, ReadOnlySpan<double>.Empty)),
        ("FixSymbolic", m => m.FixSymbolic(Edge, "sin", ReadOnlySpan<double>.Empty)),
        ("FixSymbolic", m => m.FixSymbolic(Edge, SymbolicLibrary.Default.Get("sin"), ReadOnlySpan<double>.Empty)),
        ("SuggestSymbolic", m => m.SuggestSymbolic(Edge, ReadOnlySpan<double>.Empty)),
        ("AutoSymbolic", m => m.AutoSymbolic(ReadOnlySpan<double>.Empty)),
    ];

    [Fact]
    public void WithoutInputs_BeforeAnyFit_SaysToFitFirst()
    {
        foreach (var (name, call) in WithoutInputs())
        {
            var error = Assert.Throws<InvalidOperationException>(() => call(Model()));
            Assert.StartsWith($"{name} without inputs uses LastFitInputs, the last fit's training inputs, but the model has not been fitted", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmptyInputs_AreAnError_EvenAfterAFit()
    {
        var fitted = Fitted();
        foreach (var (name, call) in WithEmptyInputs())
        {
            foreach (var model in new KanModel[] { Model(), fitted })
            {
                var error = Assert.Throws<ArgumentException>(() => call(model));
                Assert.Equal("inputs", error.ParamName);
                Assert.StartsWith($"{name} was given no samples (an empty span).", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void FixSymbolic_WithoutFitting_NeedsNoSamples()
    {
        var model = Model();
        Assert.True(double.IsNaN(model.FixSymbolic(Edge, "sin", fitParameters: false)));
        Assert.Equal(new SymbolicEdge("sin", 1, 0, 1, 0), model.GetSymbolicEdge(Edge));
    }

    [Fact]
    public void WithoutInputs_AfterAFit_IsTheLastFitsInputs()
    {
        var model = Fitted();
        double[] last = model.LastFitInputs!;
        Assert.Equal(model.FeatureScores(last), model.FeatureScores());
        Assert.Equal(model.SuggestSymbolic(Edge, last).Select(c => (c.Name, c.RSquared)), model.SuggestSymbolic(Edge).Select(c => (c.Name, c.RSquared)));

        var copy = Fitted();
        model.Refine(5);
        copy.Refine(5, last);
        Assert.Equal(copy.Parameters.ToArray(), model.Parameters.ToArray());
    }

    private static KanNetwork Fitted()
    {
        var model = Model();
        model.Fit(TestDatasets.Uniform(2, 40, 10, 0, x => Math.Sin(x[0]) + x[1] * x[1]), new FitOptions { Steps = 2, UpdateGrid = false });
        return model;
    }
}
