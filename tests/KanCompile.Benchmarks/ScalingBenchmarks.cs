using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>
/// Cost per sample as the grid and the width grow ([w, w, 1] KANs compiled on demand, k = 3, 256 samples,
/// forward + backward on one thread). Expected: nearly flat in G (only k+1 bases per input are touched; the
/// interval search is O(log G)), and growing with the number of edges (w² + w). <see cref="PerSample"/> is one
/// kernel call (fold, samples, unfold: the O(parameters) fold and unfold are amortised over 256 samples only);
/// <see cref="PerSampleFolded"/> is the sample work alone, as the training objective runs it per chunk after folding
/// once per evaluation.
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private const int Batch = 256;
    private KanModel _model = null!;
    private double[] _inputs = null!, _labels = null!, _gradient = null!, _folded = null!, _foldedGradient = null!;

    [Params(5, 20, 100, 1000)]
    public int Grid { get; set; }

    [Params(4, 16, 64)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = new KanNetwork(new[] { Width, Width, 1 }, Grid, 3, 1);
        (_inputs, _labels) = BenchmarkData.Create(Width, Batch);
        _gradient = new double[_model.ParameterCount];
        _folded = new double[_model.Kernel.FoldedLength];
        _foldedGradient = new double[_model.Kernel.FoldedLength];
        _model.Kernel.Fold(_model.ParameterBuffer, _model.MaskBuffer, _folded);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "forward+backward per sample")]
    public double PerSample() => _model.Kernel.SquaredErrorGradientBatch(_inputs, _labels, Batch, 1.0 / Batch, _model.ParameterBuffer, _model.KnotTable, _model.MaskBuffer, _gradient, default);

    [Benchmark(OperationsPerInvoke = Batch, Description = "sample work per sample (folded once)")]
    public double PerSampleFolded() => _model.Kernel.SquaredErrorGradientFolded(_inputs, _labels, Batch, 1.0 / Batch, _folded, _model.KnotTable, _foldedGradient, default);
}
