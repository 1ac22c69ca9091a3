using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;

namespace KanCompile.Compilation;

/// <summary>
/// The multiplication-node steps (pykan's MultKAN) as the emitted kernels write them: MultiplicationEmitter's forward and
/// product rule, InputDerivativeEmitter's product jets and InputDerivativeAdjointEmitter's product adjoints. Factors
/// multiply left to right and every "product of the others" is formed left to right over ascending indices, never by
/// division, so each value, gradient and jet is the emitted kernel's to the bit. Every helper does nothing for a layer
/// without multiplication nodes.
/// </summary>
internal sealed partial class RuntimeShapedKernel<TOrder>
{
    /// <summary>Per layer, Width(l) (its nodes: addition then multiplication) or SubnodeWidth(l) (where its incoming edges end).</summary>
    private static int[] NodeWidths(KernelSpec spec, bool sub)
    {
        var widths = new int[spec.Depth + 1];
        for (int l = 0; l <= spec.Depth; l++)
        {
            widths[l] = sub ? spec.SubnodeWidth(l) : spec.Width(l);
        }

        return widths;
    }

    /// <summary>
    /// MultiplicationEmitter.WriteForward on a per-node table laid out as <see cref="KernelLayout"/> says: the nodes of
    /// <paramref name="layer"/> from its sub-nodes (the first sums pass through, each multiplication node is its factors'
    /// product left to right).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void Multiply(int layer, ref double table)
    {
        int multiplications = _layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = _layout.Spec.SumWidth(layer), arity = _arity;
        ref double subnodes = ref Unsafe.Add(ref table, _layout.SubnodeOffset[layer]);
        ref double nodes = ref Unsafe.Add(ref table, _layout.NodeOffset[layer]);
        for (int j = 0; j < sums; j++)
        {
            Unsafe.Add(ref nodes, j) = Unsafe.Add(ref subnodes, j);
        }

        for (int m = 0; m < multiplications; m++)
        {
            ref double factor = ref Unsafe.Add(ref subnodes, sums + m * arity);
            double product = factor;
            for (int r = 1; r < arity; r++)
            {
                product *= Unsafe.Add(ref factor, r);
            }

            Unsafe.Add(ref nodes, sums + m) = product;
        }
    }

    /// <summary>
    /// MultiplicationEmitter.WriteBackward: dL/d(sub-node) of <paramref name="layer"/> from dL/d(node), values and
    /// gradients at <see cref="KernelLayout"/> offsets of their tables.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void MultiplyBackward(int layer, ref double values, ref double gradients)
    {
        int multiplications = _layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = _layout.Spec.SumWidth(layer), arity = _arity, node = _layout.NodeOffset[layer], subnode = _layout.SubnodeOffset[layer];
        for (int j = 0; j < sums; j++)
        {
            Unsafe.Add(ref gradients, subnode + j) = Unsafe.Add(ref gradients, node + j);
        }

        for (int m = 0; m < multiplications; m++)
        {
            ref double factor = ref Unsafe.Add(ref values, subnode + sums + m * arity);
            ref double factorGradient = ref Unsafe.Add(ref gradients, subnode + sums + m * arity);
            double productGradient = Unsafe.Add(ref gradients, node + sums + m);
            for (int r = 0; r < arity; r++)
            {
                Unsafe.Add(ref factorGradient, r) = productGradient * Others(ref factor, 1, arity, r, -1, -1);
            }
        }
    }

    /// <summary>
    /// The product of <paramref name="arity"/> factors (<paramref name="stride"/> apart) leaving out the indices
    /// <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/> (−1 for none), left to right; 1.0 when none is left,
    /// as InputDerivativeEmitter's <c>others_…</c> products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Others(ref double factor, int stride, int arity, int a, int b, int c)
    {
        double product = 1.0;
        bool any = false;
        for (int q = 0; q < arity; q++)
        {
            if (q == a || q == b || q == c)
            {
                continue;
            }

            double value = Unsafe.Add(ref factor, q * stride);
            product = any ? product * value : value;
            any = true;
        }

        return product;
    }

