using System.Numerics;

namespace KanCompile.Symbolic;

/// <summary>
/// Sums values in the order PyTorch's CPU kernel sums one column of an outer-dimension reduction
/// (<c>torch.sum(t, dim=0)</c> on a [N, ...] tensor, aten <c>multi_row_sum</c>): a cascade of 4 accumulator levels,
/// each level flushed into the next after 2^p additions, p = max(4, ⌈log2 N⌉ / 4). Matching the rounding of
/// pykan's fit_params sums keeps its near-tied argmax on the same cell.
/// </summary>
internal struct TorchColumnSum
{
    private readonly int _levelPower;
    private readonly long _levelMask;
    private double _level0, _level1, _level2, _level3;
    private long _count;

    public TorchColumnSum(int size)
    {
        int ceilLog2 = size <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(size - 1));
        _levelPower = Math.Max(4, ceilLog2 / 4);
        _levelMask = (1L << _levelPower) - 1;
        _level0 = _level1 = _level2 = _level3 = 0;
        _count = 0;
    }

    public readonly double Result => ((_level0 + _level1) + _level2) + _level3;

    public static double Sum(ReadOnlySpan<double> values)
    {
        var sum = new TorchColumnSum(values.Length);
        foreach (double value in values)
        {
            sum.Add(value);
        }

        return sum.Result;
    }

    public void Add(double value)
    {
        _level0 += value;
        _count++;
        if ((_count & _levelMask) != 0)
        {
            return;
        }

        // A full block: flush upwards, stopping at the first level whose block is not yet full either.
        _level1 += _level0;
        _level0 = 0;
        if ((_count & (_levelMask << _levelPower)) != 0)
        {
            return;
        }

        _level2 += _level1;
        _level1 = 0;
        if ((_count & (_levelMask << (2 * _levelPower))) != 0)
        {
            return;
        }

        _level3 += _level2;
        _level2 = 0;
    }
}
