using System.Runtime.ExceptionServices;

namespace KanCompile.Training;

/// <summary>Work split into numbered chunks; <see cref="RunChunk"/> may run on any thread.</summary>
internal interface IChunkJob
{
    void RunChunk(int chunk);
}

/// <summary>
/// Dedicated worker threads that run the chunks of a job: thread t (the caller is thread 0) first runs chunk t,
/// then claims the next unclaimed chunk until none is left, so a thread slowed by the machine (a busy host, a
/// preempted vCPU) simply runs fewer chunks. The first, fixed chunk means every thread runs every kind of job in
/// warm-up (kernels allocate their thread-local scratch on a thread's first call, never after). Results do not
/// depend on which thread ran a chunk: every chunk writes its own buffers and the caller reduces them in order.
/// A dispatch costs two signals per worker and allocates nothing (unlike Parallel.For, which allocates tasks and
/// closures on every call). One instance lives for one fit.
/// </summary>
internal sealed class ChunkWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly SemaphoreSlim _finished;
    private int _pending;
    private int _nextChunk; // the next chunk to claim (Interlocked)
    private IChunkJob? _job;
    private int _chunkCount;
    private volatile bool _disposed;
    private ExceptionDispatchInfo? _failure;

    // Bytes each worker thread has allocated in its life, one cache line apart (read by allocation tests).
    private readonly long[] _workerAllocations;
    private const int CachePad = 8;

    public ChunkWorkers(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadCount);
        ThreadCount = threadCount;
        _threads = new Thread[threadCount - 1];
        _start = new SemaphoreSlim[threadCount - 1];
        // Not a CountdownEvent: its ManualResetEventSlim creates its lock object lazily, on the first wait that
        // blocks, which shows up as a stray allocation in the middle of a fit. SemaphoreSlim builds its lock up front.
        _finished = new SemaphoreSlim(0);
        _workerAllocations = new long[threadCount * CachePad];
        for (int w = 0; w < _threads.Length; w++)
        {
            int worker = w + 1;
            _start[w] = new SemaphoreSlim(0);
            _threads[w] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"KanCompile fit worker {worker}" };
            _threads[w].Start();
        }
    }

    /// <summary>Threads that run chunks, the caller's included.</summary>
    public int ThreadCount { get; }

    /// <summary>Runs chunks 0..<paramref name="chunkCount"/>-1 of <paramref name="job"/> and returns when all are done.</summary>
    public void Run(IChunkJob job, int chunkCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int helpers = Math.Min(_threads.Length, chunkCount - 1);
        if (helpers <= 0)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                job.RunChunk(c);
            }

            return;
        }

        _job = job;
        _chunkCount = chunkCount;
        _failure = null;
        Volatile.Write(ref _nextChunk, helpers + 1);
        Volatile.Write(ref _pending, helpers);
        for (int w = 0; w < helpers; w++)
        {
            _start[w].Release();
        }

        try
        {
            RunShare(0, job, chunkCount);
        }
        finally
        {
            _finished.Wait();
            _job = null;
        }

        _failure?.Throw();
    }

    /// <summary>Bytes allocated so far by the worker threads (not the caller's), as of their last chunk.</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int w = 1; w < ThreadCount; w++)
            {
                sum += Volatile.Read(ref _workerAllocations[w * CachePad]);
            }

            return sum;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var start in _start)
        {
            start.Release();
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var start in _start)
        {
            start.Dispose();
        }

        _finished.Dispose();
    }

    private void WorkerLoop(int worker)
    {
        var start = _start[worker - 1];
        while (true)
        {
            start.Wait();
            if (_disposed)
            {
                return;
            }

            try
            {
                RunShare(worker, _job!, _chunkCount);
            }
            catch (Exception ex)
            {
                // Surface the first failure on the caller's thread.
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(ex), null);
            }
            finally
            {
                Volatile.Write(ref _workerAllocations[worker * CachePad], GC.GetAllocatedBytesForCurrentThread());
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    _finished.Release();
                }
            }
        }
    }

    private void RunShare(int thread, IChunkJob job, int chunkCount)
    {
        job.RunChunk(thread);
        int c;
        while ((c = Interlocked.Increment(ref _nextChunk) - 1) < chunkCount)
        {
            job.RunChunk(c);
        }
    }
}
