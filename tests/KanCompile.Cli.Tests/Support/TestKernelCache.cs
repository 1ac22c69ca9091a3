using System.Runtime.CompilerServices;

namespace KanCompile.Cli.Tests.Support;

/// <summary>
/// Keeps in-process CLI runs off the user's on-disk kernel cache (tests that start CLI processes give them a
/// temporary one through <see cref="Variable"/>), so no result depends on what an earlier run left there.
/// </summary>
internal static class TestKernelCache
{
    /// <summary>The environment variable KanCompile reads the cache directory from (<c>off</c> disables it).</summary>
    public const string Variable = "KANCOMPILE_KERNEL_CACHE";

    [ModuleInitializer]
    internal static void Disable() => AppContext.SetSwitch("KanCompile.DisableKernelCache", true);
}
