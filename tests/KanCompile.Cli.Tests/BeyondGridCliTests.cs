using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>
/// <c>kan fit --beyond-grid pykan|smooth</c>: the choice is saved with the model, <c>kan info</c> shows it and
/// <c>kan predict</c> evaluates with it (rows beyond the training range differ between the two).
/// </summary>
public sealed class BeyondGridCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Fit_saves_the_choice_info_shows_it_and_predict_honours_it()
    {
        string data = _temp.WriteProductData("data.csv");
        string smooth = _temp.File("smooth.kan.json");
        CliResult fit = CliResult.Run("fit", data, "--target", "y", "--steps", "3", "--beyond-grid", "smooth", "--engine", "reference", "--save", smooth);
        Assert.True(fit.ExitCode == ExitCodes.Success, fit.ToString());
        Assert.Equal(KanBeyondGrid.Smooth, KanModel.Load(smooth).BeyondGrid);

        CliResult text = CliResult.Run("info", smooth);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("beyond the grid: smooth", text.Stdout);
        using (var json = JsonDocument.Parse(CliResult.Run("info", smooth, "--json").Stdout))
        {
            Assert.Equal("Smooth", json.RootElement.GetProperty("beyondGrid").GetString());
        }

        // The same file without its beyond_grid field (as files written before the choice existed): pykan's behaviour,
        // equal predictions inside the grid, different ones far beyond it.
        string pykan = WithoutBeyondGrid(_temp.File("pykan.kan.json"), smooth);
        Assert.Contains("beyond the grid: pykan (padding zone, then 0)", CliResult.Run("info", pykan).Stdout);
        string far = _temp.File("far.csv");
        File.WriteAllText(far, "a,b,c\n0.1,0.2,0.3\n40,-40,40\n");
        string[] smoothRows = Predict(smooth, far);
        string[] pykanRows = Predict(pykan, far);
        Assert.Equal(smoothRows[1], pykanRows[1]);
        Assert.NotEqual(smoothRows[2], pykanRows[2]);
    }

    [Fact]
    public void The_default_is_pykans_behaviour_and_an_unknown_choice_is_a_usage_error()
    {
        string data = _temp.WriteProductData("data.csv");
        string saved = _temp.File("default.kan.json");
        CliResult fit = CliResult.Run("fit", data, "--target", "y", "--steps", "2", "--engine", "reference", "--save", saved);
        Assert.True(fit.ExitCode == ExitCodes.Success, fit.ToString());
        Assert.Equal(KanBeyondGrid.Pykan, KanModel.Load(saved).BeyondGrid);
        CliResult bad = CliResult.Run("fit", data, "--target", "y", "--beyond-grid", "linear");
        Assert.Equal(ExitCodes.UsageError, bad.ExitCode);
        Assert.Contains("--beyond-grid", bad.Stderr);
    }

    /// <summary>The saved smooth model's file with its <c>beyond_grid</c> field removed: pykan's behaviour, same parameters.</summary>
    private static string WithoutBeyondGrid(string path, string smooth)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(smooth))!.AsObject();
        json.Remove("beyond_grid");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private string[] Predict(string model, string data)
    {
        string output = _temp.File(Path.GetFileNameWithoutExtension(model) + ".predictions.csv");
        CliResult predict = CliResult.Run("predict", model, data, "--out", output);
        Assert.True(predict.ExitCode == ExitCodes.Success, predict.ToString());
        return File.ReadAllLines(output);
    }
}
