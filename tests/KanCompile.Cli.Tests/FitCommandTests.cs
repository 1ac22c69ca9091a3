using System.Globalization;
using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>`kan fit` end to end on y = a + b·c: JSON output, recipe phases, save, info and predict.</summary>
public sealed class FitCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static JsonElement ParseSingleObject(CliResult result) => CliAssert.SingleJsonObject(result);

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Fact]
    public void JsonIsOneObjectWithASensibleFit()
    {
        string data = _temp.WriteProductData("data.csv");
        JsonElement json = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--steps", "20", "--json"));

        Assert.Equal([3, 5, 1], Ints(json.GetProperty("widths")));
        Assert.Equal(5, json.GetProperty("grid").GetInt32());
        Assert.Equal(3, json.GetProperty("order").GetInt32());
        // (G + k) coefficients + 2 scales per edge, 3·5 + 5·1 edges.
        Assert.Equal((5 + 3 + 2) * 20, json.GetProperty("parameters").GetInt32());
        Assert.Equal(160, json.GetProperty("trainRows").GetInt32());
        Assert.Equal(40, json.GetProperty("testRows").GetInt32());
        Assert.Equal(["a", "b", "c"], json.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()));
        // y spans about [-2, 2] with std ≈ 0.65; a [3, 5, 1] KAN gets well under 5 % of that in 20 L-BFGS steps.
        double train = json.GetProperty("trainRmse").GetDouble(), test = json.GetProperty("testRmse").GetDouble();
        Assert.InRange(train, 1e-6, 0.03);
        Assert.InRange(test, 1e-6, 0.05);
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.False(json.TryGetProperty("formula", out _), "no formula without --symbolic");
        JsonElement phase = Assert.Single(json.GetProperty("phases").EnumerateArray());
        Assert.Equal("fit", phase.GetProperty("kind").GetString());
        Assert.Equal(20, phase.GetProperty("steps").GetInt32());
        Assert.Equal("Completed", phase.GetProperty("exitReason").GetString());
    }

    [Fact]
    public void SameSeedGivesTheSameModel()
    {
        string data = _temp.WriteProductData("data.csv");
        string[] args = ["fit", data, "--target", "y", "--steps", "5", "--seed", "3", "--json"];
        JsonElement first = ParseSingleObject(CliResult.Run(args)), second = ParseSingleObject(CliResult.Run(args));
        Assert.Equal(first.GetProperty("trainRmse").GetDouble(), second.GetProperty("trainRmse").GetDouble());
        Assert.Equal(first.GetProperty("testRmse").GetDouble(), second.GetProperty("testRmse").GetDouble());

        args[7] = "4";
        JsonElement other = ParseSingleObject(CliResult.Run(args));
        Assert.NotEqual(first.GetProperty("testRmse").GetDouble(), other.GetProperty("testRmse").GetDouble());
    }

    [Fact]
    public void RecipeRunsPruneAndRefineInOrder()
    {
        string data = _temp.WriteProductData("data.csv");
        JsonElement json = ParseSingleObject(CliResult.Run(
            "fit", data, "--target", "y", "--steps", "5", "--prune", "--grids", "8", "--lambda", "0.001", "--json"));

        JsonElement[] phases = json.GetProperty("phases").EnumerateArray().ToArray();
        Assert.Equal(["fit", "prune", "fit", "refine", "fit"], phases.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal([5, 5, 5, 8, 8], phases.Select(p => p.GetProperty("grid").GetInt32()));
        Assert.Equal(8, json.GetProperty("grid").GetInt32());
        int[] widths = Ints(json.GetProperty("widths"));
        Assert.Equal(Ints(phases[1].GetProperty("widths")), widths);
        Assert.Equal(3, widths[0]);
        Assert.InRange(widths[1], 1, 5);
        Assert.Equal((8 + 3 + 2) * (3 * widths[1] + widths[1]), json.GetProperty("parameters").GetInt32());
        Assert.InRange(json.GetProperty("testRmse").GetDouble(), 1e-6, 0.2);
    }

    [Fact]
    public void AdamLevenbergMarquardtAndTheReferenceEngineAreSelectable()
    {
        string data = _temp.WriteProductData("data.csv", rows: 40);
        JsonElement adam = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--optimizer", "ADAM", "--lr", "0.02", "--steps", "4", "--json"));
        Assert.Equal(4, adam.GetProperty("phases")[0].GetProperty("steps").GetInt32());

        // Levenberg–Marquardt polishes the same small model further than one L-BFGS step does.
        JsonElement lm = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--optimizer", "lm", "--steps", "2", "--json"));
        JsonElement lbfgs = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--steps", "2", "--json"));
        Assert.True(lm.GetProperty("trainRmse").GetDouble() < lbfgs.GetProperty("trainRmse").GetDouble(),
            $"LM train RMSE {lm.GetProperty("trainRmse").GetDouble()} vs L-BFGS {lbfgs.GetProperty("trainRmse").GetDouble()}");

        // Same seed, same data, one L-BFGS step: the reference engine and the compiled kernels agree.
        string[] args = ["fit", data, "--target", "y", "--steps", "1", "--json"];
        JsonElement compiled = ParseSingleObject(CliResult.Run(args));
        JsonElement reference = ParseSingleObject(CliResult.Run([.. args, "--engine", "reference"]));
        Assert.Equal(compiled.GetProperty("testRmse").GetDouble(), reference.GetProperty("testRmse").GetDouble(), 1e-9);
    }

    [Fact]
    public void CtrlCStopsTheRecipeButStillSavesAndReports()
    {
        string data = _temp.WriteProductData("data.csv", rows: 40);
        string model = _temp.File("model.kan.json");
        CliResult result = CliResult.Run(false, new CancellationToken(canceled: true), "fit", data, "--target", "y", "--grids", "10", "--save", model, "--json");

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Contains("interrupted: stopped after 0 of 3 recipe steps", Assert.Single(result.ErrorLines));
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Empty(json.RootElement.GetProperty("phases").EnumerateArray());
        Assert.Equal(5, json.RootElement.GetProperty("grid").GetInt32());
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void PlainTextReportsTheSummaryWithoutJson()
    {
        string data = _temp.WriteProductData("data.csv");
        CliResult result = CliResult.Run("fit", data, "--target", "y", "--steps", "3");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Empty(result.Stderr);
        Assert.Contains("fit [3, 5, 1] G=5: 3 steps (Completed)", result.Stdout);
        Assert.Contains("widths: [3, 5, 1]", result.Stdout);
        Assert.Contains("test RMSE: ", result.Stdout);
        Assert.DoesNotContain("{", result.Stdout);
    }

    [Fact]
    public void InteractiveOutputDrawsATable()
    {
        string data = _temp.WriteProductData("data.csv");
        CliResult result = CliResult.Run(interactive: true, "fit", data, "--target", "y", "--steps", "2");
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("train RMSE", result.Stdout);
        Assert.Contains("╭", result.Stdout);
    }

    [Fact]
    public void PlotOptionWritesTheTrainedNetwork()
    {
        string data = _temp.WriteProductData("data.csv");
        string png = _temp.File("model.png");
        JsonElement fit = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--steps", "3", "--plot", png, "--json"));
        Assert.True(fit.GetProperty("testRmse").GetDouble() > 0);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000, $"the PNG has only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray());
    }

    [Fact]
    public void SavedModelRoundTripsThroughInfoAndPredict()
    {
        string data = _temp.WriteProductData("data.csv");
        string model = _temp.File("model.kan.json");
        JsonElement fit = ParseSingleObject(CliResult.Run("fit", data, "--target", "y", "--steps", "10", "--save", model, "--json"));
        Assert.Equal(model, fit.GetProperty("model").GetString());

        JsonElement info = ParseSingleObject(CliResult.Run("info", model, "--json"));
        Assert.Equal(Ints(fit.GetProperty("widths")), Ints(info.GetProperty("widths")));
        Assert.Equal(fit.GetProperty("grid").GetInt32(), info.GetProperty("grid").GetInt32());
        Assert.Equal(fit.GetProperty("parameters").GetInt32(), info.GetProperty("parameters").GetInt32());
        Assert.Equal("SiLU", info.GetProperty("baseFunction").GetString());
        Assert.Equal(20, info.GetProperty("liveEdges").GetInt32());

        string predictions = _temp.File("predictions.csv");
        CliResult predict = CliResult.Run("predict", model, data, "--target", "y", "--out", predictions);
        Assert.True(predict.ExitCode == ExitCodes.Success, predict.ToString());
        Assert.Contains("wrote 200 rows with y_predicted", predict.Stdout);

        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal("a,b,c,y,y_predicted", lines[0]);
        Assert.Equal(201, lines.Length);
        string[] original = File.ReadAllLines(data);
        double squared = 0;
        for (int r = 1; r < lines.Length; r++)
        {
            Assert.StartsWith(original[r] + ",", lines[r]);
            double[] row = lines[r].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            squared += (row[4] - row[3]) * (row[4] - row[3]);
        }

        // The saved model reproduces the trained one: its RMSE over all rows is the row-weighted train/test RMSE.
        double train = fit.GetProperty("trainRmse").GetDouble(), test = fit.GetProperty("testRmse").GetDouble();
        double expected = Math.Sqrt((160 * train * train + 40 * test * test) / 200);
        Assert.Equal(expected, Math.Sqrt(squared / 200), 1e-12);
    }

    [Fact]
    public void PredictUsesEveryColumnWhenTheyMatchTheModelAndWritesToStdout()
    {
        string data = _temp.WriteProductData("data.csv", rows: 60);
        string model = _temp.File("model.kan.json");
        Assert.Equal(ExitCodes.Success, CliResult.Run("fit", data, "--target", "y", "--inputs", "c,b,a", "--steps", "3", "--save", model, "--json").ExitCode);

        string inputsOnly = _temp.Write("inputs.csv", "c,b,a", "0.1,0.5,0.25", "0.9,-0.5,1");
        CliResult byPosition = CliResult.Run("predict", model, inputsOnly);
        Assert.True(byPosition.ExitCode == ExitCodes.Success, byPosition.ToString());
        string[] lines = byPosition.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("c,b,a,prediction", lines[0]);
        Assert.Equal(3, lines.Length);

        // Naming the inputs picks and orders columns from a wider file: the same two predictions.
        string wide = _temp.Write("wide.csv", "a,noise,b,c", "0.25,9,0.5,0.1", "1,9,-0.5,0.9");
        CliResult byName = CliResult.Run("predict", model, wide, "--inputs", "c,b,a");
        Assert.True(byName.ExitCode == ExitCodes.Success, byName.ToString());
        string[] named = byName.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("a,noise,b,c,prediction", named[0]);
        Assert.Equal(lines[1].Split(',')[3], named[1].Split(',')[4]);
        Assert.Equal(lines[2].Split(',')[3], named[2].Split(',')[4]);
        Assert.NotEqual(named[1].Split(',')[4], named[2].Split(',')[4]);
    }

    [Fact]
    public void InfoPrintsPlainText()
    {
        string model = _temp.File("model.kan.json");
        var network = new KanNetwork([3, 5, 1], engine: KanEngine.Reference);
        network.RemoveEdge(new KanEdge(0, 1, 2));
        network.Save(model);
        CliResult result = CliResult.Run("info", model);
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("widths: [3, 5, 1]", result.Stdout);
        Assert.Contains("grid: 5", result.Stdout);
        Assert.Contains("edges: 19 live of 20", result.Stdout);
        Assert.Contains("order: 3", result.Stdout);
        Assert.Contains("base function: SiLU", result.Stdout);
    }
}
