using System.Text;
using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;
using static KanCompile.Generators.Emit.InputDerivativeEmitter;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's loss-gradient entry points (<c>InputDerivativeLossGradient</c> and its symbolic form): per sample the
/// derivative pass of <see cref="InputDerivativeEmitter"/>, the caller's loss ℓ with its sensitivities to the outputs,
/// Jacobian and Hessian entries, then the adjoint of the derivative pass, adding dℓ/dθ into the parameter gradient.
/// <para>With the adjoint jet (w̄, ∇̄w, ∇̄²w) of the sub-node an edge w = φ(v) feeds, α0 = w̄, α1 = ∇̄w·∇v + Σ_q h̄_q·h_q(v)
/// and α2 = Σ_q h̄_q·∇v_a·∇v_b over the Hessian entries q = (a, b) the jets carry: the edge's parameters get
/// α0·∂φ/∂θ + α1·∂φ'/∂θ + α2·∂φ''/∂θ, and its source node v̄ += α0·φ' + α1·φ'' + α2·φ''', ∇̄v += φ'·∇̄w plus φ''·h̄_q·∇v_b
/// into entry a and φ''·h̄_q·∇v_a into entry b, h̄_q(v) += φ'·h̄_q. The Hessian entries are the variables (the packed upper
/// triangle for a full Hessian), so a sensitivity to H_ab and H_ba lands on their one entry summed. Inputs need no
/// adjoint, so layer 0 only adds parameter gradients.</para>
/// </summary>
internal static class InputDerivativeAdjointEmitter
{
    public static void Write(SourceWriter w, KernelLayout layout)
    {
        WriteEntryPoints(w);
        WriteLossGradientCore(w, layout);
        WriteSeed(w, layout);
        WriteAdjointPass(w, layout);
    }

