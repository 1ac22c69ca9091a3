using KanCompile.Tests.Models;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Persistence;

/// <summary>Save/Load: bit-exact round trips, loading into generated models, and atomic replacement.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kan-model-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A [3,4,2] network with random parameters, awkward doubles, adapted (non-uniform) knots and a pruned edge.</summary>
    internal static KanNetwork AwkwardModel(int gridSize = 5)
    {
        var model = new KanNetwork(new[] { 3, 4, 2 }, gridSize, splineOrder: 3, seed: 17, baseFunction: KanBaseFunction.SiLU, gridMin: -1.5, gridMax: 2.0);
        Sampling.Randomize(model.Parameters, 23);
        double[] awkward = { -0.0, double.Epsilon, 0.1 + 0.2, 1.0 / 3.0, double.MaxValue, -double.MinValue / 7, Math.PI * 1e-300, 5e-324 * 3 };
        awkward.CopyTo(model.Parameters);
        var knots = model.KnotBuffer.ToArray();
        var random = new Random(5);
        for (int v = 0; v < knots.Length; v++)
        {
            knots[v] += random.NextDouble() * 0.01;
        }

        model.ReplaceGrid(model.GridSize, knots, model.Parameters.ToArray());
        model.RemoveEdge(new KanEdge(1, 2, 1));
        model.SetMask(new KanEdge(0, 0, 3), 0.75);
        return model;
    }

    private static void AssertBitIdentical(KanModel expected, KanModel actual)
    {
        Assert.Equal(expected.Widths, actual.Widths);
        Assert.Equal(expected.GridSize, actual.GridSize);
        Assert.Equal(expected.SplineOrder, actual.SplineOrder);
        Assert.Equal(expected.BaseFunction, actual.BaseFunction);
        AssertBits(expected.Parameters.ToArray(), actual.Parameters.ToArray(), "parameter");
        AssertBits(expected.KnotBuffer.ToArray(), actual.KnotBuffer.ToArray(), "knot");
        AssertBits(expected.MaskBuffer, actual.MaskBuffer, "mask");
    }

    private static void AssertBits(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int v = 0; v < expected.Length; v++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected[v]) == BitConverter.DoubleToInt64Bits(actual[v]),
                $"{what} {v}: saved {expected[v]:R}, loaded {actual[v]:R}");
        }
    }

    [Fact]
    public void Save_then_Load_is_bit_exact()
    {
        KanNetwork model = AwkwardModel();
        string path = Path.Combine(_directory, "model.json");
        model.Save(path);
        KanNetwork loaded = KanModel.Load(path);

        AssertBitIdentical(model, loaded);
        Assert.Equal(17, loaded.Seed);
        Assert.Equal(-1.5, loaded.Architecture.GridMin);
        Assert.Equal(2.0, loaded.Architecture.GridMax);
        Assert.Equal(1L << 63, BitConverter.DoubleToInt64Bits(loaded.Parameters[0]));

        double[] x = { 0.3, -1.2, 1.7, 0.0, 0.5, -0.5 };
        var expected = new double[4];
        var actual = new double[4];
        Sampling.Randomize(model.Parameters.Slice(0, 8), 1);
        Sampling.Randomize(loaded.Parameters.Slice(0, 8), 1);
        model.Predict(x, expected);
        loaded.Predict(x, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_file_is_versioned_json_with_pykan_tensor_names()
    {
        string path = Path.Combine(_directory, "model.json");
        new KanNetwork(new[] { 2, 1 }, gridSize: 3, splineOrder: 1).Save(path);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(KanModelFile.FormatName, (string?)json["format"]);
        Assert.Equal(KanModelFile.BaseVersion, (int?)json["version"]);
        Assert.Equal("silu", (string?)json["base_fun"]);
        Assert.Equal(6, json["layers"]![0]!["grid"]![1]!.AsArray().Count);
        Assert.Equal(4, json["layers"]![0]!["coef"]![1]![0]!.AsArray().Count);
        Assert.True(json.AsObject().ContainsKey("symbolic_edges"));
        Assert.Null(json["symbolic_edges"]);
    }

    [Fact]
    public void Stream_round_trip_is_bit_exact()
    {
        KanNetwork model = AwkwardModel(gridSize: 8);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        AssertBitIdentical(model, KanModel.Load(stream));
    }

    [Fact]
    public void LoadParameters_fills_a_generated_model_and_switches_its_grid()
    {
        var network = new KanNetwork(new[] { 2, 5, 1 }, gridSize: 10, seed: 3);
        Sampling.Randomize(network.Parameters, 9);
        network.RemoveEdge(new KanEdge(0, 1, 4));
        string path = Path.Combine(_directory, "g10.json");
        network.Save(path);

        var generated = new Toy251(seed: 1);
        Assert.Equal(5, generated.GridSize);
        generated.LoadParameters(path);
        Assert.Equal(10, generated.GridSize);
        AssertBitIdentical(network, generated);

        var y = new double[1];
        var expected = new double[1];
        foreach (double[] x in Sampling.Inputs(network, 2, 50))
        {
            generated.Forward(x, y);
            network.Forward(x, expected);
            Assert.True(Sampling.RelativeError(y[0], expected[0]) <= 1e-12, $"at [{string.Join(", ", x)}]: {y[0]} vs {expected[0]}");
        }
    }

    [Fact]
    public void LoadParameters_refuses_another_architecture()
    {
        string path = Path.Combine(_directory, "other.json");
        new KanNetwork(new[] { 2, 4, 1 }).Save(path);
        var error = Assert.Throws<KanModelFileException>(() => new Toy251(1).LoadParameters(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("[2, 4, 1]", error.Message);
        Assert.Contains("[2, 5, 1]", error.Message);

        new KanNetwork(new[] { 2, 5, 1 }, splineOrder: 2).Save(path);
        Assert.Contains("spline order 2", Assert.Throws<KanModelFileException>(() => new Toy251(1).LoadParameters(path)).Message);
        new KanNetwork(new[] { 2, 5, 1 }, baseFunction: KanBaseFunction.Identity).Save(path);
        Assert.Contains("identity", Assert.Throws<KanModelFileException>(() => new Toy251(1).LoadParameters(path)).Message);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(_directory, "model.json");
        AwkwardModel().Save(path);
        byte[] before = File.ReadAllBytes(path);

        // Fail half-way through writing the replacement.
        var error = Assert.Throws<KanModelFileException>(() => KanModelFile.WriteAtomically(path, stream =>
        {
            stream.Write(before.AsSpan(0, before.Length / 2));
            throw new IOException("simulated disk full");
        }));
        Assert.Contains("simulated disk full", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_directory));

        // A model that cannot be written (NaN) is refused before the file is touched.
        var broken = AwkwardModel();
        broken.Parameters[broken.Layout.ScaleSplineOffset[1] + 3] = double.NaN;
        var nan = Assert.Throws<KanModelFileException>(() => broken.Save(path));
        Assert.Contains("layers[1].scale_sp[1][1]", nan.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_directory));

        // A directory that does not exist: nothing is created.
        string missing = Path.Combine(_directory, "missing", "model.json");
        Assert.Equal(missing, Assert.Throws<KanModelFileException>(() => AwkwardModel().Save(missing)).FilePath);
    }

    [Fact]
    public void Save_replaces_an_existing_file()
    {
        string path = Path.Combine(_directory, "model.json");
        new KanNetwork(new[] { 2, 1 }).Save(path);
        KanNetwork second = AwkwardModel();
        second.Save(path);
        AssertBitIdentical(second, KanModel.Load(path));
        Assert.Single(Directory.GetFiles(_directory));
    }
}
