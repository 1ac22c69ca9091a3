using KanCompile.Compilation;
using KanCompile.Symbolic;

namespace KanCompile.Tests.Symbolic;

/// <summary>
/// f'' and f''' of every built-in library function (plain and singularity-safe) against central differences of the
/// library's own f' (<see cref="SymbolicFunction.Derivative"/>, <see cref="SymbolicFunction.DerivativeSafe"/>) and of f''.
/// </summary>
public class SymbolicHigherDerivativeTests
{
    public static IEnumerable<object[]> Ids() => Enumerable.Range(0, SymbolicDispatch.BuiltInCount).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void Match_central_differences(int id)
    {
        SymbolicFunction function = BuiltInSymbolicFunctions.All[id];
        const double h = 1e-6;
        foreach (double threshold in new[] { 0.0, 10.0 })
        {
            // Points inside every function's domain (0.15..0.9 suits log, sqrt, asin, atanh and 1/x alike), negative
            // points where the function is defined there, and for the safe variants also points inside their cut-offs.
            var points = new List<double> { 0.15, 0.37, 0.62, 0.9 };
            if (double.IsFinite(function.Evaluate(-0.5)))
            {
                points.AddRange([-0.41, -0.77]);
            }

            if (threshold > 0.0)
            {
                points.AddRange([-0.3, 0.004, -0.002, 3.7]);
            }

            foreach (double x in points)
            {
                Func<double, double> first = threshold > 0.0 ? u => function.DerivativeSafe(u, threshold) : function.Derivative;
                double slopeUp = first(x + h), slopeDown = first(x - h);
                if (!double.IsFinite(slopeUp) || !double.IsFinite(slopeDown) || double.IsNaN(first(x)))
                {
                    continue;
                }

                SymbolicDispatch.HigherDerivatives(id, x, threshold, out double second, out double third);
                SymbolicDispatch.HigherDerivatives(id, x + h, threshold, out double secondUp, out _);
                SymbolicDispatch.HigherDerivatives(id, x - h, threshold, out double secondDown, out _);
                AssertClose(second, (slopeUp - slopeDown) / (2 * h), $"{function.Name} (y_th {threshold}) f''({x})");
                AssertClose(third, (secondUp - secondDown) / (2 * h), $"{function.Name} (y_th {threshold}) f'''({x})");
            }
        }
    }

    private static void AssertClose(double analytic, double difference, string what) =>
        Assert.True(Math.Abs(analytic - difference) <= 1e-5 * Math.Max(1.0, Math.Abs(difference)), $"{what} = {analytic}, central difference {difference}");
}
