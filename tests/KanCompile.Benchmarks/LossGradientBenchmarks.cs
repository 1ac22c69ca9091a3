using BenchmarkDotNet.Attributes;

namespace KanCompile.Benchmarks;

/// <summary>A classifier shape with one logit per class: [4,16,16,4] on grid 10.</summary>
[KanModel(4, 16, 16, 4, GridSize = 10, SplineOrder = 3)]
public partial class Classifier4x16x16x4 { }

/// <summary>
/// The batch gradient pass (one thread) of one classifier shape under each loss: the squared error the kernel computes
/// inline, and softmax cross-entropy, binary logistic and a user loss (the squared error again, through a delegate)
/// through the per-sample seam (KanKernel.SampleLoss). "user" against "mse" is what the seam costs.
/// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*LossGradient*' --job short
/// </summary>
[MemoryDiagnoser]
public class LossGradientBenchmarks
{
    private const int Batch = 2048;
    // The squared error again, as a user would write it: against "mse" it isolates what the per-sample seam costs.
    private static readonly KanLoss UserLoss = KanLoss.Create("user_squared_error", (y, t, g) =>
    {
        double sum = 0.0;
        for (int o = 0; o < y.Length; o++)
        {
            sum += (y[o] - t[o]) * (y[o] - t[o]);
            g[o] = 2.0 * (y[o] - t[o]);
        }

        return sum;
    }, averagesOverOutputs: true);

    private KanModel _model = null!;
    private double[] _inputs = null!, _labels = null!, _gradient = null!;
    private KanLoss _loss = null!;

    [Params("mse", "cross_entropy", "logistic", "user")]
    public string Loss { get; set; } = "mse";

    [GlobalSetup]
    public void Setup()
    {
        _model = new Classifier4x16x16x4(1);
        var random = new Random(1);
        _inputs = Enumerable.Range(0, Batch * 4).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        // One-hot rows: valid labels for every loss here (each entry in [0, 1], rows summing to 1).
        _labels = new double[Batch * 4];
        for (int s = 0; s < Batch; s++)
        {
            _labels[s * 4 + random.Next(4)] = 1.0;
        }

        _gradient = new double[_model.ParameterCount];
        _loss = Loss switch
        {
            "cross_entropy" => KanLoss.SoftmaxCrossEntropy,
            "logistic" => KanLoss.BinaryLogistic,
            "user" => UserLoss,
            _ => KanLoss.MeanSquaredError,
        };
    }

    [Benchmark(Description = "batch loss gradient, [4,16,16,4] G=10, 2048 samples, 1 thread")]
    public double LossGradient()
    {
        Array.Clear(_gradient);
        return _model.Kernel.LossGradientBatch(_inputs, _labels, Batch, 1.0 / Batch, _loss, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default);
    }
}
