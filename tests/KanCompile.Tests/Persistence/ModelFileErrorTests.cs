using System.Text.Json.Nodes;

namespace KanCompile.Tests.Persistence;

/// <summary>Every kind of bad model file gives a <see cref="KanModelFileException"/> naming the file and the problem.</summary>
public sealed class ModelFileErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kan-model-errors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteEdited(Action<JsonNode> edit)
    {
        string path = Path.Combine(_directory, "model.json");
        ModelFileTests.AwkwardModel().Save(path);
        JsonNode json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static void AssertLoadFails(string path, params string[] fragments)
    {
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void Corrupt_json()
    {
        string path = Path.Combine(_directory, "model.json");
        ModelFileTests.AwkwardModel().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        AssertLoadFails(path, "not a valid model file", "line");
        File.WriteAllText(path, "");
        AssertLoadFails(path, "not a valid model file");
        File.WriteAllText(path, "null");
        AssertLoadFails(path, "null");
    }

    [Fact]
    public void Missing_file() =>
        AssertLoadFails(Path.Combine(_directory, "absent.json"), "could not be opened");

    [Theory]
    [InlineData("seed")]
    [InlineData("width")]
    [InlineData("grid_intervals")]
    [InlineData("layers")]
    [InlineData("base_fun")]
    public void Missing_field(string field) =>
        AssertLoadFails(WriteEdited(json => json.AsObject().Remove(field)), $"\"{field}\" is missing");

    [Fact]
    public void Missing_tensor() =>
        AssertLoadFails(WriteEdited(json => json["layers"]![1]!.AsObject().Remove("scale_sp")), "\"layers[1].scale_sp\" is missing");

    [Fact]
    public void Wrong_array_lengths()
    {
        AssertLoadFails(WriteEdited(json => json["layers"]![0]!["coef"]![2]![1]!.AsArray().RemoveAt(0)), "layers[0].coef[2][1]", "has 7 entries; expected 8");
        AssertLoadFails(WriteEdited(json => json["layers"]![1]!["mask"]!.AsArray().RemoveAt(3)), "layers[1].mask", "expected 4");
        AssertLoadFails(WriteEdited(json => json["layers"]![0]!["grid"]![0]!.AsArray().Add(9.0)), "layers[0].grid[0]", "expected 12");
        AssertLoadFails(WriteEdited(json => json["layers"]!.AsArray().RemoveAt(1)), "\"layers\" has 1 entries");
    }

    [Fact]
    public void Non_finite_numbers()
    {
        AssertLoadFails(WriteEdited(json => json["layers"]![0]!["scale_base"]![1]![2] = "NaN"), "layers[0].scale_base[1][2]");
        string path = Path.Combine(_directory, "model.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"NaN\"", "NaN"));
        AssertLoadFails(path, "not a valid model file");
        AssertLoadFails(WriteEdited(json => json["layers"]![1]!["coef"]![0]![0]![3] = JsonNode.Parse("1e400")), "layers[1].coef[0][0]");
    }

    [Fact]
    public void Knots_must_increase() =>
        AssertLoadFails(WriteEdited(json => json["layers"]![1]!["grid"]![2]![4] = -100.0), "layers[1].grid[2]", "strictly increasing at knot 4");

    [Fact]
    public void Newer_version()
    {
        // A future version may change anything else; the version is still reported first.
        AssertLoadFails(WriteEdited(json => { json["version"] = KanModelFile.CurrentVersion + 1; json["layers"] = "changed"; }), $"version {KanModelFile.CurrentVersion + 1}", "newer", "upgrade KanCompile");
        AssertLoadFails(WriteEdited(json => json["version"] = 0), "invalid format version 0");
        AssertLoadFails(WriteEdited(json => json.AsObject().Remove("version")), "\"version\" field is missing");
    }

    [Fact]
    public void Not_a_model_file()
    {
        AssertLoadFails(WriteEdited(json => json["format"] = "something.else"), "not a KanCompile model file", "something.else");
        AssertLoadFails(WriteEdited(json => json.AsObject().Remove("format")), "\"format\" field is missing");
    }

    [Fact]
    public void Invalid_values()
    {
        AssertLoadFails(WriteEdited(json => json["base_fun"] = "relu"), "\"base_fun\" is \"relu\"");
        AssertLoadFails(WriteEdited(json => json["spline_order"] = 9), "\"spline_order\" is 9");
        AssertLoadFails(WriteEdited(json => json["grid_range"] = new JsonArray(1.0, -1.0)), "grid_range");
        AssertLoadFails(WriteEdited(json => json["width"] = "three"), "field $.width");
    }

    [Fact]
    public void Symbolic_edges_are_checked_on_load()
    {
        JsonObject Edge(string function, int input = 0) => new() { ["layer"] = 0, ["input"] = input, ["output"] = 0, ["function"] = function, ["affine"] = new JsonArray(1.0, 0.0, 1.0, 0.0), ["mask"] = 1.0 };
        AssertLoadFails(WriteEdited(json => json["symbolic_edges"] = new JsonArray(Edge("sin", input: 9))), "symbolic_edges[0].input");
        AssertLoadFails(WriteEdited(json => json["symbolic_edges"] = new JsonArray(Edge("bessel"))), "'bessel'");
        AssertLoadFails(WriteEdited(json => json["symbolic_edges"] = new JsonArray(Edge("sin"), Edge("sin"))), "repeats edge (0,0,0)");
        AssertLoadFails(WriteEdited(json =>
        {
            var edge = Edge("sin");
            edge.Remove("mask");
            json["symbolic_edges"] = new JsonArray(edge);
        }), "symbolic_edges[0].mask");
        Assert.True(KanModel.Load(WriteEdited(json => json["symbolic_edges"] = new JsonArray(Edge("sin")))).HasSymbolicEdges);
        Assert.False(KanModel.Load(WriteEdited(json => json["symbolic_edges"] = new JsonArray())).HasSymbolicEdges);
    }

    [Fact]
    public void Stream_errors_say_so()
    {
        using var stream = new MemoryStream("{\"format\":\"kancompile.model\",\"version\":1}"u8.ToArray());
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(stream));
        Assert.Null(error.FilePath);
        Assert.StartsWith("Model stream:", error.Message);
        Assert.Contains("\"width\" is missing", error.Message);
    }
}
