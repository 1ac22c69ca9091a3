using KanCompile.Compilation;
using KanCompile.Symbolic;
using KanCompile.Symbolic.Expressions;
using KanCompile.Tests.SymbolicModel;
using static KanCompile.Symbolic.BuiltInSymbolicFunctions;

namespace KanCompile.Tests.Symbolic;

/// <summary>
/// Every representation of the 29 built-in symbolic functions agrees with the one catalog
/// (<see cref="BuiltInSymbolicFunctions"/>): ids and names, the kernels' dispatcher switch (f, f', safe f and f'),
/// the fit's vectorised forms and the simplifier's parities. f'' and f''' are checked by
/// <see cref="SymbolicHigherDerivativeTests"/>, the C# templates by
/// <c>FormulaExportTests.EveryLibraryCSharpTemplateCompilesAndMatchesTheFunction</c>.
/// </summary>
public class BuiltInSymbolicCatalogTests
{
    private static readonly double[] Points =
        [-7.3, -2.0, -1.0, -0.999, -0.6, -0.31, -1e-3, -1e-7, 0.0, 1e-7, 1e-3, 0.2, 0.5, 0.9999, 1.0, 1.3, 1.5707, 2.7, 9.1, 40.0];

    [Fact]
    public void Ids_are_positions_in_the_default_library_and_names_are_unique()
    {
        Assert.Equal(Ids.Count, All.Count);
        Assert.Equal(SymbolicDispatch.BuiltInCount, All.Count);
        Assert.Equal(All.Count, All.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        for (int id = 0; id < Ids.Count; id++)
        {
            Assert.Same(All[id], SymbolicLibrary.Default[id]);
            Assert.Equal(id, SymbolicDispatch.IdOf(All[id]));
        }

        Assert.Equal("0", All[SymbolicDispatch.Zero].Name);
        Assert.Equal(SymbolicDispatch.Zero, SymbolicDispatch.IdOf(null));
        Assert.Equal(SymbolicDispatch.Custom, SymbolicDispatch.IdOf(MixedConfiguration.UserFunction));
    }

    [Fact]
    public void Dispatcher_computes_the_catalog_functions_and_their_safe_variants()
    {
        for (int id = 0; id < Ids.Count; id++)
        {
            SymbolicFunction function = All[id];
            // The rows take f, f' and the safe variant from the dispatcher's switch, bit for bit (x .. x^5 have no safe
            // variant of their own: theirs is f itself); the power rows' f is also the fit's Power(x, n) (its vectorised
            // forms), bit for bit.
            bool safeFromSwitch = id >= Ids.Reciprocal;
            double? exponent = function.Apply(SymbolicExpression.Variable(0)) switch
            {
                PowerExpression power => power.Exponent,
                VariableExpression => 1.0,
                _ => null,
            };
            Assert.Equal(id <= Ids.ReciprocalHalfPower, exponent is not null);
            foreach (double x in Points)
            {
                double value = SymbolicDispatch.ValueAndDerivative(id, x, out double slope);
                AssertAgree(function.Evaluate(x), SymbolicDispatch.Value(id, x), true, $"{function.Name}({x})");
                AssertAgree(function.Evaluate(x), value, true, $"{function.Name}({x})");
                AssertAgree(function.Derivative(x), slope, true, $"{function.Name}'({x})");
                if (exponent is double n)
                {
                    AssertAgree(function.Evaluate(x), Power(x, n), true, $"Power({x}, {n})");
                }
                foreach (double threshold in new[] { 10.0, 1000.0 })
                {
                    double safe = SymbolicDispatch.SafeValueAndDerivative(id, x, threshold, out double safeSlope);
                    AssertAgree(function.EvaluateSafe(x, threshold), safe, safeFromSwitch, $"safe {function.Name}({x}, {threshold})");
                    AssertAgree(function.EvaluateSafe(x, threshold), SymbolicDispatch.SafeValue(id, x, threshold), safeFromSwitch, $"safe {function.Name}({x}, {threshold})");
                    AssertAgree(function.DerivativeSafe(x, threshold), safeSlope, safeFromSwitch, $"safe {function.Name}'({x}, {threshold})");
                }
            }
        }
    }

    [Fact]
    public void Vectorised_forms_give_the_scalar_values_bit_for_bit()
    {
        int vectorised = 0;
        for (int id = 0; id < Ids.Count; id++)
        {
            SymbolicFunction function = All[id];
            if (GetSpanFunction(function) is not { } span)
            {
                continue;
            }

            vectorised++;
            var values = Points.ToArray();
            span(values, values); // in place, as the fit calls it
            for (int k = 0; k < Points.Length; k++)
            {
                double expected = function.Evaluate(Points[k]);
                Assert.True(expected.Equals(values[k]) || (double.IsNaN(expected) && double.IsNaN(values[k])),
                    $"{function.Name}({Points[k]}): span {values[k]}, scalar {expected}");
            }
        }

        Assert.Equal(24, vectorised);
    }

    [Fact]
    public void Parities_hold_for_every_function_the_catalog_calls_odd_or_even()
    {
        int withParity = 0;
        for (int id = 0; id < Ids.Count; id++)
        {
            SymbolicFunction function = All[id];
            SymbolicParity parity = ParityOf(function);
            if (parity == SymbolicParity.None)
            {
                continue;
            }

            withParity++;
            foreach (double x in Points.Where(p => p > 0.0 && double.IsFinite(function.Evaluate(p))))
            {
                double mirrored = parity == SymbolicParity.Odd ? -function.Evaluate(-x) : function.Evaluate(-x);
                AssertAgree(function.Evaluate(x), mirrored, false, $"{parity} {function.Name}(−{x})");
            }
        }

        Assert.Equal(20, withParity);

        // Rows are recognised by identity: a user function that reuses a built-in name has no parity.
        var userSin = new SymbolicFunction("sin", Math.Sin, Math.Cos, 2, "sin({x})", "Math.Sin({x})", @"\sin\left({x}\right)");
        Assert.Equal(SymbolicParity.None, ParityOf(userSin));
        Assert.Equal(-1, IdOf(userSin));
    }

    /// <summary>
    /// Bit for bit when <paramref name="identical"/>, else equal to 1e-13 relative (a few ulps: products against
    /// Math.Pow); NaN and infinities alike in both cases.
    /// </summary>
    private static void AssertAgree(double expected, double actual, bool identical, string what)
    {
        if (identical || double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");
    }
}
