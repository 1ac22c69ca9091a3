using System.Linq;
using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// The batch gradient's base function: b(x) and b'(x) of a layer's nodes, four at a time, and for SiLU the inline
/// vector exp it needs (see <see cref="WriteNegativeExp"/> for why it is not Vector256.Exp).
/// </summary>
internal static class BaseValuesEmitter
{
    /// <summary>b(x) (and b'(x)) of <c>count</c> consecutive nodes; the vector path may write up to 3 slots past the end (scratch is padded).</summary>
    public static void Write(SourceWriter w, KernelBaseFunction baseFunction)
    {
        w.Line("/// <summary>b(x) and b'(x) of <paramref name=\"count\"/> consecutive nodes (SiLU four at a time).</summary>");
        w.Line(Inline);
        using (w.Block("private static void BaseValuesWithDerivative(ref double x, ref double values, ref double slopes, int count)"))
        {
            if (baseFunction == KernelBaseFunction.SiLU)
            {
                // Vectors even where they are not accelerated (then emulated lane by lane): this exp is not Math.Exp,
                // and a scalar fallback with Math.Exp would give other bits on such hosts.
                w.Line(VectorOfDouble + " one = " + VectorOfDouble + ".One;");
                using (w.Block("for (int i = 0; i < count; i += 4)"))
                {
                    w.Line(VectorOfDouble + " v = " + Vector + ".LoadUnsafe(ref x, (nuint)i);");
                    w.Line(VectorOfDouble + " sigmoid = one / (one + NegativeExp(v));");
                    w.Line(Vector + ".StoreUnsafe(v * sigmoid, ref values, (nuint)i);");
                    w.Line(Vector + ".StoreUnsafe(sigmoid * (one + v * (one - sigmoid)), ref slopes, (nuint)i);");
                }
            }
            else
            {
                using (w.Block("for (int i = 0; i < count; i++)"))
                {
                    w.Line(Unsafe + ".Add(ref values, i) = Base(" + Unsafe + ".Add(ref x, i), out " + Unsafe + ".Add(ref slopes, i));");
                }
            }
        }

        w.Line();
        if (baseFunction == KernelBaseFunction.SiLU)
        {
            WriteNegativeExp(w);
        }
    }

    /// <summary>
    /// exp(-v) four lanes at a time, inline: the library's Vector256.Exp is a call, and around a call every live
    /// vector register is spilled (all are caller-saved). Cody-Waite reduction to |r| ≤ ln2/2, a degree-12 Taylor
    /// polynomial (truncation below 2e-16 relative), and 2^n added to the exponent bits. Lanes the bit trick cannot
    /// take (|v| > 708, infinities, NaN) get Math.Exp, the scalar kernels' exp, out of line; the other lanes of that
    /// vector keep the polynomial, so a lane's value never depends on its neighbours. Not Vector256.Exp: its bits
    /// change when the JIT re-compiles it (ready-to-run code against tier 1 differed in 4 % of a sweep), which would
    /// make a fit's bits depend on timing.
    /// </summary>
    private static void WriteNegativeExp(SourceWriter w)
    {
        w.Line("/// <summary>exp(-v) to within a few ulp of Math.Exp, without a call (see the generator's WriteNegativeExp).</summary>");
        w.Line(Inline);
        using (w.Block("private static " + VectorOfDouble + " NegativeExp(" + VectorOfDouble + " v)"))
        {
            w.Line(VectorOfDouble + " a = -v;");
            w.Line(VectorOfDouble + " inRange = " + Vector + ".LessThanOrEqual(" + Vector + ".Abs(a), " + Vector + ".Create(708.0));");
            w.Line("return " + Vector + ".ExtractMostSignificantBits(inRange) == 0b1111 ? ExpPolynomial(a) : ExpBeyondRange(a, inRange);");
        }

        w.Line();
        w.Line("/// <summary>exp(a) of lanes with |a| ≤ 708, where 2^n fits the exponent field.</summary>");
        w.Line(Inline);
        using (w.Block("private static " + VectorOfDouble + " ExpPolynomial(" + VectorOfDouble + " a)"))
        {
            w.Line("// a = n ln2 + r with n an integer; ln2 in two parts so that r carries no rounding error of n ln2.");
            w.Line(VectorOfDouble + " n = " + Vector + ".Round(a * " + Vector + ".Create(1.4426950408889634));");
            w.Line(VectorOfDouble + " r = " + Vector + ".FusedMultiplyAdd(n, " + Vector + ".Create(-6.93147180369123816490e-01), a);");
            w.Line("r = " + Vector + ".FusedMultiplyAdd(n, " + Vector + ".Create(-1.90821492927058770002e-10), r);");
            w.Line(VectorOfDouble + " p = " + Vector + ".Create(1.0 / 479001600.0);");
            long factorial = 39916800;
            for (int power = 11; power >= 0; power--)
            {
                w.Line("p = " + Vector + ".FusedMultiplyAdd(p, r, " + Vector + ".Create(1.0 / " + factorial + ".0));");
                factorial /= System.Math.Max(power, 1);
            }

            w.Line("// 2^n: n + 1.5*2^52 holds n in its low mantissa bits; shifted into the exponent field and added.");
            w.Line("global::System.Runtime.Intrinsics.Vector256<long> shift = " + Vector + ".ShiftLeft(" + Vector + ".AsInt64(n + " + Vector + ".Create(6755399441055744.0)), 52);");
            w.Line("return " + Vector + ".AsDouble(" + Vector + ".AsInt64(p) + shift);");
        }

        w.Line();
        w.Line("/// <summary>Lanes beyond ±708 (and infinities, NaN) get Math.Exp; the others the polynomial, as if all four were in range.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (w.Block("private static " + VectorOfDouble + " ExpBeyondRange(" + VectorOfDouble + " a, " + VectorOfDouble + " inRange)"))
        {
            w.Line(VectorOfDouble + " scalar = " + Vector + ".Create(" + string.Join(", ", Enumerable.Range(0, 4).Select(lane => "global::System.Math.Exp(" + Vector + ".GetElement(a, " + lane + "))")) + ");");
            w.Line("return " + Vector + ".ConditionalSelect(inRange, ExpPolynomial(" + Vector + ".ConditionalSelect(inRange, a, " + VectorOfDouble + ".Zero)), scalar);");
        }

        w.Line();
    }
}
