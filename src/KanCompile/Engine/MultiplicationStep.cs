using KanCompile.Generators.Emit;

namespace KanCompile.Engine;

/// <summary>
/// pykan's multiplication nodes (kan-math §2.4 step 5) in plain code, for the readable kernels: the first
/// n_sum sub-nodes of a layer pass through as its addition nodes, then multiplication node m is the product
/// of the <c>arity</c> consecutive sub-nodes n_sum + arity·m … n_sum + arity·m + arity − 1. Node and
/// sub-node scale/bias are pykan's frozen defaults (1 and 0, <c>affine_trainable=False</c>), so they vanish.
/// </summary>
internal static class MultiplicationStep
{
    /// <summary>Node values of layer <paramref name="layer"/> from its sub-node values (no-op without multiplication nodes).</summary>
    public static void Forward(KernelLayout layout, int layer, Span<double> values)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        int node = layout.NodeOffset[layer], subnode = layout.SubnodeOffset[layer];
        for (int j = 0; j < sums; j++)
        {
            values[node + j] = values[subnode + j];
        }

        for (int m = 0; m < multiplications; m++)
        {
            double product = 1.0;
            for (int r = 0; r < arity; r++)
            {
                product *= values[subnode + sums + m * arity + r];
            }

            values[node + sums + m] = product;
        }
    }

    /// <summary>
    /// dL/d(sub-node) from dL/d(node) by the product rule: each factor's gradient is the node's gradient times the
    /// product of the other factors (computed directly, never by division, so zero factors are exact).
    /// </summary>
    public static void Backward(KernelLayout layout, int layer, ReadOnlySpan<double> values, Span<double> gradient)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        int node = layout.NodeOffset[layer], subnode = layout.SubnodeOffset[layer];
        for (int j = 0; j < sums; j++)
        {
            gradient[subnode + j] = gradient[node + j];
        }

        for (int m = 0; m < multiplications; m++)
        {
            int first = subnode + sums + m * arity;
            for (int r = 0; r < arity; r++)
            {
                double others = 1.0;
                for (int q = 0; q < arity; q++)
                {
                    if (q != r)
                    {
                        others *= values[first + q];
                    }
                }

                gradient[first + r] = gradient[node + sums + m] * others;
            }
        }
    }
}
