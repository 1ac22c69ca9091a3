using System.Runtime.CompilerServices;

namespace KanCompile.ML.Tests;

/// <summary>Keeps the tests off the user's on-disk kernel cache: nothing they check may depend on an earlier run.</summary>
internal static class TestKernelCache
{
    [ModuleInitializer]
    internal static void Disable() => AppContext.SetSwitch("KanCompile.DisableKernelCache", true);
}
