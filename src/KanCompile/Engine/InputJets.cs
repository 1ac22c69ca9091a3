using KanCompile.Generators.Emit;

namespace KanCompile.Engine;

/// <summary>
/// The reference engine's input derivatives of every node: its value v, gradient ∇v = ∂v/∂x and Hessian
/// ∇²v = ∂²v/∂x∂x (always in full, symmetric; callers read the diagonal or all of it) with respect to the model's
/// inputs x, for all nodes and sub-nodes in <see cref="KernelLayout"/>'s per-node order. Propagation is the chain
/// rule written out: an edge w = φ(v) gives ∇w = φ'(v)·∇v and ∇²w = φ''(v)·∇v∇vᵀ + φ'(v)·∇²v; a sum node adds; a
/// multiplication node follows the product rule (<see cref="MultiplyForward"/>).
/// </summary>
internal sealed class InputJets
{
    public InputJets(KernelLayout layout, int inputs)
    {
        Inputs = inputs;
        Value = new double[layout.NodeCount];
        Gradient = new double[layout.NodeCount, inputs];
        Hessian = new double[layout.NodeCount, inputs, inputs];
    }

    /// <summary>Number of model inputs n (gradients have n entries, Hessians n × n).</summary>
    public int Inputs { get; }

    /// <summary>v of every node.</summary>
    public double[] Value { get; }

    /// <summary>∂v/∂x_a of every node.</summary>
    public double[,] Gradient { get; }

    /// <summary>∂²v/∂x_a∂x_b of every node.</summary>
    public double[,,] Hessian { get; }

    /// <summary>Seeds the input nodes: v = x_a, ∇v = e_a, ∇²v = 0.</summary>
    public void SetInputs(ReadOnlySpan<double> input)
    {
        for (int a = 0; a < Inputs; a++)
        {
            Value[a] = input[a];
            Gradient[a, a] = 1.0;
        }
    }

    /// <summary>Adds the edge w = φ(v) of node <paramref name="source"/> into node <paramref name="target"/>.</summary>
    public void AddEdge(int source, int target, in EdgeJet phi)
    {
        Value[target] += phi.Value;
        for (int a = 0; a < Inputs; a++)
        {
            Gradient[target, a] += phi.First * Gradient[source, a];
            for (int b = 0; b < Inputs; b++)
            {
                Hessian[target, a, b] += phi.Second * Gradient[source, a] * Gradient[source, b] + phi.First * Hessian[source, a, b];
            }
        }
    }

