using System.ComponentModel;
using System.Runtime.InteropServices;

namespace KanCompile.Compilation;

/// <summary>
/// A buffer of doubles whose first element sits on a 64-byte boundary (a cache line), for the tables the batch kernels
/// read and write with 32-byte vectors: the folded parameters F, dL/dF and the per-sample scratch.
/// <para>Why: a plain array is only 8-byte aligned, so depending on where the GC put it, up to half of those vectors
/// straddle two cache lines and cost two accesses. On [4,16,16,1] the gradient pass took about 2.0 ms with F and dL/dF
/// 32-byte aligned and 2.5–3.3 ms at the other offsets (same process, offsets tried in turn), and which one a process got
/// was luck. The array lives on the pinned object heap, so the aligned offset stays valid for its whole life.</para>
/// <para>Public for generated kernels; not meant for application code.</para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AlignedBuffer
{
    /// <summary>Bytes the first element is aligned to.</summary>
    public const int Alignment = 64;

    private const int PadElements = Alignment / sizeof(double);

    private readonly double[] _array;
    private readonly int _start;

    /// <summary>Allocates <paramref name="length"/> zeroed doubles, the first on a 64-byte boundary.</summary>
    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateArray<double>(length + PadElements, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
        _start = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1)) / sizeof(double);
        Length = length;
    }

    /// <summary>Number of usable doubles.</summary>
    public int Length { get; }

    /// <summary>All <see cref="Length"/> doubles.</summary>
    public Span<double> Span => new(_array, _start, Length);

    /// <summary>The doubles <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/>-1.</summary>
    public Span<double> Slice(int start, int length) => Span.Slice(start, length);
}
