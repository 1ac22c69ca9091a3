using System.Diagnostics;

namespace KanCompile.Benchmarks;

/// <summary>
/// A plain Stopwatch loop for profilers (perf, dotnet-trace): <c>profile [config 0-2] [seconds] [threads] [all|gradient|forward|step] [adapted]</c> runs
/// training steps of one anchor configuration and prints time per step and per part, so a sampling profiler
/// attached to the process sees only the hot path (BenchmarkDotNet's own process juggling would get in the way).
/// <c>profile scaling G width calls [batch|folded]</c> runs fixed work of the scaling sweep for <c>perf stat</c>.
/// </summary>
public static class ProfileHarness
{
    public static void Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "scaling")
        {
            RunScaling(args);
            return;
        }

        int index = args.Length > 1 ? int.Parse(args[1]) : 1;
        double seconds = args.Length > 2 ? double.Parse(args[2]) : 5;
        int threads = args.Length > 3 ? int.Parse(args[3]) : Environment.ProcessorCount;
        BenchmarkConfig config = BenchmarkConfig.All[index];
        KanModel model = config.Create();
        // "adapted": as AdaptedGridTrainingStepBenchmarks, knots off the lattice, windows from the polynomial table.
        using var step = new AdamStepFixture(model, config.Batch, adaptGrid: args.Length > 5 && args[5] == "adapted", threads);
        (double[] inputs, double[] labels) = (step.Inputs, step.Labels);
        var gradient = new double[model.ParameterCount];

        Console.WriteLine($"{config.Name}: Vector512 accelerated {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
        string only = args.Length > 4 ? args[4] : "all";
        if (only is "gradient" or "forward" or "step")
        {
            // Fixed work for `perf stat` (cycles and instructions of this process do not depend on the machine's load).
            int repeats = (int)seconds;
            var output = new double[config.Batch * model.OutputCount];
            for (int r = 0; r < repeats; r++)
            {
                if (only == "gradient")
                {
                    model.Kernel.SquaredErrorGradientBatch(inputs, labels, config.Batch, 1.0 / config.Batch, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
                }
                else if (only == "forward")
                {
                    model.Kernel.ForwardBatch(inputs, output, config.Batch, model.ParameterBuffer, model.KnotTable, model.MaskBuffer);
                }
                else
                {
                    step.Step();
                }
            }

            Console.WriteLine($"{only}: {repeats} calls of {config.Batch} samples");
            return;
        }

        // One thread, kernel only: the compute part without dispatch.
        Measure("kernel batch gradient, 1 thread", seconds / 3, config.Batch, () =>
        {
            Array.Clear(gradient);
            model.Kernel.SquaredErrorGradientBatch(inputs, labels, config.Batch, 1.0 / config.Batch, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
        });
        var outputs = new double[config.Batch * model.OutputCount];
        Measure("kernel batch forward, 1 thread", seconds / 3, config.Batch, () =>
            model.Kernel.ForwardBatch(inputs, outputs, config.Batch, model.ParameterBuffer, model.KnotTable, model.MaskBuffer));
        Measure($"Adam step, {threads} threads", seconds / 3, config.Batch, () => step.Step());
    }

    /// <summary>
    /// <c>profile scaling G width calls [batch|folded]</c>: fixed work on one thread for <c>perf stat</c>, the
    /// <see cref="ScalingBenchmarks"/> model and batch (one kernel call per repeat, or the sample work alone).
    /// </summary>
    private static void RunScaling(string[] args)
    {
        int grid = int.Parse(args[2]), width = int.Parse(args[3]), calls = int.Parse(args[4]);
        bool folded = args.Length > 5 && args[5] == "folded";
        const int Batch = 256;
        var model = new KanNetwork(new[] { width, width, 1 }, grid, 3, 1);
        (double[] inputs, double[] labels) = BenchmarkData.Create(width, Batch);
        var gradient = new double[model.ParameterCount];
        var table = new double[model.Kernel.FoldedLength];
        var tableGradient = new double[model.Kernel.FoldedLength];
        model.Kernel.Fold(model.ParameterBuffer, model.MaskBuffer, table);
        for (int r = 0; r < calls; r++)
        {
            if (folded)
            {
                model.Kernel.SquaredErrorGradientFolded(inputs, labels, Batch, 1.0 / Batch, table, model.KnotTable, tableGradient, default);
            }
            else
            {
                model.Kernel.SquaredErrorGradientBatch(inputs, labels, Batch, 1.0 / Batch, model.ParameterBuffer, model.KnotTable, model.MaskBuffer, gradient, default);
            }
        }

        Console.WriteLine($"scaling G={grid} w={width}: {calls} {(folded ? "folded" : "batch")} calls of {Batch} samples");
    }

    private static void Measure(string name, double seconds, int batch, Action action)
    {
        for (int i = 0; i < 5; i++)
        {
            action();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        int calls = 0;
        double best = double.MaxValue;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            long before = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            calls++;
        }

        double mean = watch.Elapsed.TotalMicroseconds / calls;
        long bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / calls;
        Console.WriteLine($"{name,-40} mean {mean,10:F1} us  best {best,10:F1} us  ({batch / best * 1e6 / 1e6:F3}M samples/s at best)  {bytes} B/call");
    }
}
