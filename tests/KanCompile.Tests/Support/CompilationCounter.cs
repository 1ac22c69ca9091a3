using KanCompile.Compilation;
using KanCompile.Generators.Model;

namespace KanCompile.Tests.Support;

/// <summary>Counts Roslyn compilations of one shape while alive (the suite's kernel cache starts empty).</summary>
internal sealed class CompilationCounter : IDisposable
{
    private readonly KernelSpec _spec;
    private int _count;

    public CompilationCounter(KernelSpec spec)
    {
        _spec = spec;
        KernelCompiler.Compiled += OnCompiled;
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => KernelCompiler.Compiled -= OnCompiled;

    private void OnCompiled(KernelSpec spec)
    {
        if (spec.Equals(_spec))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