    /// <summary>
    /// InputDerivativeEmitter.WriteMultiplicationForward: the jets of <paramref name="layer"/>'s nodes from its sub-nodes'
    /// (value, gradient and Hessian entries, in the emitted sums' order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyJets(int layer, ref double jets, int stride, int entries, ref int pairs)
    {
        int multiplications = _layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = _layout.Spec.SumWidth(layer), arity = _arity, node = _layout.NodeOffset[layer], subnode = _layout.SubnodeOffset[layer], inputCount = _inputs;
        for (int j = 0; j < sums; j++)
        {
            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref jets, (subnode + j) * stride), stride).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref jets, (node + j) * stride), stride));
        }

        for (int m = 0; m < multiplications; m++)
        {
            ref double f = ref Unsafe.Add(ref jets, (subnode + sums + m * arity) * stride);
            ref double product = ref Unsafe.Add(ref jets, (node + sums + m) * stride);
            product = Others(ref f, stride, arity, -1, -1, -1);
            for (int a = 1; a <= inputCount; a++)
            {
                Unsafe.Add(ref product, a) = ProductRule(ref f, stride, arity, a);
            }

            for (int q = 0; q < entries; q++)
            {
                int first = 1 + Unsafe.Add(ref pairs, 2 * q), second = 1 + Unsafe.Add(ref pairs, 2 * q + 1), h = 1 + inputCount + q;
                double sum = ProductRule(ref f, stride, arity, h);
                for (int r = 0; r < arity; r++)
                {
                    for (int t = r + 1; t < arity; t++)
                    {
                        sum += Others(ref f, stride, arity, r, t, -1) * (Unsafe.Add(ref f, r * stride + first) * Unsafe.Add(ref f, t * stride + second) + Unsafe.Add(ref f, t * stride + first) * Unsafe.Add(ref f, r * stride + second));
                    }
                }

                Unsafe.Add(ref product, h) = sum;
            }
        }
    }

    /// <summary>
    /// The product rule's first-order part at jet slot <paramref name="slot"/>: Σ_r (Π_{t≠r} f_t)·f_r[slot], factor 0 first,
    /// as WriteMultiplicationForward sums a gradient entry and starts a Hessian entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ProductRule(ref double f, int stride, int arity, int slot)
    {
        double sum = Others(ref f, stride, arity, 0, -1, -1) * Unsafe.Add(ref f, slot);
        for (int r = 1; r < arity; r++)
        {
            sum += Others(ref f, stride, arity, r, -1, -1) * Unsafe.Add(ref f, r * stride + slot);
        }

        return sum;
    }

    /// <summary>
    /// InputDerivativeAdjointEmitter.WriteMultiplicationAdjoint: the adjoint jets of <paramref name="layer"/>'s sub-nodes
    /// from its nodes'. Each factor r's terms touch only its own adjoint jet, so taking the factors one at a time keeps
    /// every sum in the emitted order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyAdjoints(int layer, ref double jets, ref double adjoints, int stride, int entries, ref int pairs)
    {
        int multiplications = _layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = _layout.Spec.SumWidth(layer), arity = _arity, node = _layout.NodeOffset[layer], subnode = _layout.SubnodeOffset[layer], inputCount = _inputs;
        for (int j = 0; j < sums; j++)
        {
            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref adjoints, (node + j) * stride), stride).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref adjoints, (subnode + j) * stride), stride));
        }

        for (int m = 0; m < multiplications; m++)
        {
            ref double f = ref Unsafe.Add(ref jets, (subnode + sums + m * arity) * stride);
            ref double productAdjoint = ref Unsafe.Add(ref adjoints, (node + sums + m) * stride);
            for (int r = 0; r < arity; r++)
            {
                ref double fb = ref Unsafe.Add(ref adjoints, (subnode + sums + m * arity + r) * stride);
                double othersR = Others(ref f, stride, arity, r, -1, -1);
                double value = productAdjoint * othersR;
                for (int a = 1; a <= inputCount; a++)
                {
                    double bar = Unsafe.Add(ref productAdjoint, a);
                    Unsafe.Add(ref fb, a) = othersR * bar;
                    for (int t = 0; t < arity; t++)
                    {
                        if (t != r)
                        {
                            value += Others(ref f, stride, arity, r, t, -1) * bar * Unsafe.Add(ref f, t * stride + a);
                        }
                    }
                }

                for (int q = 0; q < entries; q++)
                {
                    int first = 1 + Unsafe.Add(ref pairs, 2 * q), second = 1 + Unsafe.Add(ref pairs, 2 * q + 1), h = 1 + inputCount + q;
                    double bar = Unsafe.Add(ref productAdjoint, h);
                    Unsafe.Add(ref fb, h) = othersR * bar;
                    for (int t = 0; t < arity; t++)
                    {
                        if (t == r)
                        {
                            continue;
                        }

                        double others = Others(ref f, stride, arity, r, t, -1);
                        value += others * bar * Unsafe.Add(ref f, t * stride + h);
                        Unsafe.Add(ref fb, first) += others * bar * Unsafe.Add(ref f, t * stride + second);
                        Unsafe.Add(ref fb, second) += others * bar * Unsafe.Add(ref f, t * stride + first);
                        bool anyThird = false;
                        double third = 0.0;
                        for (int u = 0; u < arity; u++)
                        {
                            if (u != r && u != t)
                            {
                                double term = Others(ref f, stride, arity, r, t, u) * Unsafe.Add(ref f, u * stride + second);
                                third = anyThird ? third + term : term;
                                anyThird = true;
                            }
                        }

                        if (anyThird)
                        {
                            value += bar * Unsafe.Add(ref f, t * stride + first) * third;
                        }
                    }
                }

                fb = value;
            }
        }
    }
}
