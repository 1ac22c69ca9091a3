using KanCompile.Generators.Model;
using static KanCompile.Generators.Emit.EmitText;

namespace KanCompile.Generators.Emit;

/// <summary>
/// The gradient pass's basis windows, one node for a whole sample block (BlockWindows), with a fast path for knot rows
/// on a lattice (equally spaced knots: pykan's initial grid, and any grid kept uniform).
/// <para>Why: on a lattice every interior interval carries the same polynomials in s = (x − t_mu)/h, the pieces of the
/// cardinal B-spline, so the interval is a floor instead of a search and the Horner coefficients are constants of the
/// spline order, not table rows. That lets four samples share each instruction (lanes over samples); the windows are
/// then transposed into the per-sample slots the edge code reads. Rows off the lattice take the polynomial table, four
/// samples per interval search where the row is short enough (BatchKernelEmitter's TableWindows); a group of four with a
/// sample in the padding zones or off the grid (where windows are cut short) takes <c>WindowWithDerivative</c> sample by
/// sample.</para>
/// <para>Spline orders below 2 never take the fast path: their derivative jumps at the knots, and a floor that lands on
/// the other side of a knot than the reference's compare would pick the other one-sided slope.</para>
/// </summary>
internal static class LatticeWindowEmitter
{
    /// <summary>Doubles per node in the lattice table: t_0, 1/h, 1 if the row is on a lattice (else 0), unused.</summary>
    public const int LatticeStride = 4;

    /// <summary>Node n's value in four consecutive samples' scratch (from <c>ref scratch</c>) as one vector: the lanes of the four-sample window paths.</summary>
    public const string FourSamplesOfNode = Vector + ".Create(" + Unsafe + ".Add(ref scratch, n), " + Unsafe + ".Add(ref scratch, ScratchLength + n), "
        + Unsafe + ".Add(ref scratch, 2 * ScratchLength + n), " + Unsafe + ".Add(ref scratch, 3 * ScratchLength + n))";

    /// <summary>Whether the kernel has the fast path at all (the table is still built, so the layout never depends on it).</summary>
    public static bool Applies(KernelSpec spec) => Applies(spec.SplineOrder);

    /// <summary>Whether spline order <paramref name="splineOrder"/> has the fast path (k ≥ 2).</summary>
    public static bool Applies(int splineOrder) => splineOrder >= 2;

    /// <summary>
    /// Statements (inside the polynomial table's rebuild, with <c>kt</c> the knot table and <c>lattice</c> the table)
    /// that record for every inner node whether its knots lie on t_0 + i h to within 1e-13 h.
    /// </summary>
    public static void WriteLatticeDetection(SourceWriter w, KernelLayout layout, int innerNodes)
    {
        int last = layout.KnotCount - 1;
        w.Line("// Knot rows on a lattice t_0 + i h (to 1e-13 h, so the fast window's basis is off by 1e-13 at most) take BlockWindows' fast path.");
        using (w.Block("for (int n = 0; n < " + innerNodes + "; n++)"))
        {
            w.Line("ref double row = ref " + Unsafe + ".Add(ref kt, n * " + layout.KnotRowLength + ");");
            w.Line("double first = Knot(ref row, 0);");
            w.Line("double spacing = (Knot(ref row, " + last + ") - first) / " + last + ";");
            w.Line("bool onLattice = spacing > 0.0 && double.IsFinite(spacing);");
            using (w.Block("for (int i = 1; onLattice && i < " + last + "; i++)"))
            {
                w.Line("onLattice = global::System.Math.Abs(Knot(ref row, i) - (first + i * spacing)) <= 1e-13 * spacing;");
            }

            w.Line("lattice[n * " + LatticeStride + "] = first;");
            w.Line("lattice[n * " + LatticeStride + " + 1] = 1.0 / spacing;");
            w.Line("lattice[n * " + LatticeStride + " + 2] = onLattice ? 1.0 : 0.0;");
        }
    }

