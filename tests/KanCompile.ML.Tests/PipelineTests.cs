using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML.Tests;

/// <summary>The KAN trainers inside ML.NET pipelines with featurisation, scored by ML.NET's own evaluators.</summary>
public class PipelineTests
{
    public sealed class RegressionRow
    {
        public float A { get; set; }

        public float B { get; set; }

        public float Label { get; set; }
    }

    public sealed class BinaryRow
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public bool Label { get; set; }
    }

    public sealed class ClassRow
    {
        public float X { get; set; }

        public float Y { get; set; }

        public string Kind { get; set; } = "";
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }

    public sealed class BinaryPrediction
    {
        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public sealed class ClassPrediction
    {
        public string PredictedKind { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    internal static IEnumerable<RegressionRow> Regression(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            // Raw features on [0, 10] and [-3, 3]: the pipeline's normaliser brings them to [0, 1].
            float a = (float)(10 * random.NextDouble()), b = (float)(6 * random.NextDouble() - 3);
            yield return new RegressionRow { A = a, B = b, Label = (float)(Math.Sin(a / 3) + b * b / 9) };
        }
    }

    private static IEnumerable<BinaryRow> Moons(int count, int seed)
    {
        KanDataset moons = KanDataset.TwoMoons(count, 1, seed: seed);
        for (int s = 0; s < count; s++)
        {
            yield return new BinaryRow { X1 = (float)moons.TrainInputs[2 * s], X2 = (float)moons.TrainInputs[2 * s + 1], Label = moons.TrainClasses[s] == 1 };
        }
    }

    private static IEnumerable<ClassRow> Sectors(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            float x = (float)(2 * random.NextDouble() - 1), y = (float)(2 * random.NextDouble() - 1);
            yield return new ClassRow { X = x, Y = y, Kind = x + y > 0.5 ? "high" : x > y ? "east" : "west" };
        }
    }

    [Fact]
    public void Regression_trains_after_concatenation_and_min_max_normalisation()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Regression(300, 1)), test = ml.Data.LoadFromEnumerable(Regression(200, 2));
        var pipeline = ml.Transforms.Concatenate("Features", nameof(RegressionRow.A), nameof(RegressionRow.B))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Regression.Trainers.Kan(steps: 20));
        var model = pipeline.Fit(train);
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.True(metrics.RSquared > 0.99, $"R² {metrics.RSquared}");

        // A prediction engine (row-to-row mapping) gives the scored view's values.
        var engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model);
        RegressionRow first = Regression(1, 2).First();
        float[] scores = model.Transform(test).GetColumn<float>("Score").ToArray();
        Assert.Equal(scores[0], engine.Predict(first).Score);
    }

    [Fact]
    public void Binary_classifier_reports_score_probability_and_label_to_the_evaluator()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Moons(300, 1)), test = ml.Data.LoadFromEnumerable(Moons(300, 2));
        var pipeline = ml.Transforms.Concatenate("Features", nameof(BinaryRow.X1), nameof(BinaryRow.X2))
            .Append(ml.BinaryClassification.Trainers.Kan(steps: 15));
        var model = pipeline.Fit(train);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.Accuracy > 0.95, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.AreaUnderRocCurve > 0.98, $"AUC {metrics.AreaUnderRocCurve}");

        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        BinaryRow first = Moons(300, 2).First();
        BinaryPrediction prediction = engine.Predict(first);
        Assert.Equal(model.Transform(test).GetColumn<float>("Probability").First(), prediction.Probability);
        Assert.Equal(prediction.Probability > 0.5f, prediction.PredictedLabel);
    }

    [Fact]
    public void Multiclass_classifier_keeps_the_label_keys_and_their_names()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Sectors(400, 1)), test = ml.Data.LoadFromEnumerable(Sectors(300, 2));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassRow.Kind))
            .Append(ml.Transforms.Concatenate("Features", nameof(ClassRow.X), nameof(ClassRow.Y)))
            .Append(ml.MulticlassClassification.Trainers.Kan(steps: 20))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedKind", "PredictedLabel"));
        var model = pipeline.Fit(train);
        IDataView scored = model.Transform(test);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");

        KanPredictionTransformer kan = model.OfType<KanPredictionTransformer>().Single();
        // The class names are the label's key values, in key order.
        Assert.Equal(["east", "high", "west"], kan.Model.Classes!.Names.Order());
        Assert.Equal(KanClassDecision.Softmax, kan.Model.Classes.Decision);
        string[] kinds = scored.GetColumn<string>(nameof(ClassRow.Kind)).ToArray();
        string[] predicted = scored.GetColumn<string>("PredictedKind").ToArray();
        Assert.True(kinds.Zip(predicted).Count(p => p.First == p.Second) > 0.9 * kinds.Length);

        var engine = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(model);
        ClassPrediction prediction = engine.Predict(Sectors(300, 2).First());
        Assert.Equal(predicted[0], prediction.PredictedKind);
        Assert.Equal(1.0, prediction.Score.Sum(), 5);
    }
}
