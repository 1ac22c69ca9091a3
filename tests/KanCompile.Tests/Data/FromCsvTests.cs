
namespace KanCompile.Tests.Data;

/// <summary>KanDataset.FromCsv: parsing, shuffled split and the errors that name file, row and column.</summary>
public sealed class FromCsvTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kancsv").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text, string name = "data.csv")
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Table(int rows) =>
        "x,y,note,z\n" + string.Concat(Enumerable.Range(0, rows).Select(r => $"{r * 0.5},{-r},row {r},{r * r}\n"));

    [Fact]
    public void Reads_shuffles_and_splits_every_row_once()
    {
        string path = Write("x,y,z\n" + string.Concat(Enumerable.Range(0, 20).Select(r => $"{r * 0.5},{-r},{r * r}\n")));
        var data = KanDataset.FromCsv(path, new[] { "z" }, testFraction: 0.25, seed: 3);

        Assert.Equal((15, 5, 2, 1), (data.TrainCount, data.TestCount, data.InputCount, data.OutputCount));
        Assert.Equal(new[] { "x", "y" }, data.InputNames);
        Assert.Equal(new[] { "z" }, data.OutputNames);
        var rows = Enumerable.Range(0, 15).Select(s => (data.TrainInputs[2 * s], data.TrainInputs[2 * s + 1], data.TrainLabels[s]))
            .Concat(Enumerable.Range(0, 5).Select(s => (data.TestInputs[2 * s], data.TestInputs[2 * s + 1], data.TestLabels[s])))
            .OrderBy(r => r.Item1).ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(r => (r * 0.5, (double)-r, (double)(r * r))).ToArray(), rows);
        Assert.NotEqual(Enumerable.Range(0, 15).Select(r => r * 0.5).ToArray(), Enumerable.Range(0, 15).Select(s => data.TrainInputs[2 * s]).ToArray());

        var again = KanDataset.FromCsv(path, new[] { "z" }, testFraction: 0.25, seed: 3);
        var other = KanDataset.FromCsv(path, new[] { "z" }, testFraction: 0.25, seed: 4);
        Assert.Equal(data.TrainInputs, again.TrainInputs);
        Assert.NotEqual(data.TrainInputs, other.TrainInputs);
    }

    [Fact]
    public void Input_columns_select_and_order_inputs_and_unused_columns_may_hold_text()
    {
        string path = Write(Table(10));
        var data = KanDataset.FromCsv(path, new[] { "z", "x" }, 0.2, 1, inputColumns: new[] { "y" });
        Assert.Equal(new[] { "y" }, data.InputNames);
        Assert.Equal(new[] { "z", "x" }, data.OutputNames);
        for (int s = 0; s < data.TrainCount; s++)
        {
            double y = data.TrainInputs[s];
            Assert.Equal(y * y, data.TrainLabels[2 * s]);
            Assert.Equal(-y * 0.5, data.TrainLabels[2 * s + 1]);
        }
    }

    private KanDataException Fails(string text, IReadOnlyList<string>? targets = null, IReadOnlyList<string>? inputs = null)
    {
        string path = Write(text);
        var error = Assert.Throws<KanDataException>(() => KanDataset.FromCsv(path, targets ?? new[] { "z" }, inputColumns: inputs));
        Assert.Contains(path, error.Message);
        Assert.Equal(path, error.FilePath);
        return error;
    }

    [Fact]
    public void Non_numeric_cell_names_row_and_column()
    {
        var error = Fails("x,z\n1,2\n3,abc\n5,6\n7,8\n");
        Assert.Equal(3, error.Row);
        Assert.Equal("z", error.Column);
        Assert.Contains("row 3, column 'z'", error.Message);
        Assert.Contains("'abc' is not a number", error.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Non_finite_cell_is_rejected(string cell)
    {
        var error = Fails($"x,z\n1,2\n3,4\n{cell},6\n7,8\n");
        Assert.Equal((4, "x"), (error.Row!.Value, error.Column));
        Assert.Contains("not finite", error.Message);
    }

    [Fact]
    public void Empty_cell_is_a_missing_value()
    {
        var error = Fails("x,z\n1,2\n3,\n5,6\n");
        Assert.Equal((3, "z"), (error.Row!.Value, error.Column));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Ragged_row_names_the_row()
    {
        var error = Fails("x,y,z\n1,2,3\n4,5\n6,7,8\n9,10,11\n");
        Assert.Equal(3, error.Row);
        Assert.Contains("2 fields but the header has 3", error.Message);
    }

    [Fact]
    public void Unknown_target_and_input_columns_list_the_header()
    {
        var target = Fails("x,z\n1,2\n3,4\n5,6\n", targets: new[] { "w" });
        Assert.Equal("w", target.Column);
        Assert.Contains("unknown target column; the header has: x, z", target.Message);
        var input = Fails("x,z\n1,2\n3,4\n5,6\n", inputs: new[] { "q" });
        Assert.Equal("q", input.Column);
        Assert.Contains("unknown input column", input.Message);
    }

    [Fact]
    public void Too_few_rows_for_the_split()
    {
        Assert.Contains("at least 2 training rows and 1 test row", Fails("x,z\n1,2\n3,4\n").Message);
        Assert.Contains("0 data rows", Fails("x,z\n").Message);
    }

    [Fact]
    public void Empty_file_and_missing_header()
    {
        Assert.Contains("the file is empty", Fails("").Message);
        var headerless = Fails("1,2\n3,4\n5,6\n7,8\n");
        Assert.Equal(1, headerless.Row);
        Assert.Contains("header is missing", headerless.Message);
    }

    [Fact]
    public void Duplicate_column_names_are_rejected()
    {
        var error = Fails("x,x,z\n1,2,3\n4,5,6\n7,8,9\n");
        Assert.Equal("x", error.Column);
    }

    [Fact]
    public void Test_fraction_outside_0_1_is_rejected()
    {
        string path = Write(Table(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => KanDataset.FromCsv(path, new[] { "z" }, testFraction: 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KanDataset.FromCsv(path, new[] { "z" }, testFraction: 1.0));
    }
}
