using System.Text.Json.Nodes;

namespace KanCompile.Tests.Persistence;

/// <summary>
/// <see cref="KanModel.SymbolicSingularityThreshold"/> survives Save/Load (version 2 field, written only when set) and
/// the models Prune/PruneNode/PruneInput create; files without it (version 1, and version 2 before it existed) load
/// with it off.
/// </summary>
public sealed class SingularityThresholdPersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kan-singularity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>[2,2,1] with a 1/x edge from input 0: infinite at x = 0 without the threshold, 0 with it.</summary>
    private static KanNetwork Reciprocal(double? threshold)
    {
        var model = new KanNetwork([2, 2, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference);
        model.FixSymbolic(new KanEdge(0, 0, 0), "1/x", fitParameters: false);
        model.SymbolicSingularityThreshold = threshold;
        return model;
    }

    private static double AtZero(KanModel model)
    {
        var y = new double[1];
        model.Predict([0.0, 0.3], y);
        return y[0];
    }

    [Fact]
    public void Save_then_Load_keeps_the_threshold()
    {
        KanNetwork model = Reciprocal(1000.0);
        string path = Path.Combine(_directory, "safe.json");
        model.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(KanModelFile.ExtendedVersion, (int?)json["version"]);
        Assert.Equal(1000.0, (double?)json["symbolic_singularity_threshold"]);

        KanNetwork loaded = KanModel.Load(path);
        Assert.Equal(1000.0, loaded.SymbolicSingularityThreshold);
        Assert.True(double.IsFinite(AtZero(loaded)));
        Assert.Equal(AtZero(model), AtZero(loaded));
    }

    [Fact]
    public void Without_the_threshold_the_file_stays_version_1_and_loads_with_it_off()
    {
        KanNetwork model = Reciprocal(null);
        string path = Path.Combine(_directory, "plain.json");
        model.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(KanModelFile.BaseVersion, (int?)json["version"]);
        Assert.False(json.AsObject().ContainsKey("symbolic_singularity_threshold"));

        // LoadParameters replaces the whole symbolic state, the threshold included.
        KanNetwork target = Reciprocal(1000.0);
        target.LoadParameters(path);
        Assert.Null(target.SymbolicSingularityThreshold);
        Assert.True(double.IsInfinity(AtZero(target)));
        Assert.Null(KanModel.Load(path).SymbolicSingularityThreshold);
    }

    [Fact]
    public void A_version_2_file_written_before_the_field_existed_loads_with_it_off()
    {
        var model = new KanNetwork([2, 2, 1], gridSize: 3, seed: 1, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        string path = Path.Combine(_directory, "mult.json");
        model.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(2, (int?)json["version"]);
        Assert.False(json.ContainsKey("symbolic_singularity_threshold"));
        Assert.Null(KanModel.Load(path).SymbolicSingularityThreshold);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public void An_invalid_threshold_is_named(string value)
    {
        string path = Path.Combine(_directory, "bad.json");
        Reciprocal(1000.0).Save(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"symbolic_singularity_threshold\": 1000", $"\"symbolic_singularity_threshold\": {value}"));
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(path));
        Assert.Contains("symbolic_singularity_threshold", error.Message);
    }

    [Fact]
    public void Pruned_and_subset_models_keep_the_threshold()
    {
        KanNetwork model = Reciprocal(250.0);
        KanDataset data = KanDataset.FromFunction(x => x[0] + x[1], 2, trainCount: 20, testCount: 20, seed: 2);
        model.Fit(data, new FitOptions { Steps = 1, UpdateGrid = false, MaxDegreeOfParallelism = 1 });

        Assert.Equal(250.0, model.Prune().SymbolicSingularityThreshold);
        Assert.Equal(250.0, model.PruneNode(new[] { new[] { 0 } }).SymbolicSingularityThreshold);
        Assert.Equal(250.0, model.PruneInput([0, 1]).Model.SymbolicSingularityThreshold);
        Assert.Null(Reciprocal(null).PruneNode(new[] { new[] { 0, 1 } }).SymbolicSingularityThreshold);
    }
}
