using KanCompile.Numerics;

namespace KanCompile.Tests.Training;

public class FiniteValuesTests
{
    [Fact]
    public void A_non_finite_value_anywhere_is_found_in_the_vector_body_and_the_tail()
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int length = 1; length <= 21; length++)
            {
                for (int at = 0; at < length; at++)
                {
                    var values = Enumerable.Range(0, length).Select(i => i - 7.5).ToArray();
                    values[at] = bad;
                    Assert.False(FiniteValues.All(values), $"{bad} at {at} of {length}");
                }
            }
        }
    }

    [Fact]
    public void Extreme_finite_values_pass()
    {
        double[] values = [double.MaxValue, -double.MaxValue, double.Epsilon, -0.0, 0.0, 1e-310, double.MinValue, 1.0, 2.0];
        Assert.True(FiniteValues.All(values));
        Assert.True(FiniteValues.All([]));
    }
}
