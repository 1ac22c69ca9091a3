using KanCompile;

namespace KanCompile.Benchmarks;

// The three configurations the peers were measured on (shared/reference/anchors.md).

[KanModel(2, 5, 1, GridSize = 5, SplineOrder = 3)]
public partial class Toy251 { }

[KanModel(4, 16, 16, 1, GridSize = 10, SplineOrder = 3)]
public partial class Medium4x16x16x1 { }

[KanModel(10, 32, 32, 1, GridSize = 20, SplineOrder = 3)]
public partial class Large10x32x32x1 { }

/// <summary>A benchmark configuration: a model and its batch size.</summary>
public sealed record BenchmarkConfig(string Name, Func<KanModel> Create, int Batch)
{
    public static readonly BenchmarkConfig[] All =
    {
        new("[2,5,1] G=5 batch 1000", () => new Toy251(), 1000),
        new("[4,16,16,1] G=10 batch 4096", () => new Medium4x16x16x1(), 4096),
        new("[10,32,32,1] G=20 batch 1024", () => new Large10x32x32x1(), 1024),
    };

    public override string ToString() => Name;
}

/// <summary>Deterministic inputs in [-1, 1] and labels from the toy function's shape.</summary>
public static class BenchmarkData
{
    public static (double[] Inputs, double[] Labels) Create(int inputCount, int count, int seed = 0)
    {
        var random = new Random(seed);
        var inputs = new double[inputCount * count];
        var labels = new double[count];
        for (int s = 0; s < count; s++)
        {
            double sum = 0;
            for (int i = 0; i < inputCount; i++)
            {
                double x = random.NextDouble() * 2 - 1;
                inputs[s * inputCount + i] = x;
                sum += i % 2 == 0 ? Math.Sin(Math.PI * x) : x * x;
            }

            labels[s] = Math.Exp(sum / inputCount);
        }

        return (inputs, labels);
    }
}
