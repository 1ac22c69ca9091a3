using System.Globalization;
using System.Runtime.CompilerServices;

namespace KanCompile;

/// <summary>
/// The one check of a row-major batch (<c>width</c> values per sample) used wherever the API takes samples, so a
/// bad batch is reported in the same words everywhere: its length, too few samples, or the first non-finite value.
/// The checks allocate nothing unless they throw.
/// </summary>
internal static class SampleBatch
{
    /// <summary>Checks that <paramref name="values"/> holds whole samples, at least <paramref name="minSamples"/>, and returns the sample count.</summary>
    /// <param name="values">The row-major batch.</param>
    /// <param name="width">Values per sample.</param>
    /// <param name="paramName">The argument reported in the exception.</param>
    /// <param name="minSamples">0 accepts an empty batch.</param>
    /// <param name="what">What the batch is, as the message names it ("inputs", "reference samples").</param>
    /// <param name="purpose">Why more than one sample is needed, for the message ("placing grid knots").</param>
    public static int Count(ReadOnlySpan<double> values, int width, string paramName, int minSamples = 1, string what = "inputs", string? purpose = null)
    {
        if (values.Length % width != 0)
        {
            ThrowLength(values.Length, width, paramName, what);
        }

        int count = values.Length / width;
        if (count < minSamples)
        {
            ThrowTooFew(count, width, paramName, minSamples, what, purpose);
        }

        return count;
    }

    /// <summary>As <see cref="Count"/>, and every value must be finite.</summary>
    public static int CountFinite(ReadOnlySpan<double> values, int width, string paramName, int minSamples = 1, string what = "inputs", string? purpose = null)
    {
        int count = Count(values, width, paramName, minSamples, what, purpose);
        int bad = values.IndexOfAnyExceptInRange(double.MinValue, double.MaxValue);
        if (bad >= 0)
        {
            ThrowNonFinite(values[bad], bad, width, paramName, what);
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int length, int width, string paramName, string what) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"The {what} hold {length} values, not a multiple of {width} (row-major, {width} values per sample)."),
            paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooFew(int count, int width, string paramName, int minSamples, string what, string? purpose)
    {
        string message = count == 0
            ? $"The {what} are empty; pass at least {minSamples} sample{(minSamples == 1 ? "" : "s")} of {width} values (row-major)."
            : $"The {what} hold {count} sample{(count == 1 ? "" : "s")}; {purpose ?? "this"} needs at least {minSamples}.";
        throw new ArgumentException(message, paramName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNonFinite(double value, int index, int width, string paramName, string what) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Sample {index / width}, column {index % width} of the {what} is {value}; every value must be finite. Remove or impute that sample."),
            paramName);
}
