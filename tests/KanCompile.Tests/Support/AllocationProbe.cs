namespace KanCompile.Tests.Support;

/// <summary>
/// Bytes a call allocates on the calling thread once warm. The tiered JIT promotes hot methods in the background
/// about 100 ms after tier-0 activity and the swap can allocate a few bytes on the caller once, so a single
/// measured round right after a short warm-up is flaky. A per-call allocation shows up in every round: the
/// fewest bytes over several rounds is 0 only for code that allocates nothing in steady state.
/// </summary>
internal static class AllocationProbe
{
    /// <summary>Warms <paramref name="call"/> up, then returns the fewest bytes any round of calls allocated.</summary>
    public static long SteadyStateBytes(Action call, int callsPerRound = 500, int rounds = 4, int warmUpCalls = 50)
    {
        for (int i = 0; i < warmUpCalls; i++)
        {
            call();
        }

        long fewest = long.MaxValue;
        for (int round = 0; round < rounds && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            if (fewest > 0)
            {
                Thread.Sleep(150); // let a pending tier-up finish before the next round
            }
        }

        return fewest;
    }
}
