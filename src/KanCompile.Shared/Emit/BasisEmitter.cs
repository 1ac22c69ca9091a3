using System.Collections.Generic;
using KanCompile.Generators.Model;

namespace KanCompile.Generators.Emit;

/// <summary>
/// Writes a kernel's <c>Basis</c> helper: the k+1 non-zero B-spline values (and optionally their
/// derivatives) of one input, fully unrolled for the compile-time order k and grid size G.
/// <para>pykan's behaviour beyond the grid (<see cref="KernelBeyondGrid.Pykan"/>), in steps: (1) outside [t_0, t_M) everything is 0 (no clamping, as pykan); (2) a branch-free binary
/// search with a constant number of steps finds the knot interval mu; (3) the local Cox-de Boor triangle
/// (NURBS book A2.2) gives B_{mu-k..mu}, multiplying by reciprocal knot differences stored with the
/// grid; (4) in the padding intervals part of that window names basis
/// functions that do not exist (index &lt; 0 or &gt; G+k-1), so the window is shifted to the nearest valid one
/// and the vacated slots set to 0. Callers then always read k+1 consecutive coefficients.</para>
/// <para>With <see cref="KernelBeyondGrid.Smooth"/> the window is that of the nearest point of [t_k, t_{G+k}], continued
/// along its slope (<see cref="WriteContinued"/>), the same as the reference's <c>BSplineBasis</c>.</para>
/// </summary>
internal static class BasisEmitter
{
    public static void Write(SourceWriter w, KernelLayout layout, bool withDerivative)
    {
        int k = layout.Spec.SplineOrder;
        int g = layout.Spec.GridSize;
        int intervals = g + 2 * k;
        string name = withDerivative ? "BasisWithDerivative" : "Basis";
        var outs = new List<string>();
        for (int r = 0; r <= k; r++)
        {
            outs.Add("out double b" + r);
        }

        if (withDerivative)
        {
            for (int r = 0; r <= k; r++)
            {
                outs.Add("out double d" + r);
            }
        }

        if (layout.Spec.Continues)
        {
            WriteContinued(w, layout, withDerivative, name, outs);
            return;
        }

        w.Line("/// <summary>Non-zero basis window of <paramref name=\"x\"/>" + (withDerivative ? " and its derivative" : "") + "; returns the index of the first coefficient it weights.</summary>");
        w.Line(EmitText.Inline);
        using (w.Block("private static int " + name + "(double x, ref double row, " + string.Join(", ", outs) + ")"))
        {
            // (1) Outside the extended grid: every basis function is exactly zero.
            using (w.Block("if (!(x >= Knot(ref row, 0) && x < Knot(ref row, " + intervals + ")))"))
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line("b" + r + " = 0.0;");
                }

                if (withDerivative)
                {
                    for (int r = 0; r <= k; r++)
                    {
                        w.Line("d" + r + " = 0.0;");
                    }
                }

                w.Line("return 0;");
            }

            // (2) Branch-free binary search for the last knot <= x among t_0..t_{M-1}.
            WriteIntervalSearch(w, intervals);

            if (k == 0)
            {
                w.Line("b0 = 1.0;");
                if (withDerivative)
                {
                    w.Line("d0 = 0.0;");
                }

                w.Line("return mu;");
                return;
            }

            // (3) Cox-de Boor on interval mu. left_j = x - t_{mu+1-j}, right_j = t_{mu+j} - x.
            WriteTriangle(w, layout, "x", withDerivative);

            // (4) Keep the window inside the G+k real coefficients.
            WriteWindowClamp(w, k, g, withDerivative ? new[] { "n", "e" } : new[] { "n" });

            for (int r = 0; r <= k; r++)
            {
                w.Line("b" + r + " = n" + r + ";");
            }

