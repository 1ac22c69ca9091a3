using System.Diagnostics;
using KanCompile.Symbolic;
using Xunit.Abstractions;

namespace KanCompile.Tests.Symbolic;

/// <summary>FitParameters' memory use does not grow with the grid or the sample count (AutoSymbolic runs it a lot).</summary>
public sealed class FitParametersAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void SequentialFitAllocatesOnlyTheGridAxesIndependentOfSampleCount()
    {
        var sin = SymbolicLibrary.Default["sin"];
        var options = SymbolicFitOptions.Pykan with { MaxDegreeOfParallelism = 1 };
        long Measure(int n)
        {
            double[] x = Enumerable.Range(0, n).Select(s => -1 + 2.0 * s / (n - 1)).ToArray();
            double[] y = x.Select(v => 2 * Math.Sin(3 * v + 0.5) - 1).ToArray();
            SymbolicFit.FitParameters(x, y, sin, options); // warm-up: pool buckets, JIT
            long bytes = long.MaxValue;
            var watch = new Stopwatch();
            // The minimum of a few runs: tests running in parallel can drain the shared ArrayPool for a moment.
            for (int run = 0; run < 3; run++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                watch.Restart();
                SymbolicFit.FitParameters(x, y, sin, options);
                watch.Stop();
                bytes = Math.Min(bytes, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            output.WriteLine($"N = {n}: {bytes} bytes, {watch.Elapsed.TotalMilliseconds:F0} ms (sequential, Debug build)");
            return bytes;
        }

        long small = Measure(50);
        long large = Measure(200);

        // 3 iterations × 2 axes × 101 doubles ≈ 5 KB plus a few small objects; nothing per cell or per sample.
        Assert.True(large < 8 * 1024, $"FitParameters allocated {large} bytes.");
        Assert.Equal(small, large);
    }

    [Fact]
    public void BadInputNamesTheProblem()
    {
        var sin = SymbolicLibrary.Default["sin"];

        var lengths = Assert.Throws<ArgumentException>(() => SymbolicFit.FitParameters(new double[3], new double[2], sin));
        Assert.Contains("3 x values and 2 y values", lengths.Message);
        var grid = Assert.Throws<ArgumentException>(() =>
            SymbolicFit.FitParameters(new double[3], new double[3], sin, new SymbolicFitOptions { GridNumber = 2 }));
        Assert.Contains("GridNumber", grid.Message);
        Assert.Throws<ArgumentException>(() => SymbolicFit.FitParameters([], [], sin));
    }
}
