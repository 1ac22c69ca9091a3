using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using KanCompile.Engine;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// Supplies a kernel for shapes and grids no generated kernel covers: one compiled on demand with the shared
/// emitter, once per shape (cached for the life of the process, each shape compiled exactly once even under
/// concurrent requests, and kept on disk for later processes by <see cref="KernelCache"/>). Nothing waits for that
/// compile where <see cref="RuntimeShapedKernel"/> mirrors the shape: the request gets a <see cref="DeferredKernel"/> at
/// once, which computes the compiled kernel's bits until the compile, started in the background, is ready. Where compiling is impossible — no dynamic code (Native AOT), Roslyn or assembly
/// files missing (trimmed or single-file apps), a compile error, a shape too large for stack scratch, or
/// compilation switched off — it falls back to the reference engine, which computes the same results more
/// slowly, and says so once per distinct reason through <see cref="System.Diagnostics.Trace"/>.
/// </summary>
internal static class KernelProvider
{
    /// <summary>
    /// AppContext switch that turns on-demand compilation off: a <c>RuntimeHostConfigurationOption</c> in the
    /// project file, or <c>AppContext.SetSwitch</c> before the first model is created.
    /// </summary>
    public const string DisableCompilationSwitch = "KanCompile.DisableKernelCompilation";

    /// <summary>
    /// AppContext switch that turns the stand-in off: a new shape then waits for its compile, as before the stand-in
    /// existed (the same bits either way; for comparing the two, or to rule the stand-in out when chasing a problem).
    /// </summary>
    public const string DisableStandInSwitch = "KanCompile.DisableStandInKernel";

    private static readonly ConcurrentDictionary<KernelSpec, Lazy<KanKernel>> Kernels = new ConcurrentDictionary<KernelSpec, Lazy<KanKernel>>();
    private static readonly ConcurrentDictionary<KernelSpec, DeferredKernel> StandIns = new ConcurrentDictionary<KernelSpec, DeferredKernel>();
    private static readonly ConcurrentDictionary<string, bool> ReportedReasons = new ConcurrentDictionary<string, bool>();
    private static readonly AsyncLocal<bool> CompilationDisabledHere = new AsyncLocal<bool>();
    private static readonly Func<KernelSpec, Lazy<KanKernel>> NewEntry =
        spec => new Lazy<KanKernel>(() => CompileOrFallBack(spec), LazyThreadSafetyMode.ExecutionAndPublication);

    // Read once, as .NET reads its own switches: flipping it after start-up has no effect.
    private static readonly bool CompilationDisabledByHost =
        AppContext.TryGetSwitch(DisableCompilationSwitch, out bool disabled) && disabled;

    private static readonly bool StandInDisabledByHost =
        AppContext.TryGetSwitch(DisableStandInSwitch, out bool disabled) && disabled;

    // Single-file bundles give assemblies no file location, and Roslyn needs files to compile against.
    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file", Justification = "Checking for the empty location is the point.")]
    private static readonly bool RuntimeHasNoFile = typeof(KanKernel).Assembly.Location.Length == 0;

    private static string? s_fallbackReason;

    /// <summary>Why the most recent request got the reference engine instead of a compiled kernel; null if none did.</summary>
    public static string? FallbackReason => Volatile.Read(ref s_fallbackReason);

    /// <summary>
    /// The kernel for <paramref name="spec"/>: compiled (cached), its stand-in while the compile runs (<see cref="DeferredKernel"/>),
    /// or, with <see cref="KanEngine.Reference"/> or as fallback, the reference engine.
    /// </summary>
    public static KanKernel Resolve(KernelSpec spec, KanEngine engine = KanEngine.Compiled)
    {
        if (engine == KanEngine.Reference)
        {
            return new ReferenceKernel(spec);
        }

        // Built into KanCompile: no compiler involved, so even a host that cannot compile gets it.
        if (PregeneratedKernels.Find(spec) is KanKernel builtIn)
        {
            return builtIn;
        }

        string? unavailable = CompilationUnavailableReason(spec);
        if (unavailable is not null)
        {
            return FallBack(spec, unavailable);
        }

        Lazy<KanKernel> entry = Kernels.GetOrAdd(spec, NewEntry);
        if (StandInDisabledByHost || !RuntimeShapedKernel.Supports(spec) || (entry.IsValueCreated ? entry.Value is not ReferenceKernel : InDiskCache(spec)))
        {
            // Compiled, or no stand-in, or on disk: loading a cached kernel (0.2 s) costs less than the first steps on the stand-in.
            return entry.Value;
        }

        // Not ready: the run-time-shaped mirror works (same bits) while the compile runs in the background. After a
        // failed compile too, so every model of the shape computes the same bits whenever it was created.
        return StandIns.GetOrAdd(spec, NewStandIn, entry);
    }

    /// <summary>
    /// Holds the compile of a shape until its task completes (tests: a compile that finishes late, at a chosen step).
    /// Empty in normal use.
    /// </summary>
    internal static ConcurrentDictionary<KernelSpec, Task> CompileGates { get; } = new ConcurrentDictionary<KernelSpec, Task>();

