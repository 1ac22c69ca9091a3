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
        long Measure(int n, bool afterGc)
        {
            double[] x = Enumerable.Range(0, n).Select(s => -1 + 2.0 * s / (n - 1)).ToArray();
            double[] y = x.Select(v => 2 * Math.Sin(3 * v + 0.5) - 1).ToArray();
            SymbolicFit.FitParameters(x, y, sin, options); // warm-up: pool buckets, JIT
            long bytes = long.MaxValue;
            var watch = new Stopwatch();
            // The minimum of a few runs: a test running in parallel can take an array this call returned to the shared
            // ArrayPool's per-core stacks and keep it in its own thread's slot, so the next rent here allocates.
            for (int run = 0; run < 3; run++)
            {
                // In a full run other threads' allocations trigger GCs at random points. Measured right after a forced
                // GC and without one, anything the call rebuilds after a GC (Enum.IsDefined's weakly held reflection
                // cache cost 240 bytes a call) fails every time instead of only on a loaded machine.
                if (afterGc)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                watch.Restart();
                SymbolicFit.FitParameters(x, y, sin, options);
                watch.Stop();
                bytes = Math.Min(bytes, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            output.WriteLine($"N = {n}{(afterGc ? ", after a GC" : "")}: {bytes} bytes, {watch.Elapsed.TotalMilliseconds:F0} ms (sequential)");
            return bytes;
        }

        long small = Measure(50, afterGc: true);
        long large = Measure(200, afterGc: true);
        long largeWithoutGc = Measure(200, afterGc: false);

        // 3 iterations × 2 axes × 101 doubles ≈ 5 KB plus a few small objects; nothing per cell or per sample, and
        // nothing that depends on whether a GC ran.
        Assert.True(large < 8 * 1024, $"FitParameters allocated {large} bytes.");
        Assert.Equal(small, large);
        Assert.Equal(largeWithoutGc, large);
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
        var method = Assert.Throws<ArgumentException>(() =>
            SymbolicFit.FitParameters(new double[3], new double[3], sin, new SymbolicFitOptions { Method = (SymbolicFitMethod)7 }));
        Assert.Contains("Method is 7", method.Message);
    }
}
