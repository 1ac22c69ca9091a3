using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KanCompile.Compilation;

namespace KanCompile.Benchmarks;

/// <summary>
/// The quick-start as a user meets it: each phase of <see cref="QuickStartWorkflow"/> timed the first time it runs in
/// a fresh process (BenchmarkDotNet's cold start: a new process per launch, one invocation, no warm-up; the phases
/// before it run untimed in the iteration setup), and the whole workflow. With <see cref="WarmCache"/> the on-disk
/// kernel cache was filled by an earlier process; without it the cache starts empty, as on a fresh machine.
/// JIT and start-up are inside the figures, as in the sample; pykan's phase times are in anchors.md.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class WorkflowBenchmarks
{
    private QuickStartWorkflow _workflow = null!;

    /// <summary>The phase timed (its index in <see cref="QuickStartWorkflow.Phases"/>), or -1 for all of them.</summary>
    [Params(-1, 0, 1, 2, 3, 4)]
    public int Phase { get; set; }

    [Params(false, true)]
    public bool WarmCache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string cache = Path.Combine(Path.GetTempPath(), "kancompile-benchmark-kernels", WarmCache ? "warm" : "cold-" + Guid.NewGuid().ToString("N"));
        if (WarmCache)
        {
            FillCache(cache);
        }

        // Read once, at the first kernel compile, so setting it here (before any) is in time.
        Environment.SetEnvironmentVariable(KernelCache.DirectoryVariable, cache);
    }

    [IterationSetup]
    public void RunEarlierPhases()
    {
        _workflow = new QuickStartWorkflow();
        for (int p = 0; p < Phase; p++)
        {
            _workflow.Phases[p].Run();
        }
    }

    [Benchmark(Description = "quick-start phase, first run in a fresh process")]
    public void Run()
    {
        var phases = _workflow.Phases;
        if (Phase >= 0)
        {
            phases[Phase].Run();
            return;
        }

        foreach (var phase in phases)
        {
            phase.Run();
        }
    }

    /// <summary>Runs the whole workflow once in a child process (this assembly's <c>profile workflow</c>) on <paramref name="cache"/>.</summary>
    private static void FillCache(string cache)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(WorkflowBenchmarks).Assembly.Location);
        start.ArgumentList.Add("profile");
        start.ArgumentList.Add("workflow");
        start.Environment[KernelCache.DirectoryVariable] = cache;
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Filling the kernel cache ({start.FileName} {string.Join(' ', start.ArgumentList)}) exited {process.ExitCode}: {errors.Result}");
        }
    }
}
