using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>Mistakes in `kan predict`, `kan info`, `kan formula` and `kan plot` calls: one line, non-zero exit.</summary>
public sealed class ModelCommandUserErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>An untrained [2, 3, 1] model saved straight from the library (no training needed to test errors).</summary>
    private string SavedModel()
    {
        string path = _temp.File("model.kan.json");
        new KanNetwork([2, 3, 1], engine: KanEngine.Reference).Save(path);
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
        string data = _temp.Write("in.csv", "a,b", "1,2");
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
        string data = _temp.Write("in.csv", "a,b", "1,2", "0.5,oops");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "row 3", "column 'b'", "'oops'");
    }

    [Fact]
    public void PredictNamesTheEmptyCell()
    {
        string data = _temp.Write("in.csv", "a,b", "1,", "0.5,0.25");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "row 2", "column 'b'", "empty");
    }

    [Fact]
    public void PredictOnHeaderOnlyFileIsReported()
    {
        string data = _temp.Write("in.csv", "a,b");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.Failure, data, "no data rows");
    }

    [Fact]
    public void PredictWithTooManyColumnsExplainsTheChoice()
    {
        string data = _temp.Write("in.csv", "a,b,y", "1,2,3");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data), ExitCodes.UsageError,
            data, "3 column(s) (a, b, y)", "takes 2 input(s)", "--inputs", "--target");
    }

    [Fact]
    public void PredictWithWrongInputCountIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,y", "1,2,3");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--inputs", "a"), ExitCodes.UsageError, "--inputs names 1 column(s) (a)", "takes 2 input(s)");
    }

    [Fact]
    public void PredictWithUnknownInputColumnIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,y", "1,2,3");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--inputs", "a,q"), ExitCodes.Failure, data, "column 'q'", "unknown column");
    }

    [Fact]
    public void PredictWithUnknownTargetColumnIsNamed()
    {
        string data = _temp.Write("in.csv", "a,b,y", "1,2,3");
        CliAssert.OneLineError(CliResult.Run("predict", SavedModel(), data, "--target", "z"), ExitCodes.Failure, data, "column 'z'");
    }

    [Fact]
    public void FormulaIsNotAvailableYet()
    {
        CliAssert.OneLineError(CliResult.Run("formula", SavedModel(), "--format", "latex"), ExitCodes.NotAvailable, "kan formula", "not available in this build");
    }

    [Fact]
    public void FormulaFormatIsCheckedFirst()
    {
        CliAssert.OneLineError(CliResult.Run("formula", SavedModel(), "--format", "pdf"), ExitCodes.UsageError, "--format", "'pdf'", "text, latex, csharp");
    }

    [Fact]
    public void PlotIsNotAvailableYet()
    {
        CliAssert.OneLineError(CliResult.Run("plot", SavedModel(), "--out", _temp.File("m.svg")), ExitCodes.NotAvailable, "kan plot", "not available in this build");
    }

    [Fact]
    public void PlotNeedsAnOutputFile()
    {
        CliAssert.OneLineError(CliResult.Run("plot", SavedModel()), ExitCodes.UsageError, "--out");
    }
}