            if (withDerivative)
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line("d" + r + " = e" + r + ";");
                }
            }

            w.Line("return start;");
        }
    }

    /// <summary>
    /// The Cox-de Boor triangle on interval <c>mu</c> at <paramref name="point"/> (NURBS book A2.2): window values n0..nk and,
    /// <paramref name="withDerivative"/>, their derivatives e0..ek (from the order k-1 values p0..p(k-1)).
    /// </summary>
    private static void WriteTriangle(SourceWriter w, KernelLayout layout, string point, bool withDerivative)
    {
        int k = layout.Spec.SplineOrder;
        w.Line("ref double t = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, " + layout.PhantomKnots + " + mu);");
        w.Line("// Reciprocal knot differences of this interval (precomputed with the grid: no division here).");
        w.Line("ref double inv = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, " + layout.PaddedKnotCount + " + mu * " + layout.ReciprocalsPerInterval + ");");
        for (int j = 1; j <= k; j++)
        {
            w.Line("double left" + j + " = " + point + " - " + KnotAt(1 - j) + ";");
            w.Line("double right" + j + " = " + KnotAt(j) + " - " + point + ";");
        }

        w.Line("double n0 = 1.0;");
        for (int r = 1; r <= k; r++)
        {
            w.Line("double n" + r + " = 0.0;");
        }

        w.Line("double saved, temp;");
        for (int j = 1; j <= k; j++)
        {
            if (withDerivative && j == k)
            {
                // Keep order k-1 for the derivative: dB_{m,k} = k (B_{m,k-1}/(t_{m+k}-t_m) - B_{m+1,k-1}/(t_{m+k+1}-t_{m+1})).
                for (int r = 0; r < k; r++)
                {
                    w.Line("double p" + r + " = n" + r + ";");
                }
            }

            w.Line("saved = 0.0;");
            for (int r = 0; r < j; r++)
            {
                w.Line("temp = n" + r + " * " + Inverse(KernelLayout.TriangleReciprocal(j, r)) + ";");
                w.Line("n" + r + " = saved + right" + (r + 1) + " * temp;");
                w.Line("saved = left" + (j - r) + " * temp;");
            }

            w.Line("n" + j + " = saved;");
        }

        if (withDerivative)
        {
            WriteSlopes(w, k);
        }
    }

    /// <summary>
    /// The window's derivatives e0..ek from the order k-1 values p0..p(k-1) on interval <c>mu</c> (<c>inv</c> in scope):
    /// one formula for every kernel that continues a spline along its slope, so their values agree to the bit.
    /// </summary>
    internal static void WriteSlopes(SourceWriter w, int k)
    {
        // w_r = k * B_{mu-k+r, k-1} / (t_{mu+r} - t_{mu-k+r}) for r = 1..k; dB_r = w_r - w_{r+1}.
        for (int r = 1; r <= k; r++)
        {
            w.Line("double w" + r + " = " + SourceWriter.Literal((double)k) + " * (p" + (r - 1) + " * " + Inverse(KernelLayout.DerivativeReciprocal(k, r)) + ");");
        }

        for (int r = 0; r <= k; r++)
        {
            string first = r == 0 ? "0.0" : "w" + r;
            string second = r == k ? "0.0" : "w" + (r + 1);
            w.Line("double e" + r + " = " + first + " - " + second + ";");
        }
    }

    private static string Inverse(int slot) =>
        slot == 0 ? "inv" : "global::System.Runtime.CompilerServices.Unsafe.Add(ref inv, " + slot + ")";

    private static string KnotAt(int offset) =>
        offset == 0 ? "t" : "global::System.Runtime.CompilerServices.Unsafe.Add(ref t, " + offset + ")";

    /// <summary>
    /// <c>int mu</c> = the index of the last knot &lt;= x among t_0..t_{M-1} (M = <paramref name="intervals"/>), by a
    /// branch-free binary search with a constant number of steps.
    /// </summary>
    internal static void WriteIntervalSearch(SourceWriter w, int intervals, int first = 0, string point = "x")
    {
        w.Line("int mu = " + first + ";");
        int length = intervals;
        while (length > 1)
        {
            int half = length >> 1;
            w.Line("mu += Knot(ref row, mu + " + half + ") <= " + point + " ? " + half + " : 0;");
            length -= half;
        }
    }

    /// <summary>
    /// The start of a continued window (<see cref="KernelBeyondGrid.Smooth"/>): <c>double inside</c>, the nearest point of the
    /// grid's real range [t_k, t_{G+k}] (branch-free), <c>double beyond</c> = x - inside, and <c>int mu</c>, the real interval
    /// of inside: the last of t_k..t_{G+k-1} that is &lt;= inside, so t_{G+k} itself belongs to the last real interval and
    /// the slope there is that piece's.
    /// </summary>
    internal static void WriteContinuedInterval(SourceWriter w, int k, int g)
    {
        w.Line("double inside = double.MinNative(double.MaxNative(x, Knot(ref row, " + k + ")), Knot(ref row, " + (g + k) + "));");
        w.Line("double beyond = x - inside;");
        WriteIntervalSearch(w, g, k, "inside");
    }

    /// <summary>
    /// Basis / BasisWithDerivative for <see cref="KernelBeyondGrid.Smooth"/>: the window and its derivative at the nearest point
    /// of [t_k, t_{G+k}], each value continued along its slope (b_r = n_r + (x - inside)·e_r, d_r = e_r). Inside the range
    /// beyond is 0 and the window is pykan's; the window always starts within the G+k coefficients (no padding-zone shift).
    /// </summary>
    private static void WriteContinued(SourceWriter w, KernelLayout layout, bool withDerivative, string name, List<string> outs)
    {
        int k = layout.Spec.SplineOrder;
        w.Line("/// <summary>Non-zero basis window of <paramref name=\"x\"/>" + (withDerivative ? " and its derivative" : "") + ", continued beyond [t_k, t_{G+k}] along the boundary tangent; returns the index of the first coefficient it weights.</summary>");
        w.Line(EmitText.Inline);
        using (w.Block("private static int " + name + "(double x, ref double row, " + string.Join(", ", outs) + ")"))
        {
            WriteContinuedInterval(w, k, layout.Spec.GridSize);
            if (k == 0)
            {
                // Piecewise constant: the boundary value continues, slope 0.
                w.Line("b0 = 1.0;");
                if (withDerivative)
                {
                    w.Line("d0 = 0.0;");
                }

                w.Line("return mu;");
                return;
            }

            WriteTriangle(w, layout, "inside", withDerivative: true);
            for (int r = 0; r <= k; r++)
            {
                w.Line("b" + r + " = n" + r + " + beyond * e" + r + ";");
            }

            if (withDerivative)
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line("d" + r + " = e" + r + ";");
                }
            }

            w.Line("return mu - " + k + ";");
        }
    }

    /// <summary>
    /// <c>int start = mu - k</c>, moved into the G+k real coefficients: in the padding intervals part of the window names
    /// basis functions that do not exist, so every window named by <paramref name="prefixes"/> (slots prefix0..prefixk)
    /// shifts to the nearest valid start and the vacated slots become 0.
    /// </summary>
    internal static void WriteWindowClamp(SourceWriter w, int k, int g, string[] prefixes)
    {
        w.Line("int start = mu - " + k + ";");
        using (w.Block("if (start < 0)"))
        {
            w.Line("// Padding zone below t_k: basis functions with index < 0 do not exist.");
            using (w.Block("switch (start)"))
            {
                for (int s = 1; s <= k; s++)
                {
                    w.Line("case -" + s + ":");
                    w.Indent();
                    WriteShift(w, k, s, prefixes);
                    w.Line("break;");
                    w.Unindent();
                }
            }

            w.Line("start = 0;");
        }

        using (w.Block("else if (start > " + (g - 1) + ")"))
        {
            w.Line("// Padding zone above t_{G+k}: basis functions with index > G+k-1 do not exist.");
            using (w.Block("switch (start - " + (g - 1) + ")"))
            {
                for (int s = 1; s <= k; s++)
                {
                    w.Line("case " + s + ":");
                    w.Indent();
                    WriteShift(w, k, -s, prefixes);
                    w.Line("break;");
                    w.Unindent();
                }
            }

            w.Line("start = " + (g - 1) + ";");
        }
    }

    /// <summary>Moves window slot r to r - shift (shift &gt; 0: towards lower slots), zero-filling, in every window named by a prefix.</summary>
    private static void WriteShift(SourceWriter w, int k, int shift, string[] prefixes)
    {
        foreach (string prefix in prefixes)
        {
            if (shift > 0)
            {
                for (int r = 0; r <= k; r++)
                {
                    w.Line(prefix + r + " = " + (r + shift <= k ? prefix + (r + shift) : "0.0") + ";");
                }
            }
            else
            {
                int d = -shift;
                for (int r = k; r >= 0; r--)
                {
                    w.Line(prefix + r + " = " + (r - d >= 0 ? prefix + (r - d) : "0.0") + ";");
                }
            }
        }
    }
}