    private static void WriteEntryPoints(SourceWriter w)
    {
        string common = ReadOnly + " inputs, int firstSample, int count, " + Second + " second, global::KanCompile.InputDerivativeLoss loss, " + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks";
        w.Line("/// <inheritdoc/>");
        w.Line("public override double InputDerivativeLossGradient(" + common + ", " + Writable + " parameterGradient)");
        w.Line("    => LossGradientCore(inputs, firstSample, count, second, loss, parameters, knots, masks, default, false, parameterGradient, default);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        using (w.Block("public override double InputDerivativeLossGradientSymbolic(" + common + ", " + Spans + ", " + Writable + " parameterGradient, " + Writable + " affineGradient)"))
        {
            w.Line("symbolic.Validate(EdgeCount);");
            using (w.Block("if (affineGradient.Length != 0 && affineGradient.Length != EdgeCount * global::KanCompile.Compilation.SymbolicEdgeSpans.AffinePerEdge)"))
            {
                w.Line(KanKernel + ".ThrowAffineGradientMismatch(EdgeCount, affineGradient.Length);");
            }

            w.Line("return LossGradientCore(inputs, firstSample, count, second, loss, parameters, knots, masks, in symbolic, true, parameterGradient, affineGradient);");
        }

        w.Line();
    }

    private static void WriteLossGradientCore(SourceWriter w, KernelLayout layout)
    {
        int inner = layout.NodeOffset[layout.Spec.Depth];
        w.Line("/// <summary>Sum of the loss over the samples; adds its parameter (and affine) gradient.</summary>");
        w.Line(Optimize);
        using (w.Block("private static double LossGradientCore(" + ReadOnly + " inputs, int firstSample, int count, " + Second + " second, global::KanCompile.InputDerivativeLoss loss, "
            + ReadOnly + " parameters, " + ReadOnly + " knots, " + ReadOnly + " masks, " + Spans + ", bool withSymbolic, " + Writable + " parameterGradient, " + Writable + " affineGradient)"))
        {
            w.Line("Check(InputCount, OutputCount, parameters.Length, knots.Length, masks.Length);");
            w.Line(KanKernel + ".CheckInputDerivativeLossBuffers(InputCount, ParameterCount, count, loss, second, inputs.Length, parameterGradient.Length);");
            w.Line("int entries = HessianEntries(second, out int[] pairTable);");
            w.Line("int stride = 1 + InputCount + entries;");
            w.Line("int hessianLength = " + KanKernel + ".HessianLength(InputCount, OutputCount, second);");
            w.Line("int jetLength = NodeCount * stride;");
            w.Line("int userOffset = 2 * jetLength + " + inner + " * DerivativeWindow;");
            w.Line("int userLength = OutputCount * (1 + InputCount) + hessianLength;");
            w.Line("double[] scratch = DerivativeScratch(userOffset + 2 * userLength);");
            w.Line("ref double jets = ref " + Marshal + ".GetArrayDataReference(scratch);");
            w.Line("ref double adjoints = ref " + Unsafe + ".Add(ref jets, jetLength);");
            w.Line("ref double windows = ref " + Unsafe + ".Add(ref jets, 2 * jetLength);");
            w.Line("ref int pairs = ref " + Marshal + ".GetArrayDataReference(pairTable);");
            w.Line("ref int starts = ref " + Marshal + ".GetArrayDataReference(DerivativeStarts());");
            w.Line("ref double p = ref " + Marshal + ".GetReference(parameters);");
            w.Line("ref double gp = ref " + Marshal + ".GetReference(parameterGradient);");
            w.Line("ref double kt = ref " + Marshal + ".GetReference(knots);");
            w.Line("ref double mk = ref " + Marshal + ".GetReference(masks);");
            w.Line("var values = new " + Writable + "(scratch, userOffset, userLength);");
            w.Line("var sensitivities = new " + Writable + "(scratch, userOffset + userLength, userLength);");
            w.Line("int jacobianLength = OutputCount * InputCount;");
            w.Line(Writable + " output = values.Slice(0, OutputCount), jacobian = values.Slice(OutputCount, jacobianLength), hessian = values.Slice(OutputCount + jacobianLength, hessianLength);");
            w.Line(Writable + " outputSensitivity = sensitivities.Slice(0, OutputCount), jacobianSensitivity = sensitivities.Slice(OutputCount, jacobianLength), hessianSensitivity = sensitivities.Slice(OutputCount + jacobianLength, hessianLength);");
            w.Line("bool withSecond = second != " + Second + ".None;");
            w.Line("double total = 0.0;");
            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line(ReadOnly + " input = inputs.Slice(s * InputCount, InputCount);");
                w.Line("DerivativeForwardPass(input, ref p, ref kt, ref mk, in symbolic, withSymbolic, withSecond, entries, stride, ref pairs, ref jets, ref windows, ref starts);");
                w.Line("CopyOutputJets(ref jets, stride, entries, second, ref pairs, output, jacobian, hessian);");
                w.Line("sensitivities.Clear();");
                w.Line("total += loss.Evaluate(firstSample + s, input, output, jacobian, hessian, outputSensitivity, jacobianSensitivity, hessianSensitivity);");
                w.Line(Marshal + ".CreateSpan(ref adjoints, jetLength).Clear();");
                w.Line("SeedOutputAdjoints(ref adjoints, stride, entries, second, ref pairs, outputSensitivity, jacobianSensitivity, hessianSensitivity);");
                w.Line("DerivativeAdjointPass(ref p, ref gp, ref mk, in symbolic, withSymbolic, withSecond, entries, stride, ref pairs, ref jets, ref adjoints, ref windows, ref starts, affineGradient);");
            }

            w.Line("return total;");
        }

        w.Line();
    }

    private static void WriteSeed(SourceWriter w, KernelLayout layout)
    {
        int outputs = layout.NodeOffset[layout.Spec.Depth];
        w.Line("/// <summary>The output nodes' adjoint jets from the loss's sensitivities (a full Hessian's H_ab and H_ba share entry (a, b)).</summary>");
        using (w.Block("private static void SeedOutputAdjoints(ref double adjoints, int stride, int entries, " + Second + " second, ref int pairs, " + ReadOnly + " outputSensitivity, " + ReadOnly + " jacobianSensitivity, " + ReadOnly + " hessianSensitivity)"))
        {
            using (w.Block("for (int o = 0; o < OutputCount; o++)"))
            {
                w.Line("ref double adjoint = ref " + Unsafe + ".Add(ref adjoints, (" + outputs + " + o) * stride);");
                w.Line("adjoint = outputSensitivity[o];");
                using (w.Block("for (int a = 0; a < InputCount; a++)"))
                {
                    w.Line(Unsafe + ".Add(ref adjoint, 1 + a) = jacobianSensitivity[o * InputCount + a];");
                }

                using (w.Block("for (int q = 0; q < entries; q++)"))
                {
                    using (w.Block("if (second == " + Second + ".Diagonal)"))
                    {
                        w.Line(Unsafe + ".Add(ref adjoint, 1 + InputCount + q) = hessianSensitivity[o * InputCount + q];");
                        w.Line("continue;");
                    }

                    w.Line("int a = " + Unsafe + ".Add(ref pairs, 2 * q), b = " + Unsafe + ".Add(ref pairs, 2 * q + 1);");
                    w.Line("double sensitivity = hessianSensitivity[(o * InputCount + a) * InputCount + b];");
                    w.Line(Unsafe + ".Add(ref adjoint, 1 + InputCount + q) = a == b ? sensitivity : sensitivity + hessianSensitivity[(o * InputCount + b) * InputCount + a];");
                }
            }
        }

        w.Line();
    }

