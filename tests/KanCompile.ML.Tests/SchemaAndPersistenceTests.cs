using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML.Tests;

/// <summary>Schema checks with clear errors, float32 → float64 widening, and persistence.</summary>
public class SchemaAndPersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kan-ml-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Single { get; set; }

        public bool Flag { get; set; }
    }

    private static IEnumerable<Row> Rows(int count)
    {
        var random = new Random(3);
        for (int i = 0; i < count; i++)
        {
            float a = (float)random.NextDouble(), b = (float)random.NextDouble();
            yield return new Row { Features = [a, b], Label = a * b + 0.1f * a, Single = a, Flag = a > b };
        }
    }

    [Fact]
    public void Wrong_or_missing_columns_are_named_before_training()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(20));
        var scalar = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Kan(featureColumnName: "Single").Fit(data));
        Assert.Contains("The feature column 'Single' is Single; a KAN trainer needs a known-size vector", scalar.Message);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Kan(labelColumnName: "Price").Fit(data));
        Assert.Contains("The label column 'Price' is not in the data", missing.Message);
        var binary = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.Kan().Fit(data));
        Assert.Contains("a binary label must be Boolean", binary.Message);
        var multiclass = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Kan(labelColumnName: "Flag").Fit(data));
        Assert.Contains("MapValueToKey", multiclass.Message);

        // Pipelines check the schema shape before fitting anything.
        var pipeline = ml.Transforms.CopyColumns("Copy", "Single").Append(ml.BinaryClassification.Trainers.Kan(labelColumnName: "Label"));
        Assert.Contains("a binary label must be Boolean", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data)).Message);
    }

    [Fact]
    public void Float_features_are_widened_exactly_and_scored_like_the_model()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(80));
        KanPredictionTransformer transformer = ml.Regression.Trainers.Kan(steps: 5).Fit(data);
        float[][] features = data.GetColumn<float[]>("Features").ToArray();
        float[] scores = transformer.Transform(data).GetColumn<float>("Score").ToArray();
        var output = new double[1];
        for (int r = 0; r < features.Length; r++)
        {
            transformer.Model.Forward([features[r][0], features[r][1]], output);
            Assert.Equal((float)output[0], scores[r]);
        }
    }

    [Fact]
    public void The_kan_saves_as_a_model_file_and_ml_net_says_why_its_own_format_refuses_it()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(60));
        KanPredictionTransformer binary = ml.BinaryClassification.Trainers.Kan(labelColumnName: "Flag", steps: 5).Fit(data);
        var refused = Assert.Throws<NotSupportedException>(() => ml.Model.Save(binary, data.Schema, Path.Combine(_directory, "model.zip")));
        Assert.Contains("KanPredictionTransformer.SaveModel", refused.Message);

        string path = Path.Combine(_directory, "binary.kan.json");
        binary.SaveModel(path);
        KanPredictionTransformer loaded = KanPredictionTransformer.Load(path);
        Assert.Equal(KanTask.BinaryClassification, loaded.Task);
        Assert.Equal(binary.Transform(data).GetColumn<float>("Probability"), loaded.Transform(data).GetColumn<float>("Probability"));
        Assert.Equal(binary.Transform(data).GetColumn<bool>("PredictedLabel"), loaded.Transform(data).GetColumn<bool>("PredictedLabel"));
    }
}
