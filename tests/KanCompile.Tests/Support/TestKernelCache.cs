using System.Runtime.CompilerServices;
using KanCompile.Compilation;

namespace KanCompile.Tests.Support;

/// <summary>
/// Points the process's on-disk kernel cache at a fresh directory before any test runs, so the suite never reads
/// or fills the user's cache and no result depends on what an earlier run left there.
/// </summary>
internal static class TestKernelCache
{
    public static readonly string Directory = Path.Combine(Path.GetTempPath(), "kancompile-tests-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));

    [ModuleInitializer]
    internal static void UseTemporaryDirectory()
    {
        AppContext.SetData(KernelCache.DirectorySetting, Directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
    }
}
