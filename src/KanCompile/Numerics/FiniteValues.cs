using System.Numerics;

namespace KanCompile.Numerics;

/// <summary>
/// Whether a span holds only finite values, vectorised: a fit checks its gradient and parameters every step, and
/// <c>IndexOfAnyExceptInRange</c> on doubles took about five times as long (25 µs against 5 µs on the 34,400
/// parameters of [10,32,32,1]). Use <c>IndexOfAnyExceptInRange</c> where the position of the bad value is wanted.
/// </summary>
internal static class FiniteValues
{
    /// <summary>True when no value is NaN or ±∞.</summary>
    public static bool All(ReadOnlySpan<double> values)
    {
        // x·0 is ±0 for a finite x and NaN for ±∞ or NaN, and a NaN survives every later addition.
        var sum = Vector<double>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            sum += new Vector<double>(values.Slice(i)) * Vector<double>.Zero;
        }

        double rest = 0.0;
        for (; i < values.Length; i++)
        {
            rest += values[i] * 0.0;
        }

        return Vector.EqualsAll(sum, sum) && rest == 0.0;
    }
}