    /// <summary>BlockWindows (which also calls TableWindows when <paramref name="tableWindows"/>) and, where the spline order allows, LatticeWindows.</summary>
    public static void Write(SourceWriter w, KernelLayout layout, int slots, bool tableWindows)
    {
        KernelSpec spec = layout.Spec;
        bool fast = Applies(spec);
        w.Line("/// <summary>");
        w.Line("/// Basis windows and their derivatives of node <paramref name=\"n\"/> for the <paramref name=\"count\"/> samples of a block, into each");
        w.Line("/// sample's scratch, and where each window starts into <paramref name=\"starts\"/>" + (fast || tableWindows ? ": four samples at a time where the samples allow it." : "."));
        w.Line("/// </summary>");
        using (w.Block("private static void BlockWindows(nint n, int count, ref double scratch, ref int starts, ref double row, ref double polynomials, ref double lattice)"))
        {
            if (fast)
            {
                w.Line("// Every host takes the lattice windows where the row allows (with or without AVX), so a fit's bits never depend on the host.");
                w.Line("bool onLattice = " + Unsafe + ".Add(ref lattice, 2) != 0.0;");
            }

            if (tableWindows)
            {
                w.Line("bool vectors = " + Vector + ".IsHardwareAccelerated;");
            }

            using (w.Block("for (nint s = 0; s < count; s++)"))
            {
                string scratchAt = "ref " + Unsafe + ".Add(ref scratch, s * ScratchLength), ref " + Unsafe + ".Add(ref starts, s * NodeCount)";
                string lattice = "LatticeWindows(n, " + scratchAt + ", ref lattice)";
                string table = "TableWindows(n, " + scratchAt + ", ref row, ref polynomials)";
                string? group = fast && tableWindows ? "(onLattice ? " + lattice + " : vectors && " + table + ")"
                    : fast ? "onLattice && " + lattice
                    : tableWindows ? "vectors && " + table : null;
                if (group != null)
                {
                    w.Line("// Four samples at a time where possible: on a lattice from the cardinal pieces, else from the table.");
                    using (w.Block("if ((s & 3) == 0 && s + 4 <= count && " + group + ")"))
                    {
                        w.Line("s += 3;");
                        w.Line("continue;");
                    }

                    w.Line();
                }

                w.Line("ref double sc = ref " + Unsafe + ".Add(ref scratch, s * ScratchLength);");
                w.Line(Unsafe + ".Add(ref starts, s * NodeCount + n) = WindowWithDerivative(" + Unsafe + ".Add(ref sc, n), ref row, ref polynomials, ref "
                    + Unsafe + ".Add(ref sc, ScratchWindows + n * WindowSlots), ref " + Unsafe + ".Add(ref sc, ScratchWindowSlopes + n * WindowSlots));");
            }
        }

        w.Line();
        if (fast)
        {
            WriteLatticeWindows(w, spec, slots);
        }
    }

