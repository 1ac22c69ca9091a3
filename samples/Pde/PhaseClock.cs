using System.Diagnostics;

namespace KanCompile.Samples.Pde;

/// <summary>Wall and CPU time of each phase (CPU counts both cores: on a busy machine wall time says little).</summary>
internal sealed class PhaseClock
{
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly Stopwatch _phase = Stopwatch.StartNew();
    private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>"wall s (CPU s)" since the last call.</summary>
    public string Lap()
    {
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        string text = $"{_phase.Elapsed.TotalSeconds,5:F1} s wall ({(cpu - _cpu).TotalSeconds:F1} s CPU)";
        _cpu = cpu;
        _phase.Restart();
        return text;
    }

    public TimeSpan Total => _total.Elapsed;
}
