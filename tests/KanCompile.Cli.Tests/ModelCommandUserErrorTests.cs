using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>Mistakes in `kan predict`, `kan info`, `kan formula` and `kan plot` calls: one line, non-zero exit.</summary>
public sealed class ModelCommandUserErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// An untrained [3, 5, 1] model saved straight from the library (no training needed to test errors); the
    /// shape `kan fit` builds for the test data, so the process compiles its kernel once.
    /// </summary>
    private string SavedModel()
    {
        string path = _temp.File("model.kan.json");
        new KanNetwork([3, 5, 1], engine: KanEngine.Reference).Save(path);
        return path;
    }

    [Fact]
    public void InfoOnMissingModelNamesTheFile()
    {
        string path = _temp.File("absent.kan.json");
        CliAssert.OneLineError(CliResult.Run("info", path), ExitCodes.Failure, path, "model file not found");
    }

    [Fact]
    public void InfoOnCorruptModelNamesTheFile()
    {
        string path = _temp.Write("broken.kan.json", "{ \"format\": ");
        CliAssert.OneLineError(CliResult.Run("info", path), ExitCodes.Failure, path);
    }

    [Fact]
    public void InfoOnCsvInsteadOfModelNamesTheFile()
    {
        string path = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("info", path), ExitCodes.Failure, path);
    }

    [Fact]
    public void PredictWithMissingModelNamesTheFile()
    {
        string data = _temp.Write("in.csv", "a,b,c", "1,2,3");
        string path = _temp.File("absent.kan.json");
        CliAssert.OneLineError(CliResult.Run("predict", path, data), ExitCodes.Failure, path, "model file not found");
    }

    [Fact]
    public void PredictWithMissingDataNamesTheFile()
    {
        string data = _temp.File("absent.csv");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "data file not found");
    }

    [Fact]
    public void PredictNamesTheNonNumericCell()
    {
        string data = _temp.Write("in.csv", "a,b,c", "1,2,3", "0.5,oops,1");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "row 3", "column 'b'", "'oops'");
    }

    [Fact]
    public void PredictNamesTheEmptyCell()
    {
        string data = _temp.Write("in.csv", "a,b,c", "1,,3", "0.5,0.25,1");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "row 2", "column 'b'", "empty");
    }

    [Fact]
    public void PredictOnHeaderOnlyFileIsReported()
    {
        string data = _temp.Write("in.csv", "a,b,c");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "no data rows");
    }

    [Fact]
    public void PredictWithTooManyColumnsExplainsTheChoice()
    {
        string data = _temp.Write("in.csv", "a,b,c,y", "1,2,3,4");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.UsageError,
            data, "4 column(s) (a, b, c, y)", "takes 3 input(s)", "--inputs", "--target");
    }

    [Fact]
    public void PredictWithWrongInputCountIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,c,y", "1,2,3,4");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--inputs", "a,c"), ExitCodes.UsageError, "--inputs names 2 column(s) (a, c)", "takes 3 input(s)");
    }

    [Fact]
    public void PredictWithUnknownInputColumnIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,c,y", "1,2,3,4");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--inputs", "a,q,c"), ExitCodes.Failure, data, "column 'q'", "unknown column");
    }

    [Fact]
    public void PredictWithUnknownTargetColumnIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,c,y", "1,2,3,4");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--target", "z"), ExitCodes.Failure, data, "column 'z'");
    }

    [Fact]
    public void FormulaOfASplineModelNamesTheSplineEdges()
    {
        string model = SavedModel();
        CliAssert.OneLineError(CliResult.Run("formula", model, "--format", "latex"), ExitCodes.Failure, model, "edges (0,0,0), (0,0,1)", "still spline", "kan fit --symbolic");
    }

    [Fact]
    public void FormulaFormatIsCheckedFirst()
    {
        CliAssert.OneLineError(CliResult.Run("formula", SavedModel(), "--format", "pdf"), ExitCodes.UsageError, "--format", "'pdf'", "text, latex, csharp");
    }

    [Fact]
    public void PlotWritesAnSvgDiagram()
    {
        string svg = _temp.File("m.svg");
        var result = CliResult.Run("plot", SavedModel(), "--out", svg);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var document = System.Xml.Linq.XDocument.Load(svg);
        Assert.Equal("svg", document.Root!.Name.LocalName);
    }

    [Fact]
    public void PlotRefusesAnUnknownImageType()
    {
        CliAssert.OneLineError(CliResult.Run("plot", SavedModel(), "--out", _temp.File("m.pdf")), ExitCodes.UsageError, "--out", "m.pdf", ".svg or .png");
    }

    [Fact]
    public void PlotNeedsAnOutputFile()
    {
        CliAssert.OneLineError(CliResult.Run("plot", SavedModel()), ExitCodes.UsageError, "--out");
    }
}