    private static void WriteLatticeWindows(SourceWriter w, KernelSpec spec, int slots)
    {
        int k = spec.SplineOrder, g = spec.GridSize;
        bool continues = spec.Continues;
        double[][] pieces = CardinalPieces(k);
        const string Int128 = "global::System.Runtime.Intrinsics.Vector128";
        w.Line("/// <summary>");
        w.Line("/// Windows of node <paramref name=\"n\"/> for four consecutive samples whose knot row is a lattice t_0 + i h, or false (nothing written) if");
        w.Line(continues
            ? "/// a sample is NaN. Interval: mu = floor of (x - t_0)/h clamped to [k, G+k]; window slot r is the cardinal"
            : "/// a sample lies outside the grid's interior [t_k, t_{G+k}). Interval: mu = floor((x - t_0)/h); window slot r is the cardinal");
        w.Line("/// B-spline's piece k - r at s = (x - t_mu)/h (constants below), its derivative that piece's slope over h" + (continues ? "; beyond the range the value continues along it." : "."));
        w.Line("/// </summary>");
        w.Line(Inline);
        using (w.Block("private static bool LatticeWindows(nint n, ref double scratch, ref int starts, ref double lattice)"))
        {
            w.Line(VectorOfDouble + " x = " + FourSamplesOfNode + ";");
            w.Line(VectorOfDouble + " inverse = " + Vector + ".Create(" + Unsafe + ".Add(ref lattice, 1));");
            w.Line(VectorOfDouble + " t = (x - " + Vector + ".Create(lattice)) * inverse;");
            if (continues)
            {
                w.Line("// NaN leaves for the general path; every other lane takes the window of its nearest point of [t_k, t_{G+k}] (in units");
                w.Line("// of h: [k, G+k], the last cell holding its right end) and continues each value along its slope (beyond, in units of h).");
                using (w.Block("if (" + Vector + ".ExtractMostSignificantBits(" + Vector + ".Equals(t, t)) != 0b1111)"))
                {
                    w.Line("return false;");
                }

                w.Line();
                w.Line(VectorOfDouble + " inside = " + Vector + ".MinNative(" + Vector + ".MaxNative(t, " + Vector + ".Create(" + SourceWriter.Literal((double)k) + ")), " + Vector + ".Create(" + SourceWriter.Literal((double)(g + k)) + "));");
                w.Line(VectorOfDouble + " beyond = t - inside;");
                w.Line(VectorOfDouble + " cell = " + Vector + ".MinNative(" + Vector + ".Floor(inside), " + Vector + ".Create(" + SourceWriter.Literal((double)(g + k - 1)) + "));");
                w.Line(VectorOfDouble + " u = inside - cell;");
            }
            else
            {
                w.Line("// NaN compares false, so it also leaves for the general path.");
                w.Line(VectorOfDouble + " inside = " + Vector + ".GreaterThanOrEqual(t, " + Vector + ".Create(" + SourceWriter.Literal((double)k) + ")) & " + Vector + ".LessThan(t, " + Vector + ".Create(" + SourceWriter.Literal((double)(g + k)) + "));");
                using (w.Block("if (" + Vector + ".ExtractMostSignificantBits(inside) != 0b1111)"))
                {
                    w.Line("return false;");
                }

                w.Line();
                w.Line(VectorOfDouble + " cell = " + Vector + ".Floor(t);");
                w.Line(VectorOfDouble + " u = t - cell;");
            }
            for (int group = 0; group < slots; group += 4)
            {
                var values = new string[4];
                var slopes = new string[4];
                for (int lane = 0; lane < 4; lane++)
                {
                    int r = group + lane;
                    values[lane] = "value" + r;
                    slopes[lane] = "slope" + r;
                    if (r > k)
                    {
                        w.Line(VectorOfDouble + " value" + r + " = " + VectorOfDouble + ".Zero;");
                        w.Line(VectorOfDouble + " slope" + r + " = " + VectorOfDouble + ".Zero;");
                        continue;
                    }

                    double[] piece = pieces[k - r];
                    w.Line("// Slot " + r + ": piece " + (k - r) + ".");
                    WriteConstantHorner(w, "value" + r, piece, derivative: false);
                    WriteConstantHorner(w, "slope" + r, piece, derivative: true);
                    if (continues)
                    {
                        w.Line("value" + r + " = " + Vector + ".FusedMultiplyAdd(slope" + r + ", beyond, value" + r + ");");
                    }

                    w.Line("slope" + r + " *= inverse;");
                }

                WriteTransposeStore(w, values, "ScratchWindows + n * WindowSlots + " + group);
                WriteTransposeStore(w, slopes, "ScratchWindowSlopes + n * WindowSlots + " + group);
            }

            w.Line(continues ? "// Every cell lies in k..G+k-1, so mu - k lies in 0..G-1." : "// Every lane is interior, so mu - k already lies in 0..G-1 (no clamp).");
            using (w.Block("if (global::System.Runtime.Intrinsics.X86.Avx.IsSupported)"))
            {
                w.Line(Int128 + "<int> start = global::System.Runtime.Intrinsics.X86.Avx.ConvertToVector128Int32WithTruncation(cell) - " + Int128 + ".Create(" + k + ");");
                for (int lane = 0; lane < 4; lane++)
                {
                    w.Line(Unsafe + ".Add(ref starts, " + (lane == 0 ? "" : lane + " * NodeCount + ") + "n) = " + Int128 + ".GetElement(start, " + lane + ");");
                }
            }

            using (w.Block("else"))
            {
                w.Line("// The same truncation lane by lane (every cell is a small whole number).");
                for (int lane = 0; lane < 4; lane++)
                {
                    w.Line(Unsafe + ".Add(ref starts, " + (lane == 0 ? "" : lane + " * NodeCount + ") + "n) = (int)" + Vector + ".GetElement(cell, " + lane + ") - " + k + ";");
                }
            }

            w.Line("return true;");
        }

        w.Line();
    }