    private static bool InDiskCache(KernelSpec spec) =>
        KernelCache.Default is { } cache && File.Exists(cache.PathOf(KernelCache.KeyOf(KernelCompiler.WriteSource(spec))));

    private static DeferredKernel NewStandIn(KernelSpec spec, Lazy<KanKernel> entry)
    {
        StartCompile(entry);
        return new DeferredKernel(spec, entry, RuntimeShapedKernel.Create(spec));
    }

    // Lazy's ExecutionAndPublication: a Resolve arriving mid-compile blocks on this compile rather than starting another.
    private static void StartCompile(Lazy<KanKernel> entry) =>
        ThreadPool.UnsafeQueueUserWorkItem(static pending => _ = pending.Value, entry, preferLocal: false);

    /// <summary>
    /// Starts getting the kernel for <paramref name="spec"/> (from the disk cache or Roslyn) on a thread-pool thread,
    /// so that a later <see cref="Resolve"/> — after a scheduled refine, say — finds it ready. Resolve returns the very
    /// same kernel, or, while this compile has not finished, its stand-in (<see cref="DeferredKernel"/>, the same bits) or
    /// a wait for it where the shape has no stand-in, so results never depend on timing. Nothing happens for built-in shapes, kernels already requested, or where
    /// <see cref="Resolve"/> would fall back to the reference engine.
    /// </summary>
    public static void Prefetch(KernelSpec spec)
    {
        if (PregeneratedKernels.Find(spec) is not null || CompilationUnavailableReason(spec) is not null)
        {
            return;
        }

        Lazy<KanKernel> entry = Kernels.GetOrAdd(spec, NewEntry);
        if (!entry.IsValueCreated)
        {
            StartCompile(entry);
        }
    }

    /// <summary>
    /// Makes every request on the current async flow fall back to the reference engine until disposed —
    /// the way tests exercise the fallback path without disturbing tests running in parallel.
    /// </summary>
    public static IDisposable DisableCompilationHere()
    {
        bool previous = CompilationDisabledHere.Value;
        CompilationDisabledHere.Value = true;
        return new Restore(previous);
    }

    private static string? CompilationUnavailableReason(KernelSpec spec)
    {
        if (CompilationDisabledHere.Value)
        {
            return "kernel compilation is disabled for this call";
        }

        if (CompilationDisabledByHost)
        {
            return $"the AppContext switch {DisableCompilationSwitch} is set";
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return "this runtime cannot load generated code (Native AOT or dynamic code disabled)";
        }

        if (RuntimeHasNoFile)
        {
            return "the KanCompile assembly has no file to compile against (single-file app or loaded from memory)";
        }

        long scratch = KernelEmitter.ScratchBytes(spec);
        if (scratch > KernelEmitter.MaxScratchBytes)
        {
            return $"the kernel for {spec} would need {scratch} bytes of stack scratch (limit {KernelEmitter.MaxScratchBytes})";
        }

        return null;
    }

    private static KanKernel CompileOrFallBack(KernelSpec spec)
    {
        if (CompileGates.TryGetValue(spec, out Task? gate))
        {
            gate.Wait();
        }

        try
        {
            return CompileIsolated(spec);
        }
        catch (Exception exception)
        {
            // Missing Roslyn surfaces here as FileNotFoundException/TypeLoadException when CompileIsolated is JIT-compiled.
            return FallBack(spec, $"compiling kernels failed ({exception.GetType().Name}: {exception.Message})");
        }
    }

    // Kept out of line so a missing Roslyn assembly fails inside the caller's try block, not in the caller's JIT.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static KanKernel CompileIsolated(KernelSpec spec)
    {
        int compiled = KernelCompiler.CompiledCount;
        long start = Stopwatch.GetTimestamp();
        KanKernel kernel = KernelCompiler.Compile(spec, KernelCache.Default);

        // Says which shapes still reach Roslyn (candidates for PregeneratedKernels) and what each cost.
        string origin = KernelCompiler.CompiledCount != compiled ? "compiled by Roslyn" : "loaded from the kernel cache";
        Trace.TraceInformation($"KanCompile: kernel {spec} {origin} in {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s.");
        return kernel;
    }

    private static ReferenceKernel FallBack(KernelSpec spec, string reason)
    {
        Volatile.Write(ref s_fallbackReason, reason);
        if (ReportedReasons.TryAdd(reason, true))
        {
            Trace.TraceWarning($"KanCompile: using the reference engine because {reason}. Each step agrees with the compiled kernels to ~1e-12, so a long fit can end a few digits apart, and it runs slower. In a file-based app, set #:property PublishAot=false to compile kernels.");
        }

        return new ReferenceKernel(spec);
    }

    private sealed class Restore : IDisposable
    {
        private readonly bool _previous;

        public Restore(bool previous) => _previous = previous;

        public void Dispose() => CompilationDisabledHere.Value = _previous;
    }
}
