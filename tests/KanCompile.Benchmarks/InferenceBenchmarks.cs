using BenchmarkDotNet.Attributes;
using KanCompile;

namespace KanCompile.Benchmarks;

/// <summary>Batch-1 inference of [2,5,1] G=5 (peers: efficient-kan 258 µs, FastKAN 68 µs; target ≤ 0.5 µs).</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly double[] _input = { 0.3, -0.2 };
    private readonly double[] _output = new double[1];
    private IKanModel _generated = null!;
    private IKanModel _compiledOnDemand = null!;
    private IKanModel _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        _generated = new Toy251(1);
        _compiledOnDemand = new KanNetwork(new[] { 2, 5, 1 }, 5, 3, 1);
        _reference = new KanNetwork(new[] { 2, 5, 1 }, 5, 3, 1, engine: KanEngine.Reference);
    }

    [Benchmark(Baseline = true, Description = "generated Forward")]
    public double Generated()
    {
        _generated.Forward(_input, _output);
        return _output[0];
    }

    [Benchmark(Description = "KanNetwork Forward (kernel compiled on demand)")]
    public double CompiledOnDemand()
    {
        _compiledOnDemand.Forward(_input, _output);
        return _output[0];
    }

    [Benchmark(Description = "KanNetwork Forward (reference engine)")]
    public double Reference()
    {
        _reference.Forward(_input, _output);
        return _output[0];
    }
}
