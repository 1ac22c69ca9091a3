using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>Every mistake in a `kan fit` call ends with one stderr line naming it and a non-zero exit code.</summary>
public sealed class FitUserErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingDataFileIsNamed()
    {
        string path = _temp.File("absent.csv");
        CliAssert.OneLineError(CliResult.Run("fit", path, "--target", "y"), ExitCodes.Failure, path, "not found");
    }

    [Fact]
    public void DirectoryInsteadOfDataFileIsNamed()
    {
        CliAssert.OneLineError(CliResult.Run("fit", _temp.Path, "--target", "y"), ExitCodes.Failure, _temp.Path, "directory");
    }

    [Fact]
    public void UnknownTargetColumnIsNamedWithTheHeader()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "z"), ExitCodes.Failure, data, "column 'z'", "unknown target column", "a, b, c, y");
    }

    [Fact]
    public void UnknownInputColumnIsNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--inputs", "a,q"), ExitCodes.Failure, data, "column 'q'", "unknown input column");
    }

    [Fact]
    public void NonNumericCellIsNamedByRowAndColumn()
    {
        string data = _temp.Write("bad.csv", "a,b,y", "1,2,3", "4,5,6", "7,seven,9", "1,1,1");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y"), ExitCodes.Failure, data, "row 4", "column 'b'", "'seven' is not a number");
    }

    [Fact]
    public void EmptyCellIsNamedByRowAndColumn()
    {
        string data = _temp.Write("hole.csv", "a,b,y", "1,2,3", "4,,6", "7,8,9");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y"), ExitCodes.Failure, data, "row 3", "column 'b'", "empty");
    }

    [Fact]
    public void TooFewRowsAreReported()
    {
        string data = _temp.Write("tiny.csv", "a,y", "1,2", "3,4");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y"), ExitCodes.Failure, data, "2 data rows", "at least 2 training rows");
    }

    [Fact]
    public void EmptyFileIsReported()
    {
        string data = _temp.Write("empty.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y"), ExitCodes.Failure, data, "empty");
    }

    [Fact]
    public void RaggedRowIsNamed()
    {
        string data = _temp.Write("ragged.csv", "a,b,y", "1,2,3", "4,5", "7,8,9");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y"), ExitCodes.Failure, data, "row 3", "2 fields");
    }

    [Theory]
    [InlineData("2,x,1", "'x'")]
    [InlineData("2,,1", "''")]
    [InlineData("3,0,1", "0 in '3,0,1'")]
    [InlineData("3,-2,1", "-2")]
    [InlineData("3", "needs at least an input and an output width")]
    public void BadWidthValueIsNamed(string width, string fragment)
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", width), ExitCodes.UsageError, "--width", fragment);
    }

    [Fact]
    public void WidthGivenAsSeparateTokensIsRejected()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", "3", "5", "1"), ExitCodes.UsageError, "'5'");
    }

    [Fact]
    public void UnknownOptimizerIsNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--optimizer", "foo"), ExitCodes.UsageError, "--optimizer", "'foo'", "lbfgs, adam, lm");
    }

    [Fact]
    public void LevenbergMarquardtWithARegulariserIsRefused()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--optimizer", "lm", "--lambda", "0.01"), ExitCodes.UsageError, "--optimizer lm", "--lambda");
    }

    [Fact]
    public void WidthNotMatchingTheInputCountIsReported()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", "2,5,1"), ExitCodes.UsageError,
            "--width 2,5,1", "starts with 2 inputs", data, "3 input columns (a, b, c)");
    }

    [Fact]
    public void WidthNotMatchingTheTargetCountIsReported()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", "3,5,2"), ExitCodes.UsageError, "--width 3,5,2", "ends with 2 outputs", "(y)");
    }

    [Fact]
    public void WidthAndHiddenTogetherAreRejected()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--width", "3,5,1", "--hidden", "4"), ExitCodes.UsageError, "--width", "--hidden");
    }

    [Theory]
    [InlineData("--grid", "0", "at least 1")]
    [InlineData("--order", "9", "between 1 and 7")]
    [InlineData("--steps", "-1", "at least 0")]
    [InlineData("--hidden", "0", "at least 1")]
    [InlineData("--test-fraction", "1.5", "between 0 and 1")]
    [InlineData("--lambda", "-0.1", "0 or more")]
    [InlineData("--lr", "0", "positive")]
    [InlineData("--grids", "10,zero", "'zero'")]
    public void OutOfRangeValueIsNamed(string option, string value, string fragment)
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", option, value), ExitCodes.UsageError, option, fragment);
    }

    [Fact]
    public void NonNumericStepsAreNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--steps", "many"), ExitCodes.UsageError, "'many'", "--steps");
    }

    [Fact]
    public void MissingTargetIsReported()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data), ExitCodes.UsageError, "--target", "required");
    }

    [Fact]
    public void UnknownOptionIsNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--speed", "3"), ExitCodes.UsageError, "--speed");
    }

    [Fact]
    public void MissingCommandIsReported()
    {
        CliAssert.OneLineError(CliResult.Run(), ExitCodes.UsageError, "command", "kan --help");
    }

    [Fact]
    public void UnknownSymbolicFunctionIsNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--symbolic", "--lib", "x,sin,foo"), ExitCodes.UsageError, "--lib", "'foo'", "x^2");
    }

    [Fact]
    public void LibraryWithoutSymbolicIsRejected()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--lib", "x,sin"), ExitCodes.UsageError, "--lib", "--symbolic");
    }

    [Fact]
    public void RecipeWithoutSymbolicIsRejected()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--recipe", "pykan"), ExitCodes.UsageError, "--recipe", "--symbolic");
    }

    [Fact]
    public void UnknownRecipeIsNamed()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--symbolic", "--recipe", "magic"), ExitCodes.UsageError, "--recipe", "magic", "discovery");
    }

    [Fact]
    public void ExportWithoutSymbolicIsRejected()
    {
        string data = _temp.WriteProductData("data.csv");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--export-cs", _temp.File("F.cs")), ExitCodes.UsageError, "--export-cs", "--symbolic");
    }

    [Fact]
    public void ExportIntoMissingFolderIsNamedBeforeTraining()
    {
        string data = _temp.WriteProductData("data.csv");
        string model = _temp.File("model.kan.json");
        string export = Path.Combine(_temp.Path, "no-such-dir", "F.cs");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--save", model, "--symbolic", "--export-cs", export), ExitCodes.Failure, "--export-cs", "no-such-dir", "does not exist");
        Assert.False(File.Exists(model), "nothing should be trained or saved when an output folder is missing");
    }

    [Fact]
    public void PlotWithAnUnknownImageTypeIsRefusedBeforeTraining()
    {
        string data = _temp.WriteProductData("data.csv");
        string model = _temp.File("model.kan.json");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--save", model, "--plot", _temp.File("m.gif")), ExitCodes.UsageError, "--plot", ".svg or .png");
        Assert.False(File.Exists(model), "nothing should be trained or saved when an option is wrong");
    }

    [Fact]
    public void SaveIntoMissingFolderIsNamedBeforeTraining()
    {
        string data = _temp.WriteProductData("data.csv");
        string model = Path.Combine(_temp.Path, "no-such-dir", "model.kan.json");
        CliAssert.OneLineError(CliResult.Run("fit", data, "--target", "y", "--json", "--save", model), ExitCodes.Failure, "--save", "no-such-dir", "does not exist");
    }
}