    /// <summary>
    /// Node values of layer <paramref name="layer"/> from its sub-nodes (as <see cref="MultiplicationStep.Forward"/>): addition
    /// nodes copy their sub-node; a multiplication node p = Π_r s_r has, with P_r = Π_{q≠r} s_q and P_rt = Π_{q≠r,t} s_q,
    /// ∇p = Σ_r P_r·∇s_r and ∇²p = Σ_r P_r·∇²s_r + Σ_{r≠t} P_rt·∇s_r∇s_tᵀ (products taken directly, never by division).
    /// </summary>
    public void MultiplyForward(KernelLayout layout, int layer)
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
            Copy(subnode + j, node + j);
        }

        for (int m = 0; m < multiplications; m++)
        {
            int first = subnode + sums + m * arity, target = node + sums + m;
            double product = 1.0;
            for (int r = 0; r < arity; r++)
            {
                product *= Value[first + r];
            }

            Value[target] = product;
            for (int r = 0; r < arity; r++)
            {
                double others = ProductExcept(first, arity, r, -1);
                for (int a = 0; a < Inputs; a++)
                {
                    Gradient[target, a] += others * Gradient[first + r, a];
                    for (int b = 0; b < Inputs; b++)
                    {
                        Hessian[target, a, b] += others * Hessian[first + r, a, b];
                    }
                }

                for (int t = 0; t < arity; t++)
                {
                    if (t == r)
                    {
                        continue;
                    }

                    double rest = ProductExcept(first, arity, r, t);
                    for (int a = 0; a < Inputs; a++)
                    {
                        for (int b = 0; b < Inputs; b++)
                        {
                            Hessian[target, a, b] += rest * Gradient[first + r, a] * Gradient[first + t, b];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="MultiplyForward"/>: from the adjoints (v̄, ∇̄, ∇̄²) of layer <paramref name="layer"/>'s nodes
    /// in <paramref name="adjoint"/>, its sub-nodes' adjoints, with this instance holding the forward jets. Addition nodes
    /// pass theirs on; for p = Π_r s_r (P with the left-out factors as subscripts):
    /// <list type="bullet">
    /// <item>s̄_r = p̄·P_r + Σ_{t≠r} P_rt·(∇̄p·∇s_t + ∇̄²p : ∇²s_t) + Σ_{t≠u; t,u≠r} P_rtu·(∇s_tᵀ ∇̄²p ∇s_u);</item>
    /// <item>∇̄s_r = P_r·∇̄p + Σ_{t≠r} P_rt·(∇̄²p + ∇̄²pᵀ)·∇s_t;</item>
    /// <item>∇̄²s_r = P_r·∇̄²p.</item>
    /// </list>
    /// </summary>
    public void MultiplyBackward(KernelLayout layout, int layer, InputJets adjoint)
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
            adjoint.Copy(node + j, subnode + j);
        }

        for (int m = 0; m < multiplications; m++)
        {
            int first = subnode + sums + m * arity, p = node + sums + m;
            for (int r = 0; r < arity; r++)
            {
                int s = first + r;
                double others = ProductExcept(first, arity, r, -1);
                double value = adjoint.Value[p] * others;
                for (int a = 0; a < Inputs; a++)
                {
                    adjoint.Gradient[s, a] += others * adjoint.Gradient[p, a];
                    for (int b = 0; b < Inputs; b++)
                    {
                        adjoint.Hessian[s, a, b] += others * adjoint.Hessian[p, a, b];
                    }
                }

                for (int t = 0; t < arity; t++)
                {
                    if (t == r)
                    {
                        continue;
                    }

                    double rest = ProductExcept(first, arity, r, t);
                    for (int a = 0; a < Inputs; a++)
                    {
                        value += rest * adjoint.Gradient[p, a] * Gradient[first + t, a];
                        for (int b = 0; b < Inputs; b++)
                        {
                            value += rest * adjoint.Hessian[p, a, b] * Hessian[first + t, a, b];
                            adjoint.Gradient[s, a] += rest * (adjoint.Hessian[p, a, b] + adjoint.Hessian[p, b, a]) * Gradient[first + t, b];
                        }
                    }

                    for (int u = 0; u < arity; u++)
                    {
                        if (u == r || u == t)
                        {
                            continue;
                        }

                        double restOfRest = ProductExcept(first, arity, r, t, u);
                        for (int a = 0; a < Inputs; a++)
                        {
                            for (int b = 0; b < Inputs; b++)
                            {
                                value += restOfRest * adjoint.Hessian[p, a, b] * Gradient[first + t, a] * Gradient[first + u, b];
                            }
                        }
                    }
                }

                adjoint.Value[s] += value;
            }
        }
    }

    /// <summary>The product of the <paramref name="arity"/> values from <paramref name="first"/>, leaving out up to three factors (−1: none).</summary>
    public double ProductExcept(int first, int arity, int skip, int skipAlso, int skipThird = -1)
    {
        double product = 1.0;
        for (int q = 0; q < arity; q++)
        {
            if (q != skip && q != skipAlso && q != skipThird)
            {
                product *= Value[first + q];
            }
        }

        return product;
    }

    private void Copy(int from, int to)
    {
        Value[to] = Value[from];
        for (int a = 0; a < Inputs; a++)
        {
            Gradient[to, a] = Gradient[from, a];
            for (int b = 0; b < Inputs; b++)
            {
                Hessian[to, a, b] = Hessian[from, a, b];
            }
        }
    }
}

/// <summary>One edge function and its first three derivatives at its input value: φ, φ', φ'', φ'''.</summary>
internal readonly record struct EdgeJet(double Value, double First, double Second, double Third);
