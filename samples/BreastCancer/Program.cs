// Breast Cancer Wisconsin (Diagnostic), 569 tumours, 30 features (data/README.md: source and licence): a 70/30 split
// (seed 0), the same split for every model. KanCompile's KANs (directly, and as an ML.NET trainer in a pipeline) beside
// ML.NET's own trainers: SDCA maximum entropy, FastTree and LightGBM. For each: test accuracy and training time (the
// first fit, which for a KAN includes compiling its kernel when no cached one exists, and the median of three more).
using System.Diagnostics;
using KanCompile;
using KanCompile.ML;
using Microsoft.ML;
using Microsoft.ML.Data;

string path = Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");
KanDataset raw = KanDataset.FromCsv(path, ["diagnosis"], testFraction: 0.3, seed: 0, classify: true);
int features = raw.InputCount;
Console.WriteLine($"{raw.TrainCount} training and {raw.TestCount} test tumours, {features} features, classes {string.Join(", ", raw.ClassNames!)}");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores; load average {LoadAverage()}");
Console.WriteLine();

// KanCompile directly: standardise with the training rows' statistics (as the ML.NET pipelines' NormalizeMeanVariance does).
(double[] trainInputs, double[] testInputs) = Standardised(raw.TrainInputs, raw.TestInputs, features);
KanDataset data = KanDataset.FromClasses(trainInputs, raw.TrainClasses, testInputs, raw.TestClasses, features, raw.ClassNames!, raw.InputNames);
var results = new List<(string Model, double Accuracy, double FirstSeconds, double MedianSeconds)>();
foreach (int[] widths in new[] { new[] { features, 1 }, [features, 3, 1] })
{
    var options = new FitOptions { Steps = 20, Loss = KanLoss.BinaryLogistic, Lambda = 1e-3 };
    double accuracy = 0.0;
    var seconds = Time(() =>
    {
        var model = new KanNetwork(widths, gridSize: 5, splineOrder: 3, seed: 0);
        model.Fit(data, options);
        var predicted = new int[data.TestCount];
        model.PredictClasses(data.TestInputs, predicted);
        accuracy = predicted.Zip(data.TestClasses).Count(p => p.First == p.Second) / (double)data.TestCount;
    });
    results.Add(($"KanCompile [{string.Join(",", widths)}], logistic, 20 L-BFGS steps, λ = 1e-3", accuracy, seconds.First, seconds.Median));
}

// ML.NET: the same rows as float32, label true = malignant.
var ml = new MLContext(seed: 0);
int malignant = raw.ClassNames!.ToList().IndexOf("malignant");
IDataView train = ml.Data.LoadFromEnumerable(Rows(raw.TrainInputs, raw.TrainClasses, features, malignant), Schema(features));
IDataView test = ml.Data.LoadFromEnumerable(Rows(raw.TestInputs, raw.TestClasses, features, malignant), Schema(features));
var normalise = ml.Transforms.NormalizeMeanVariance("Features");
var binaryPipelines = new (string Name, IEstimator<ITransformer> Pipeline)[]
{
    ("KanCompile.ML [30,1] in an ML.NET pipeline (NormalizeMeanVariance, Kan)", normalise.Append(ml.BinaryClassification.Trainers.Kan(
        new KanBinaryClassificationOptions { HiddenWidths = [], Steps = 20, Lambda = 1e-3 }))),
    ("ML.NET FastTree (defaults)", ml.BinaryClassification.Trainers.FastTree()),
    ("ML.NET LightGBM (defaults)", ml.BinaryClassification.Trainers.LightGbm()),
};
foreach (var (name, pipeline) in binaryPipelines)
{
    double accuracy = 0.0;
    var seconds = Time(() => accuracy = ml.BinaryClassification.EvaluateNonCalibrated(pipeline.Fit(train).Transform(test)).Accuracy);
    results.Add((name, accuracy, seconds.First, seconds.Median));
}

var maximumEntropy = ml.Transforms.Conversion.MapValueToKey("Class", "Label")
    .Append(normalise)
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Class"));
double sdcaAccuracy = 0.0;
var sdcaSeconds = Time(() => sdcaAccuracy = ml.MulticlassClassification.Evaluate(maximumEntropy.Fit(train).Transform(test), "Class").MicroAccuracy);
results.Add(("ML.NET SDCA maximum entropy (NormalizeMeanVariance)", sdcaAccuracy, sdcaSeconds.First, sdcaSeconds.Median));

Console.WriteLine($"| model | test accuracy ({raw.TestCount} tumours) | first fit (s) | median of 3 more (s) |");
Console.WriteLine("|---|---|---|---|");
foreach (var (model, accuracy, first, median) in results)
{
    Console.WriteLine($"| {model} | {accuracy:F4} | {first:F3} | {median:F3} |");
}

// Fits once, then three more times: (first, median of the three) wall-clock seconds.
static (double First, double Median) Time(Action fit)
{
    var clock = Stopwatch.StartNew();
    fit();
    double first = clock.Elapsed.TotalSeconds;
    var more = new List<double>();
    for (int run = 0; run < 3; run++)
    {
        clock.Restart();
        fit();
        more.Add(clock.Elapsed.TotalSeconds);
    }

    return (first, more.Order().ElementAt(1));
}

static (double[] Train, double[] Test) Standardised(double[] train, double[] test, int columns)
{
    double[] trainCopy = train.ToArray(), testCopy = test.ToArray();
    int rows = train.Length / columns;
    for (int c = 0; c < columns; c++)
    {
        double mean = Enumerable.Range(0, rows).Average(r => train[r * columns + c]);
        double deviation = Math.Sqrt(Enumerable.Range(0, rows).Sum(r => Math.Pow(train[r * columns + c] - mean, 2)) / (rows - 1));
        for (int r = 0; r < trainCopy.Length / columns; r++)
        {
            trainCopy[r * columns + c] = (train[r * columns + c] - mean) / deviation;
        }

        for (int r = 0; r < testCopy.Length / columns; r++)
        {
            testCopy[r * columns + c] = (test[r * columns + c] - mean) / deviation;
        }
    }

    return (trainCopy, testCopy);
}

static IEnumerable<Tumour> Rows(double[] inputs, int[] classes, int columns, int malignant) =>
    classes.Select((c, r) => new Tumour { Features = inputs.AsSpan(r * columns, columns).ToArray().Select(v => (float)v).ToArray(), Label = c == malignant });

static SchemaDefinition Schema(int columns)
{
    SchemaDefinition schema = SchemaDefinition.Create(typeof(Tumour));
    schema[nameof(Tumour.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
    return schema;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

/// <summary>One tumour for ML.NET: the 30 features and whether it is malignant.</summary>
internal sealed class Tumour
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}
