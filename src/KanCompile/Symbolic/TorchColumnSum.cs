using System.Numerics;
using System.Runtime.Intrinsics;

namespace KanCompile.Symbolic;

/// <summary>
/// Sums values in the order PyTorch's CPU kernel sums one column of an outer-dimension reduction
/// (<c>torch.sum(t, dim=0)</c> on a [N, ...] tensor, aten <c>multi_row_sum</c>): a cascade of 4 accumulator levels,
/// each level flushed into the next after 2^p additions, p = max(4, ⌈log2 N⌉ / 4). Matching the rounding of
/// pykan's fit_params sums keeps its near-tied argmax on the same cell.
/// </summary>
/// <remarks>
/// The caller sums each block of <see cref="BlockLength"/> consecutive values itself, in order from zero (level 0,
/// kept in a register), and hands the block sum to <see cref="AddBlock"/> (levels 1-3). Each lane is one column:
/// the flush schedule depends on the count only, so four columns (grid cells) advance together with the rounding
/// of four scalar sums.
/// </remarks>
internal struct TorchColumnSum
{
    private readonly int _levelPower;
    private Vector256<double> _level0, _level1, _level2, _level3;
    private long _blocks;

    public TorchColumnSum(int size)
    {
        int ceilLog2 = size <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(size - 1));
        _levelPower = Math.Max(4, ceilLog2 / 4);
        _level0 = _level1 = _level2 = _level3 = Vector256<double>.Zero;
        _blocks = 0;
    }

    /// <summary>Values per level-0 block: 2^p.</summary>
    public readonly int BlockLength => 1 << _levelPower;

    public readonly Vector256<double> Result => ((_level0 + _level1) + _level2) + _level3;

    /// <summary>Adds one block's sum; a block shorter than <see cref="BlockLength"/> must be the last one.</summary>
    public void AddBlock(Vector256<double> blockSum, int length)
    {
        if (length < BlockLength)
        {
            // The level-0 remainder, added to the levels above only in Result.
            _level0 = blockSum;
            return;
        }

        // A full block: flush upwards, stopping at the first level whose block is not yet full either.
        _level1 += blockSum;
        _blocks++;
        long mask = (1L << _levelPower) - 1;
        if ((_blocks & mask) != 0)
        {
            return;
        }

        _level2 += _level1;
        _level1 = Vector256<double>.Zero;
        if ((_blocks & (mask << _levelPower)) != 0)
        {
            return;
        }

        _level3 += _level2;
        _level2 = Vector256<double>.Zero;
    }
}
