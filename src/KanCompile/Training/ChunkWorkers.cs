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
/// closures on every call). A fit rents a set (<see cref="Rent"/>) and parks it again when done, so consecutive fits
/// reuse warm threads: starting threads, and the kernels' per-thread scratch and tables that each new thread builds on
/// its first call, cost about as much as several steps of a small model.
/// </summary>
internal sealed class ChunkWorkers : IDisposable
{
    /// <summary>Sets parked for the next fit, the most recently parked last (its threads' caches are the warmest).</summary>
    private static readonly List<ChunkWorkers> s_parked = new();

    /// <summary>Parked sets kept at most: enough for a fit in flight beside another; more would only hold idle threads.</summary>
    private const int MaxParked = 2;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly SemaphoreSlim _finished;
    private int _pending;
    private int _nextChunk; // the next chunk to claim (Interlocked)
    private IChunkJob? _job;
    private int _chunkCount;
    private volatile bool _disposed;
    private readonly bool _pooled;
    private ExceptionDispatchInfo? _failure;

    // Bytes each worker thread has allocated in its life, one cache line apart (read by allocation tests).
    private readonly long[] _workerAllocations;
    private const int CachePad = 8;

    public ChunkWorkers(int threadCount)
        : this(threadCount, pooled: false)
    {
    }

    private ChunkWorkers(int threadCount, bool pooled)
    {
        _pooled = pooled;
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
            // Background threads: a parked set never keeps the process alive; a parked thread blocks on its semaphore.
            _threads[w] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"KanCompile fit worker {worker}" };
            _threads[w].Start();
        }
    }

    /// <summary>
    /// A set of <paramref name="threadCount"/> threads for one caller: a parked one when there is one (the most recently
    /// parked), else a new one. <see cref="Dispose"/> parks it again; the caller must not touch it after that. Fits
    /// running at the same time each get their own set. One thread is the caller alone: nothing to park.
    /// </summary>
    public static ChunkWorkers Rent(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadCount);
        if (threadCount == 1)
        {
            return new ChunkWorkers(1);
        }

        lock (s_parked)
        {
            for (int i = s_parked.Count - 1; i >= 0; i--)
            {
                if (s_parked[i].ThreadCount == threadCount)
                {
                    ChunkWorkers parked = s_parked[i];
                    s_parked.RemoveAt(i);
                    return parked;
                }
            }
        }

        return new ChunkWorkers(threadCount, pooled: true);
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

    /// <summary>A rented set is parked for the next <see cref="Rent"/> (the oldest parked set stops when too many are); any other stops its threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_pooled)
        {
            ChunkWorkers? evicted = null;
            lock (s_parked)
            {
                if (s_parked.Contains(this))
                {
                    return;
                }

                if (s_parked.Count == MaxParked)
                {
                    evicted = s_parked[0];
                    s_parked.RemoveAt(0);
                }

                s_parked.Add(this);
            }

            evicted?.Stop();
            return;
        }

        Stop();
    }

    private void Stop()
    {
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
