using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The residual function b(x) of the spec, as each emitter writes it: SiLU, identity (b = x, b' = 1) or zero (b = b' = 0).
/// The emitted kernel has the function's constants in place of these values, and the JIT folds only what IEEE arithmetic
/// allows (x·1 = x, never x·0 = 0, since 0·∞ is NaN and 0·(−1) is −0), so multiplying by the values read here gives its bits.
/// The branch on <see cref="_baseFunction"/> is a readonly field: one predictable compare per call.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>KernelEmitter.WriteHelpers' Base(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double Base(double x) => _baseFunction switch
    {
        KernelBaseFunction.SiLU => x / (1.0 + Math.Exp(-x)),
        KernelBaseFunction.Identity => x,
        _ => 0.0,
    };

    /// <summary>KernelEmitter.WriteHelpers' Base(x, out derivative): SiLU b(x) = x·σ(x), b'(x) = σ(x)·(1 + x·(1 − σ(x))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double Base(double x, out double derivative)
    {
        switch (_baseFunction)
        {
            case KernelBaseFunction.SiLU:
                double sigmoid = 1.0 / (1.0 + Math.Exp(-x));
                derivative = sigmoid * (1.0 + x * (1.0 - sigmoid));
                return x * sigmoid;
            case KernelBaseFunction.Identity:
                derivative = 1.0;
                return x;
            default:
                derivative = 0.0;
                return 0.0;
        }
    }

    /// <summary>BaseValuesEmitter: b(x) and b'(x) of <paramref name="count"/> consecutive nodes; SiLU four at a time with the inline exp, the others one at a time through Base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void BaseValuesWithDerivative(ref double x, ref double values, ref double slopes, int count)
    {
        if (_baseFunction != KernelBaseFunction.SiLU)
        {
            ScalarBaseValuesWithDerivative(ref x, ref values, ref slopes, count);
            return;
        }

        Vector256<double> one = Vector256<double>.One;
        for (int i = 0; i < count; i += 4)
        {
            Vector256<double> v = Vector256.LoadUnsafe(ref x, (nuint)i);
            Vector256<double> sigmoid = one / (one + NegativeExp(v));
            Vector256.StoreUnsafe(v * sigmoid, ref values, (nuint)i);
            Vector256.StoreUnsafe(sigmoid * (one + v * (one - sigmoid)), ref slopes, (nuint)i);
        }
    }

    /// <summary>The emitted scalar loop for identity and zero, out of line so the inlined SiLU path stays as small as before.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void ScalarBaseValuesWithDerivative(ref double x, ref double values, ref double slopes, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref values, i) = Base(Unsafe.Add(ref x, i), out Unsafe.Add(ref slopes, i));
        }
    }

    /// <summary>InputDerivativeEmitter.WriteBaseJet: b(x) (as Base) and its first three derivatives; SiLU's from one exponential.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private double BaseJet(double x, out double first, out double second, out double third)
    {
        switch (_baseFunction)
        {
            case KernelBaseFunction.SiLU:
                // sigma' = sigma (1 - sigma); b'' = 2 sigma' + x sigma''; b''' = 3 sigma'' + x sigma'''.
                double exp = Math.Exp(-x);
                double sigmoid = 1.0 / (1.0 + exp);
                double slope = sigmoid * (1.0 - sigmoid);
                first = sigmoid * (1.0 + x * (1.0 - sigmoid));
                second = slope * (2.0 + x * (1.0 - 2.0 * sigmoid));
                third = slope * (3.0 * (1.0 - 2.0 * sigmoid) + x * (1.0 - 6.0 * sigmoid + 6.0 * sigmoid * sigmoid));
                return x / (1.0 + exp);
            case KernelBaseFunction.Identity:
                first = 1.0;
                second = 0.0;
                third = 0.0;
                return x;
            default:
                first = 0.0;
                second = 0.0;
                third = 0.0;
                return 0.0;
        }
    }
}
