using System.Globalization;
using System.Text;
using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>`kan fit --classify`, `kan info` and `kan predict` on classifiers, and their class-label errors.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Three classes of points in [-1, 1]²: "c" above x + y = 0.5, else "a" where x &gt; y, else "b".</summary>
    private string WriteSectors(string name, int rows = 240, int seed = 3)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x,y,kind\n");
        for (int r = 0; r < rows; r++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            string kind = x + y > 0.5 ? "c" : x > y ? "a" : "b";
            text.Append(x.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(y.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(kind).Append('\n');
        }

        string path = _temp.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Two moons with the class as 0/1.</summary>
    private string WriteMoons(string name)
    {
        KanDataset moons = KanDataset.TwoMoons(200, 1, seed: 5);
        var text = new StringBuilder("x1,x2,moon\n");
        for (int s = 0; s < moons.TrainCount; s++)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{moons.TrainInputs[2 * s]:R},{moons.TrainInputs[2 * s + 1]:R},{moons.TrainClasses[s]}\n"));
        }

        string path = _temp.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static JsonElement Json(CliResult result) => CliAssert.SingleJsonObject(result);

    [Fact]
    public void Three_classes_train_with_cross_entropy_save_their_names_and_predict_them()
    {
        string data = WriteSectors("sectors.csv"), model = _temp.File("sectors.kan.json");
        JsonElement json = Json(CliResult.Run("fit", data, "--target", "kind", "--classify", "--steps", "15", "--save", model, "--json"));
        Assert.Equal([2, 5, 3], json.GetProperty("widths").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["a", "b", "c"], json.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("cross_entropy", json.GetProperty("loss").GetString());
        Assert.False(json.TryGetProperty("trainRmse", out _), "a classifier has no RMSE");
        Assert.InRange(json.GetProperty("trainAccuracy").GetDouble(), 0.93, 1.0);
        Assert.InRange(json.GetProperty("testAccuracy").GetDouble(), 0.85, 1.0);
        JsonElement phase = Assert.Single(json.GetProperty("phases").EnumerateArray());
        Assert.Equal(json.GetProperty("testAccuracy").GetDouble(), phase.GetProperty("testAccuracy").GetDouble());

        CliResult info = CliResult.Run("info", model);
        Assert.Contains("a, b, c (Softmax)", info.Stdout);

        string predictions = _temp.File("predictions.csv");
        CliResult predict = CliResult.Run("predict", model, data, "--target", "kind", "--out", predictions);
        Assert.True(predict.ExitCode == ExitCodes.Success, predict.ToString());
        Assert.Contains("accuracy", predict.Stdout);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal("x,y,kind,kind_predicted,p_a,p_b,p_c", lines[0]);
        string[] first = lines[1].Split(',');
        Assert.Contains(first[3], new[] { "a", "b", "c" });
        double total = first.Skip(4).Sum(p => double.Parse(p, CultureInfo.InvariantCulture));
        Assert.Equal(1.0, total, 12);
    }

    [Fact]
    public void Two_whole_number_classes_train_one_logistic_logit()
    {
        string data = WriteMoons("moons.csv");
        CliResult text = CliResult.Run("fit", data, "--target", "moon", "--classify", "--steps", "10", "--engine", "reference");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("classes", text.Stdout);
        Assert.Contains("0, 1", text.Stdout);
        Assert.Contains("test accuracy", text.Stdout);
        Assert.Contains("train accuracy", text.Stdout);
        Assert.DoesNotContain("RMSE", text.Stdout);

        JsonElement json = Json(CliResult.Run("fit", data, "--target", "moon", "--classify", "--steps", "10", "--engine", "reference", "--json"));
        Assert.Equal([2, 5, 1], json.GetProperty("widths").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("logistic", json.GetProperty("loss").GetString());
        Assert.InRange(json.GetProperty("testAccuracy").GetDouble(), 0.95, 1.0);
    }

    [Fact]
    public void Bad_class_labels_are_one_line_errors_naming_row_and_column()
    {
        string fractional = _temp.Write("fractional.csv", "x,label", "1,0", "2,1", "3,0.5", "4,1");
        CliAssert.OneLineError(CliResult.Run("fit", fractional, "--target", "label", "--classify"), ExitCodes.Failure, "row 4", "column 'label'", "'0.5' is not a whole number");

        string single = _temp.Write("single.csv", "x,label", "1,a", "2,a", "3,a");
        CliAssert.OneLineError(CliResult.Run("fit", single, "--target", "label", "--classify"), ExitCodes.Failure, "column 'label'", "every row has the class 'a'");

        CliAssert.OneLineError(CliResult.Run("fit", single, "--target", "label", "--classify", "--optimizer", "lm"), ExitCodes.UsageError, "--optimizer lm", "--classify");
        string data = WriteSectors("sectors.csv", rows: 30);
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "kind", "--classify", "--width", "2,4,2"), ExitCodes.UsageError, "--width 2,4,2", "3 classes (a, b, c)", "must be 3");
    }

    [Fact]
    public void Predicting_on_a_class_the_model_never_saw_names_its_row_and_column()
    {
        string data = WriteSectors("sectors.csv", rows: 60), model = _temp.File("m.kan.json");
        Assert.Equal(ExitCodes.Success, CliResult.Run("fit", data, "--target", "kind", "--classify", "--steps", "2", "--engine", "reference", "--save", model, "--json").ExitCode);
        string unseen = _temp.Write("unseen.csv", "x,y,kind", "0.1,0.2,a", "0.3,-0.4,zebra");
        CliAssert.OneLineError(CliResult.Run("predict", model, unseen, "--target", "kind"), ExitCodes.Failure, "row 3", "column 'kind'", "'zebra' is not one of the model's classes (a, b, c)");
    }
}