    private static void WriteAdjointPass(SourceWriter w, KernelLayout layout)
    {
        KernelSpec spec = layout.Spec;
        int k = spec.SplineOrder;
        w.Line("/// <summary>The adjoint of DerivativeForwardPass from the seeded outputs back: parameter (and affine) gradients, and the inner nodes' adjoint jets.</summary>");
        w.Line(Optimize);
        using (w.Block("private static void DerivativeAdjointPass(ref double p, ref double gp, ref double mk, " + Spans + ", bool withSymbolic, bool withThird, int entries, int stride, ref int pairs, ref double jets, ref double adjoints, ref double windows, ref int starts, " + Writable + " affineGradient)"))
        {
            w.Line("ref double sm = ref " + Marshal + ".GetReference(symbolic.Masks);");
            for (int l = spec.Depth - 1; l >= 0; l--)
            {
                int nIn = spec.Width(l), nOut = spec.SubnodeWidth(l + 1);
                WriteMultiplicationAdjoint(w, layout, l + 1);
                w.Line();
                w.Line("// Layer " + l + " adjoint: " + nOut + " -> " + nIn + ".");
                using (w.Block("for (int i = 0; i < " + nIn + "; i++)"))
                {
                    WriteNodePrologue(w, layout, l, keep: false);
                    w.Line("ref double gc = ref " + Unsafe + ".Add(ref gp, coefficient);");
                    if (l > 0)
                    {
                        w.Line("ref double sourceAdjoint = ref " + Unsafe + ".Add(ref adjoints, node * stride);");
                    }

                    using (w.Block("for (int j = 0; j < " + nOut + "; j++, e++)"))
                    {
                        w.Line("double mask = " + Unsafe + ".Add(ref mk, " + layout.MaskOffset[l] + " + e);");
                        w.Line("double scaleBase = " + Unsafe + ".Add(ref p, " + layout.ScaleBaseOffset[l] + " + e);");
                        w.Line("double scaleSpline = " + Unsafe + ".Add(ref p, " + layout.ScaleSplineOffset[l] + " + e);");
                        w.Line("ref double targetAdjoint = ref " + Unsafe + ".Add(ref adjoints, (" + layout.SubnodeOffset[l + 1] + " + j) * stride);");
                        w.Line("double alpha0 = targetAdjoint;");
                        if (l == 0)
                        {
                            w.Line("double alpha1 = " + Unsafe + ".Add(ref targetAdjoint, 1 + i);");
                            w.Line("double alpha2 = diagonalEntry >= 0 ? " + Unsafe + ".Add(ref targetAdjoint, 1 + InputCount + diagonalEntry) : 0.0;");
                        }
                        else
                        {
                            w.Line("double alpha1 = 0.0, alpha2 = 0.0;");
                            using (w.Block("for (int a = 1; a <= InputCount; a++)"))
                            {
                                w.Line("alpha1 += " + Unsafe + ".Add(ref targetAdjoint, a) * " + Unsafe + ".Add(ref source, a);");
                            }

                            using (w.Block("for (int q = 0; q < entries; q++)"))
                            {
                                w.Line("double bar = " + Unsafe + ".Add(ref targetAdjoint, 1 + InputCount + q);");
                                w.Line("alpha1 += bar * " + Unsafe + ".Add(ref source, 1 + InputCount + q);");
                                w.Line("alpha2 += bar * " + Unsafe + ".Add(ref source, 1 + " + Unsafe + ".Add(ref pairs, 2 * q)) * " + Unsafe + ".Add(ref source, 1 + " + Unsafe + ".Add(ref pairs, 2 * q + 1));");
                            }
                        }

                        w.Line("double spline0 = " + Window("b", k, "c") + ";");
                        w.Line("double spline1 = " + Window("da", k, "c") + ";");
                        w.Line("double spline2 = " + Window("db", k, "c") + ";");
                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleBaseOffset[l] + " + e) += mask * (alpha0 * bx + alpha1 * bx1 + alpha2 * bx2);");
                        w.Line(Unsafe + ".Add(ref gp, " + layout.ScaleSplineOffset[l] + " + e) += mask * (alpha0 * spline0 + alpha1 * spline1 + alpha2 * spline2);");
                        w.Line("double gs = mask * scaleSpline;");
                        for (int r = 0; r <= k; r++)
                        {
                            w.Line((r == 0 ? "gc" : Unsafe + ".Add(ref gc, " + r + ")") + " += gs * (alpha0 * b" + r + " + alpha1 * da" + r + " + alpha2 * db" + r + ");");
                        }

                        w.Line("double psi1 = 0.0, psi2 = 0.0, psi3 = 0.0;");
                        using (w.Block("if (withSymbolic && " + Unsafe + ".Add(ref sm, " + layout.EdgeOffset[l] + " + e) != 0.0)"))
                        {
                            w.Line(Dispatch + ".BackpropagateDerivatives(in symbolic, " + layout.EdgeOffset[l] + " + e, x, alpha0, alpha1, alpha2, withThird, affineGradient, out psi1, out psi2, out psi3);");
                        }

                        if (l > 0)
                        {
                            w.Line("double phi1 = mask * (scaleBase * bx1 + scaleSpline * spline1) + psi1;");
                            w.Line("double phi2 = mask * (scaleBase * bx2 + scaleSpline * spline2) + psi2;");
                            w.Line("double phi3 = mask * (scaleBase * bx3 + scaleSpline * (" + Window("dc", k, "c") + ")) + psi3;");
                            w.Line("sourceAdjoint += alpha0 * phi1 + alpha1 * phi2 + alpha2 * phi3;");
                            using (w.Block("for (int a = 1; a <= InputCount; a++)"))
                            {
                                w.Line(Unsafe + ".Add(ref sourceAdjoint, a) += phi1 * " + Unsafe + ".Add(ref targetAdjoint, a);");
                            }

                            using (w.Block("for (int q = 0; q < entries; q++)"))
                            {
                                w.Line("double bar = " + Unsafe + ".Add(ref targetAdjoint, 1 + InputCount + q);");
                                w.Line("int first = 1 + " + Unsafe + ".Add(ref pairs, 2 * q), second = 1 + " + Unsafe + ".Add(ref pairs, 2 * q + 1);");
                                w.Line(Unsafe + ".Add(ref sourceAdjoint, 1 + InputCount + q) += phi1 * bar;");
                                w.Line(Unsafe + ".Add(ref sourceAdjoint, first) += phi2 * bar * " + Unsafe + ".Add(ref source, second);");
                                w.Line(Unsafe + ".Add(ref sourceAdjoint, second) += phi2 * bar * " + Unsafe + ".Add(ref source, first);");
                            }
                        }

                        w.Line("c = ref " + Unsafe + ".Add(ref c, " + layout.CoefficientsPerEdge + ");");
                        w.Line("gc = ref " + Unsafe + ".Add(ref gc, " + layout.CoefficientsPerEdge + ");");
                    }
                }
            }
        }