    /// <summary>target = Horner over the piece's coefficients (or its derivative's) in u, constants inline.</summary>
    private static void WriteConstantHorner(SourceWriter w, string target, double[] piece, bool derivative)
    {
        int degree = piece.Length - 1 - (derivative ? 1 : 0);
        if (degree < 0)
        {
            w.Line(VectorOfDouble + " " + target + " = " + VectorOfDouble + ".Zero;");
            return;
        }

        double Coefficient(int p) => derivative ? (p + 1) * piece[p + 1] : piece[p];
        w.Line(VectorOfDouble + " " + target + " = " + Vector + ".Create(" + SourceWriter.Literal(Coefficient(degree)) + ");");
        for (int p = degree - 1; p >= 0; p--)
        {
            double coefficient = Coefficient(p);
            w.Line(coefficient == 0.0 ? target + " *= u;" : target + " = " + Vector + ".FusedMultiplyAdd(" + target + ", u, " + Vector + ".Create(" + SourceWriter.Literal(coefficient) + "));");
        }
    }

    /// <summary>
    /// Four slot vectors (lanes = samples) transposed into four sample vectors (lanes = slots), stored per sample: with AVX's
    /// unpack and permute, else lane by lane (a transpose only moves bits, so both store the same values).
    /// </summary>
    private static void WriteTransposeStore(SourceWriter w, string[] rows, string offset)
    {
        const string Avx = "global::System.Runtime.Intrinsics.X86.Avx";
        using (w.Block("if (" + Avx + ".IsSupported)"))
        {
            w.Line(VectorOfDouble + " low01 = " + Avx + ".UnpackLow(" + rows[0] + ", " + rows[1] + "), high01 = " + Avx + ".UnpackHigh(" + rows[0] + ", " + rows[1] + ");");
            w.Line(VectorOfDouble + " low23 = " + Avx + ".UnpackLow(" + rows[2] + ", " + rows[3] + "), high23 = " + Avx + ".UnpackHigh(" + rows[2] + ", " + rows[3] + ");");
            w.Line(Vector + ".StoreUnsafe(" + Avx + ".Permute2x128(low01, low23, 0x20), ref " + Unsafe + ".Add(ref scratch, " + offset + "));");
            w.Line(Vector + ".StoreUnsafe(" + Avx + ".Permute2x128(high01, high23, 0x20), ref " + Unsafe + ".Add(ref scratch, ScratchLength + " + offset + "));");
            w.Line(Vector + ".StoreUnsafe(" + Avx + ".Permute2x128(low01, low23, 0x31), ref " + Unsafe + ".Add(ref scratch, 2 * ScratchLength + " + offset + "));");
            w.Line(Vector + ".StoreUnsafe(" + Avx + ".Permute2x128(high01, high23, 0x31), ref " + Unsafe + ".Add(ref scratch, 3 * ScratchLength + " + offset + "));");
        }

        using (w.Block("else"))
        {
            for (int lane = 0; lane < 4; lane++)
            {
                string sample = lane == 0 ? "" : lane == 1 ? "ScratchLength + " : lane + " * ScratchLength + ";
                for (int r = 0; r < 4; r++)
                {
                    w.Line(Unsafe + ".Add(ref scratch, " + sample + offset + " + " + r + ") = " + Vector + ".GetElement(" + rows[r] + ", " + lane + ");");
                }
            }
        }
    }

    /// <summary>
    /// The k+1 pieces of the cardinal B-spline of order k (knots 0, 1, …, k+1): piece q, on [q, q+1), as coefficients of
    /// s^0..s^k with s = x − q. From Cox-de Boor, N_p(x) = x/p N_{p-1}(x) + (p+1−x)/p N_{p-1}(x−1).
    /// </summary>
    public static double[][] CardinalPieces(int k)
    {
        var pieces = new double[1][];
        pieces[0] = new double[k + 1];
        pieces[0][0] = 1.0;
        for (int p = 1; p <= k; p++)
        {
            var next = new double[p + 1][];
            for (int q = 0; q <= p; q++)
            {
                var poly = new double[k + 1];
                // (q + s)/p times piece q of N_{p-1}.
                if (q < p)
                {
                    AddScaledLinear(poly, pieces[q], q / (double)p, 1.0 / p);
                }

                // (p + 1 - q - s)/p times piece q-1 of N_{p-1} (the shifted copy).
                if (q > 0)
                {
                    AddScaledLinear(poly, pieces[q - 1], (p + 1 - q) / (double)p, -1.0 / p);
                }

                next[q] = poly;
            }

            pieces = next;
        }

        return pieces;
    }

    /// <summary>target += (a + b s) · source.</summary>
    private static void AddScaledLinear(double[] target, double[] source, double a, double b)
    {
        for (int i = 0; i < source.Length; i++)
        {
            target[i] += a * source[i];
            if (i + 1 < target.Length)
            {
                target[i + 1] += b * source[i];
            }
        }
    }
}
