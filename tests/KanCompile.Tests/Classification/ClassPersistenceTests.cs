namespace KanCompile.Tests.Classification;

/// <summary>Model files keep a classifier's class names and decision, so predictions come back as names.</summary>
public class ClassPersistenceTests
{
    [Theory]
    [InlineData(KanClassDecision.Softmax)]
    [InlineData(KanClassDecision.NearestIndex)]
    public void Classes_survive_a_round_trip(KanClassDecision decision)
    {
        var model = new Classifier243(2) { Classes = new KanClasses(["setosa", "versicolor", "virginica"], decision) };
        using var stream = new MemoryStream();
        model.Save(stream);
        string json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"classes\"", json);
        Assert.Contains("\"version\": 2", json);
        stream.Position = 0;
        KanNetwork loaded = KanModel.Load(stream);
        Assert.Equal(model.Classes!.Names, loaded.Classes!.Names);
        Assert.Equal(decision, loaded.Classes.Decision);
        double[] x = [0.3, -0.4];
        Assert.Equal(model.PredictClassName(x), loaded.PredictClassName(x));
    }

    [Fact]
    public void A_regression_model_file_is_unchanged()
    {
        using var stream = new MemoryStream();
        new Moons21(1).Save(stream);
        string json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.DoesNotContain("classes", json);
        Assert.Contains("\"version\": 1", json);
    }

    [Theory]
    [InlineData("\"class_decision\": \"softmax\"", "\"class_decision\": \"vote\"", "\"class_decision\" is \"vote\"")]
    [InlineData("\"class_decision\": \"softmax\"", "\"class_decision\": null", "come together")]
    [InlineData("\"virginica\"", "\"\"", "\"classes[2]\" is empty")]
    [InlineData("\"virginica\"", "\"virginica\", \"other\"", "do not fit the model")]
    public void Bad_class_fields_are_named(string find, string replace, string message)
    {
        var model = new Classifier243(2) { Classes = new KanClasses(["setosa", "versicolor", "virginica"], KanClassDecision.Softmax) };
        using var stream = new MemoryStream();
        model.Save(stream);
        string json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains(find, json);
        using var broken = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.Replace(find, replace)));
        var error = Assert.Throws<KanModelFileException>(() => KanModel.Load(broken));
        Assert.Contains(message, error.Message);
    }
}
