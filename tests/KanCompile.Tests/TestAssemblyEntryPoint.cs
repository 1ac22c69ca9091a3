using KanCompile.Tests.Compilation;

namespace KanCompile.Tests;

/// <summary>
/// The test assembly's entry point, in place of the test SDK's generated one (which does nothing). Given a child command,
/// the assembly runs as a child process of its own tests, started with runtime switches a test process cannot change
/// once running (<see cref="StandInWithoutVectorsChild"/>); without one it does nothing, as before.
/// </summary>
internal static class TestAssemblyEntryPoint
{
    public static int Main(string[] args) =>
        args.Length > 0 && args[0] == StandInWithoutVectorsChild.Command ? StandInWithoutVectorsChild.Run(args[1..]) : 0;
}
