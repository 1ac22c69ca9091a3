namespace KanCompile.Tests.Classification;

/// <summary>Class labels as data: FromClasses, TwoMoons, FromCsv with a class column, and their errors.</summary>
public class ClassDatasetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kan-classes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Two_moons_is_seeded_balanced_and_on_the_half_circles()
    {
        KanDataset a = KanDataset.TwoMoons(101, 50, 0.1, seed: 3), b = KanDataset.TwoMoons(101, 50, 0.1, seed: 3);
        Assert.Equal(a.TrainInputs, b.TrainInputs);
        Assert.Equal(a.TestClasses, b.TestClasses);
        Assert.NotEqual(a.TrainInputs, KanDataset.TwoMoons(101, 50, 0.1, seed: 4).TrainInputs);
        Assert.Equal(50, a.TrainClasses.Count(c => c == 0));
        Assert.Equal(51, a.TrainClasses.Count(c => c == 1));
        Assert.Equal(["upper", "lower"], a.ClassNames);

        KanDataset exact = KanDataset.TwoMoons(40, 10, noise: 0.0, seed: 0);
        for (int s = 0; s < exact.TrainCount; s++)
        {
            double x = exact.TrainInputs[2 * s], y = exact.TrainInputs[2 * s + 1];
            double radius = exact.TrainClasses[s] == 0 ? x * x + y * y : (1 - x) * (1 - x) + (0.5 - y) * (0.5 - y);
            Assert.Equal(1.0, radius, 12);
        }
    }

    [Fact]
    public void From_classes_checks_indices_and_names_and_one_hots_for_one_output_per_class()
    {
        double[] x = [0, 0, 1, 1, 2, 2];
        var data = KanDataset.FromClasses(x, [0, 2, 1], [0.5, 0.5], [2], 2, ["a", "b", "c"]);
        Assert.Equal([0.0, 2.0, 1.0], data.TrainLabels);
        var (train, test, width) = data.LabelsFor(3);
        Assert.Equal(3, width);
        Assert.Equal([1.0, 0, 0, 0, 0, 1, 0, 1, 0], train);
        Assert.Equal([0.0, 0, 1], test);
        Assert.Equal(1, data.LabelsFor(1).Width);

        Assert.Contains("training sample 1 has class 3", Assert.Throws<ArgumentException>(() => KanDataset.FromClasses(x, [0, 3, 1], [0.5, 0.5], [2], 2, ["a", "b", "c"])).Message);
        Assert.Contains("at least two classes", Assert.Throws<ArgumentException>(() => KanDataset.FromClasses(x, [0, 0, 0], [0.5, 0.5], [0], 2, ["a"])).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => KanDataset.FromClasses(x, [0, 1, 0], [0.5, 0.5], [0], 2, ["a", "a"])).Message);
    }

    [Fact]
    public void From_csv_numbers_text_classes_in_sorted_order()
    {
        string path = Write("x,y,kind\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n9,10,virginica\n");
        KanDataset data = KanDataset.FromCsv(path, ["kind"], testFraction: 0.2, seed: 1, classify: true);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
        Assert.Equal(1, data.OutputCount);
        double[] inputs = data.TrainInputs.Concat(data.TestInputs).ToArray();
        int[] classes = data.TrainClasses.Concat(data.TestClasses).ToArray();
        for (int s = 0; s < classes.Length; s++)
        {
            double first = inputs[2 * s];
            string expected = first is 1 or 9 ? "virginica" : first is 3 or 7 ? "setosa" : "versicolor";
            Assert.Equal(expected, data.ClassNames![classes[s]]);
        }
    }

    [Fact]
    public void From_csv_takes_whole_class_numbers_in_numeric_order()
    {
        string path = Write("x,label\n1,10\n2,2\n3,2.0\n4,10\n5,-1\n");
        KanDataset data = KanDataset.FromCsv(path, ["label"], testFraction: 0.2, seed: 0, classify: true);
        Assert.Equal(["-1", "2", "10"], data.ClassNames);
    }

    [Theory]
    [InlineData("x,label\n1,0\n2,1\n3,0.5\n4,1\n", 4, "'0.5' is not a whole number")]
    [InlineData("x,label\n1,a\n2,a\n3,a\n", null, "every row has the class 'a'")]
    [InlineData("x,label\n1,a\n2,\n3,b\n", 3, "the class is missing")]
    public void From_csv_names_the_row_and_column_of_a_bad_class(string content, int? row, string message)
    {
        string path = Write(content);
        var error = Assert.Throws<KanDataException>(() => KanDataset.FromCsv(path, ["label"], classify: true));
        Assert.Equal(row, error.Row);
        Assert.Equal("label", error.Column);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void From_csv_classifies_a_single_target_only()
    {
        string path = Write("x,a,b\n1,0,1\n2,1,0\n3,0,1\n");
        Assert.Contains("one target column", Assert.Throws<ArgumentException>(() => KanDataset.FromCsv(path, ["a", "b"], classify: true)).Message);
    }

    private string Write(string content)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