        w.Line();
    }

    /// <summary>
    /// Adjoint jets of layer <paramref name="layer"/>'s sub-nodes from its nodes': addition nodes pass theirs on; for
    /// p = Π_r s_r, s̄_r = p̄·P_r + Σ_{t≠r} P_rt·(∇̄p·∇s_t + Σ_q h̄_q·h_q(s_t)) + Σ_{t≠u; t,u≠r} P_rtu·Σ_q h̄_q·∇s_t,a·∇s_u,b,
    /// ∇̄s_r = P_r·∇̄p plus, per entry q = (a, b) and t ≠ r, P_rt·h̄_q·∇s_t,b into a and P_rt·h̄_q·∇s_t,a into b, and
    /// h̄_q(s_r) = P_r·h̄_q.
    /// </summary>
    private static void WriteMultiplicationAdjoint(SourceWriter w, KernelLayout layout, int layer)
    {
        int multiplications = layout.Spec.MultiplicationWidth(layer);
        if (multiplications == 0)
        {
            return;
        }

        int sums = layout.Spec.SumWidth(layer), arity = layout.Spec.MultiplicationArity;
        int node = layout.NodeOffset[layer], subnode = layout.SubnodeOffset[layer];
        w.Line();
        w.Line("// Layer " + layer + " sub-node adjoints: addition nodes pass theirs on, multiplication nodes by the product rule.");
        using (w.Block("for (int j = 0; j < " + sums + "; j++)"))
        {
            w.Line(Marshal + ".CreateSpan(ref " + Unsafe + ".Add(ref adjoints, (" + node + " + j) * stride), stride).CopyTo(" + Marshal + ".CreateSpan(ref " + Unsafe + ".Add(ref adjoints, (" + subnode + " + j) * stride), stride));");
        }

        using (w.Block("for (int m = 0; m < " + multiplications + "; m++)"))
        {
            WriteFactorRefs(w, "jets", subnode + sums, arity, "f");
            WriteFactorRefs(w, "adjoints", subnode + sums, arity, "fb");
            w.Line("ref double productAdjoint = ref " + Unsafe + ".Add(ref adjoints, (" + (node + sums) + " + m) * stride);");
            WriteFactorProducts(w, arity);
            for (int r = 0; r < arity; r++)
            {
                w.Line("double value" + r + " = productAdjoint * " + Others(r) + ";");
            }

            using (w.Block("for (int a = 1; a <= InputCount; a++)"))
            {
                w.Line("double bar = " + Unsafe + ".Add(ref productAdjoint, a);");
                for (int r = 0; r < arity; r++)
                {
                    w.Line(Unsafe + ".Add(ref fb" + r + ", a) = " + Others(r) + " * bar;");
                    for (int t = 0; t < arity; t++)
                    {
                        if (t != r)
                        {
                            w.Line("value" + r + " += " + Others(r, t) + " * bar * " + Unsafe + ".Add(ref f" + t + ", a);");
                        }
                    }
                }
            }

            using (w.Block("for (int q = 0; q < entries; q++)"))
            {
                w.Line("int first = 1 + " + Unsafe + ".Add(ref pairs, 2 * q), second = 1 + " + Unsafe + ".Add(ref pairs, 2 * q + 1), h = 1 + InputCount + q;");
                w.Line("double bar = " + Unsafe + ".Add(ref productAdjoint, h);");
                for (int r = 0; r < arity; r++)
                {
                    w.Line(Unsafe + ".Add(ref fb" + r + ", h) = " + Others(r) + " * bar;");
                }

                for (int r = 0; r < arity; r++)
                {
                    for (int t = 0; t < arity; t++)
                    {
                        if (t == r)
                        {
                            continue;
                        }

                        w.Line("value" + r + " += " + Others(r, t) + " * bar * " + Unsafe + ".Add(ref f" + t + ", h);");
                        w.Line(Unsafe + ".Add(ref fb" + r + ", first) += " + Others(r, t) + " * bar * " + Unsafe + ".Add(ref f" + t + ", second);");
                        w.Line(Unsafe + ".Add(ref fb" + r + ", second) += " + Others(r, t) + " * bar * " + Unsafe + ".Add(ref f" + t + ", first);");
                        var third = new StringBuilder();
                        for (int u = 0; u < arity; u++)
                        {
                            if (u != r && u != t)
                            {
                                third.Append(third.Length == 0 ? string.Empty : " + ").Append(Others(r, t, u) + " * " + Unsafe + ".Add(ref f" + u + ", second)");
                            }
                        }

                        if (third.Length != 0)
                        {
                            w.Line("value" + r + " += bar * " + Unsafe + ".Add(ref f" + t + ", first) * (" + third + ");");
                        }
                    }
                }
            }

            for (int r = 0; r < arity; r++)
            {
                w.Line("fb" + r + " = value" + r + ";");
            }
        }
    }
}
