namespace KanCompile.Tests.Data;

/// <summary>The one row-major batch check: its messages, and that every API taking samples reports through it.</summary>
public sealed class SampleBatchTests
{
    [Fact]
    public void Count_ReturnsTheSampleCount()
    {
        Assert.Equal(3, SampleBatch.Count(new double[6], 2, "inputs"));
        Assert.Equal(0, SampleBatch.Count(ReadOnlySpan<double>.Empty, 2, "inputs", minSamples: 0));
        Assert.Equal(2, SampleBatch.CountFinite([1.0, 2.0, 3.0, 4.0], 2, "inputs", minSamples: 2));
    }

    [Fact]
    public void Messages_SayWhatIsWrong()
    {
        Assert.Equal(
            "The inputs hold 5 values, not a multiple of 2 (row-major, 2 values per sample). (Parameter 'inputs')",
            Assert.Throws<ArgumentException>(() => SampleBatch.Count(new double[5], 2, "inputs")).Message);
        Assert.Equal(
            "The inputs are empty; pass at least 1 sample of 3 values (row-major). (Parameter 'inputs')",
            Assert.Throws<ArgumentException>(() => SampleBatch.Count(ReadOnlySpan<double>.Empty, 3, "inputs")).Message);
        Assert.Equal(
            "The reference hold 1 sample; placing grid knots needs at least 2. (Parameter 'reference')",
            Assert.Throws<ArgumentException>(() => SampleBatch.Count(new double[2], 2, "reference", minSamples: 2, what: "reference", purpose: "placing grid knots")).Message);
        var nan = Assert.Throws<ArgumentException>(() => SampleBatch.CountFinite([0.0, 1.0, 2.0, double.NaN], 2, "inputs"));
        Assert.Equal("Sample 1, column 1 of the inputs is NaN; every value must be finite. Remove or impute that sample. (Parameter 'inputs')", nan.Message);
        Assert.Equal("inputs", nan.ParamName);
        Assert.Contains("Sample 0, column 0 of the train labels is -Infinity", Assert.Throws<ArgumentException>(() => SampleBatch.CountFinite([double.NegativeInfinity], 1, "dataset", what: "train labels")).Message);
    }

    [Fact]
    public void EveryApiTakingSamples_UsesTheOneCheck()
    {
        var model = new KanNetwork(new[] { 2, 2, 1 }, gridSize: 3, seed: 1, engine: KanEngine.Reference);
        double[] ragged = [0.1, 0.2, 0.3];
        const string Ragged = "The inputs hold 3 values, not a multiple of 2 (row-major, 2 values per sample).";
        foreach (Action call in new Action[]
        {
            () => model.Predict(ragged, new double[2]),
            () => model.Attribute(ragged),
            () => model.Refine(5, ragged),
            () => model.UpdateGrid(ragged),
            () => model.WithinActivationRange(ragged, new double[] { 0.1, 0.2, 0.3, 0.4 }),
            () => model.SuggestSymbolic(new KanEdge(0, 0, 0), ragged),
            () => model.InputDerivativesBatch(ragged, new double[2], new double[4]),
        })
        {
            Assert.StartsWith(Ragged, Assert.Throws<ArgumentException>(call).Message, StringComparison.Ordinal);
        }
    }
}
