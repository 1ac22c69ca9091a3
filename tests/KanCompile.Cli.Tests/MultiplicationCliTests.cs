using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary><c>kan fit --mult N</c>: multiplication nodes on every hidden layer (pykan's MultKAN).</summary>
public sealed class MultiplicationCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mult_adds_multiplication_nodes_to_each_hidden_layer()
    {
        string data = _temp.WriteProductData("data.csv");
        string saved = _temp.File("mult.kan.json");
        CliResult result = CliResult.Run("fit", data, "--target", "y", "--mult", "2", "--steps", "2", "--engine", "reference", "--save", saved, "--json");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);

        // [3,[5,2],1]: 3 inputs × 9 sub-nodes + 7 nodes × 1 output edges, (G + k) coefficients + 2 scales each.
        Assert.Equal((5 + 3 + 2) * (3 * 9 + 7 * 1), document.RootElement.GetProperty("parameters").GetInt32());
        KanNetwork model = KanModel.Load(saved);
        Assert.Equal(new[] { 3, 5, 1 }, model.Widths);
        Assert.Equal(new[] { 0, 2, 0 }, model.MultiplicationNodes);
        Assert.Equal(2, model.MultiplicationArity);
    }

    [Fact]
    public void Mult_without_a_hidden_layer_is_a_usage_error()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", "3,1", "--mult", "2"), ExitCodes.UsageError, "--mult", "hidden width");
    }

    [Fact]
    public void Mult_with_symbolic_runs_the_search_which_holds_a_product_in_a_multiplication_node()
    {
        // y = a·b across 0: the search's [2,[0,1],1] shape (arity --mult-arity) holds it exactly.
        var random = new Random(5);
        var text = new System.Text.StringBuilder("a,b,y\n");
        for (int r = 0; r < 300; r++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            text.Append(string.Join(',', new[] { a, b, a * b }.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).Append('\n');
        }

        string data = _temp.File("product.csv");
        File.WriteAllText(data, text.ToString());
        string saved = _temp.File("found.kan.json");
        CliResult result = CliResult.Run("fit", data, "--target", "y", "--mult", "1", "--steps", "5", "--symbolic", "--save", saved, "--json");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        JsonElement json = document.RootElement;
        Assert.Equal("discovery", json.GetProperty("recipe").GetString());
        Assert.True(json.GetProperty("search").GetProperty("found").GetBoolean(), result.Stdout);
        Assert.True(json.GetProperty("formulaTestRmse").GetDouble() <= 1e-6, result.Stdout);
        Assert.Equal("a*b", json.GetProperty("formula").GetString());
        Assert.Equal(new[] { 0, 1, 0 }, KanModel.Load(saved).MultiplicationNodes);
    }

    [Fact]
    public void Mult_with_the_pykan_recipe_fits_symbolic_functions_to_the_mult_model()
    {
        string data = _temp.WriteProductData("data.csv");
        CliResult result = CliResult.Run("fit", data, "--target", "y", "--mult", "2", "--steps", "2", "--symbolic", "--recipe", "pykan", "--lib", "x,x^2", "--engine", "reference", "--json");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("pykan", document.RootElement.GetProperty("recipe").GetString());
    }

    [Fact]
    public void Info_shows_multiplication_nodes_and_symbolic_edges()
    {
        string saved = _temp.File("mult.kan.json");
        var network = new KanNetwork([2, 5, 1], gridSize: 3, engine: KanEngine.Reference, multiplicationNodes: [0, 2, 0], multiplicationArity: 3);
        network.FixSymbolic(new KanEdge(0, 1, 7), "sin", fitParameters: false);
        network.RemoveEdge(new KanEdge(1, 6, 0));
        network.Save(saved);

        CliResult text = CliResult.Run("info", saved);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("widths: [2, 5, 1]", text.Stdout);
        Assert.Contains("multiplication nodes: [0, 2, 0] of arity 3 (pykan width [2, [5, 2], 1])", text.Stdout);
        Assert.Contains("symbolic edges: 1", text.Stdout);

        // 2 inputs × 11 sub-nodes + 7 nodes × 1 output; the symbolic edge is live, the removed one is not.
        Assert.Contains("edges: 28 live of 29", text.Stdout);

        using var json = JsonDocument.Parse(CliResult.Run("info", saved, "--json").Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(new[] { 0, 2, 0 }, root.GetProperty("multiplicationNodes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(3, root.GetProperty("multiplicationArity").GetInt32());
        Assert.Equal(1, root.GetProperty("symbolicEdges").GetInt32());
        Assert.Equal(28, root.GetProperty("liveEdges").GetInt32());
        Assert.Equal(29, root.GetProperty("edges").GetInt32());
    }

    [Fact]
    public void Info_of_a_plain_model_has_no_multiplication_row()
    {
        string saved = _temp.File("plain.kan.json");
        new KanNetwork([2, 3, 1], gridSize: 3, engine: KanEngine.Reference).Save(saved);

        CliResult text = CliResult.Run("info", saved);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.DoesNotContain("multiplication", text.Stdout);
        Assert.DoesNotContain("symbolic edges", text.Stdout);
        using var json = JsonDocument.Parse(CliResult.Run("info", saved, "--json").Stdout);
        Assert.Equal(new[] { 0, 0, 0 }, json.RootElement.GetProperty("multiplicationNodes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(json.RootElement.TryGetProperty("multiplicationArity", out _), "no arity without multiplication nodes");
        Assert.Equal(0, json.RootElement.GetProperty("symbolicEdges").GetInt32());
    }

    [Fact]
    public void Formula_of_a_saved_product_model_multiplies_its_factors()
    {
        // pykan width=[2,[0,1],1] holding n·e^(−a) exactly: factor 1 is x1, factor 2 is exp(−x2), the cross edges are 0.
        string saved = _temp.File("law.kan.json");
        var network = new KanNetwork([2, 0, 1], gridSize: 3, engine: KanEngine.Reference, multiplicationNodes: [0, 1, 0]);
        network.FixSymbolic(new KanEdge(0, 0, 0), "x", fitParameters: false);
        network.FixSymbolic(new KanEdge(0, 0, 1), "0", fitParameters: false);
        network.FixSymbolic(new KanEdge(0, 1, 0), "0", fitParameters: false);
        network.FixSymbolic(new KanEdge(0, 1, 1), "exp", fitParameters: false);
        network.FixSymbolic(new KanEdge(1, 0, 0), "x", fitParameters: false);
        network.SymbolicParameters[4 * 3] = -1.0; // a of edge (0,1,1), the fourth edge of layer 0
        network.Save(saved);

        CliResult text = CliResult.Run("formula", saved);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Equal("x1*exp(-x2)", text.Stdout.Trim());

        CliResult csharp = CliResult.Run("formula", saved, "--format", "csharp");
        Assert.True(csharp.ExitCode == ExitCodes.Success, csharp.ToString());
        Assert.Contains("Math.Exp(", csharp.Stdout);
    }
}
