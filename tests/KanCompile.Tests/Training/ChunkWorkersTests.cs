using KanCompile.Training;

namespace KanCompile.Tests.Training;

public class ChunkWorkersTests
{
    /// <summary>Chunk 0 waits until chunk 2 has run: possible only when a free thread claims chunk 2 (a fixed
    /// chunk-to-thread assignment would give chunks 0 and 2 to the same thread and never finish).</summary>
    private sealed class SlowFirstChunk : IChunkJob
    {
        private readonly ManualResetEventSlim _chunkTwoRan = new(false);
        public readonly int[] Runs = new int[6];
        public bool ChunkZeroSawChunkTwo;

        public void RunChunk(int chunk)
        {
            Interlocked.Increment(ref Runs[chunk]);
            if (chunk == 0)
            {
                ChunkZeroSawChunkTwo = _chunkTwoRan.Wait(TimeSpan.FromSeconds(10));
            }
            else if (chunk == 2)
            {
                _chunkTwoRan.Set();
            }
        }
    }

    [Fact]
    public void A_slow_thread_does_not_hold_back_the_chunks_after_it()
    {
        using var workers = new ChunkWorkers(2);
        var job = new SlowFirstChunk();

        workers.Run(job, job.Runs.Length);

        Assert.True(job.ChunkZeroSawChunkTwo, "chunk 2 should run on the free thread while chunk 0 is busy");
        Assert.All(job.Runs, runs => Assert.Equal(1, runs));
    }

    private sealed class RecordingJob : IChunkJob
    {
        public readonly int[] Runs = new int[16];

        public void RunChunk(int chunk) => Interlocked.Increment(ref Runs[chunk]);
    }

    [Fact]
    public void Every_chunk_runs_exactly_once_on_every_dispatch()
    {
        using var workers = new ChunkWorkers(2);
        var job = new RecordingJob();

        for (int dispatch = 0; dispatch < 1000; dispatch++)
        {
            workers.Run(job, job.Runs.Length);
        }

        Assert.All(job.Runs, runs => Assert.Equal(1000, runs));
    }

    private sealed class ThreadRecordingJob : IChunkJob
    {
        public readonly int[] Threads = new int[16];

        public void RunChunk(int chunk) => Threads[chunk] = Environment.CurrentManagedThreadId;
    }

    [Fact]
    public void Every_thread_runs_its_own_first_chunk_so_warm_up_reaches_every_thread()
    {
        using var workers = new ChunkWorkers(2);
        var job = new ThreadRecordingJob();

        workers.Run(job, job.Threads.Length);

        Assert.Equal(Environment.CurrentManagedThreadId, job.Threads[0]);
        Assert.NotEqual(Environment.CurrentManagedThreadId, job.Threads[1]);
    }
}
