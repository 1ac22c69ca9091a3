using System.Text;

namespace KanCompile.Generators.Emit;

/// <summary>Names and small code fragments every kernel emitter writes (fully qualified, so user usings never matter).</summary>
internal static class EmitText
{
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Vector = "global::System.Runtime.Intrinsics.Vector256";
    public const string VectorOfDouble = "global::System.Runtime.Intrinsics.Vector256<double>";
    /// <summary>
    /// On every kernel method that is not inlined: the JIT compiles it fully optimised at its first call instead of
    /// running a Tier-0 copy (and on-stack-replacement versions of its loops) for the first steps of every fit,
    /// which cost more than the fit itself for a kernel compiled on demand.
    /// </summary>
    public const string Optimize = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    /// <summary>On small kernel helpers; a helper the JIT declines to inline is still compiled fully optimised at once.</summary>
    public const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary><c>p0, p1, …, pk</c>.</summary>
    public static string Arguments(string prefix, int k) => Join(k, r => prefix + r);

    /// <summary><c>out double p0, …, out double pk</c>.</summary>
    public static string OutParameters(string prefix, int k) => Join(k, r => "out double " + prefix + r);

    /// <summary><c>double p0, …, double pk</c>.</summary>
    public static string Parameters(string prefix, int k) => Join(k, r => "double " + prefix + r);

    /// <summary><c>c * p0 + Unsafe.Add(ref c, 1) * p1 + …</c>: a (k+1)-term coefficient window dot product.</summary>
    public static string Window(string prefix, int k, string coefficient)
    {
        var text = new StringBuilder();
        for (int r = 0; r <= k; r++)
        {
            if (r > 0)
            {
                text.Append(" + ");
            }

            text.Append(r == 0 ? coefficient : Unsafe + ".Add(ref " + coefficient + ", " + r + ")");
            text.Append(" * ").Append(prefix).Append(r);
        }

        return text.ToString();
    }

    private static string Join(int k, System.Func<int, string> item)
    {
        var parts = new string[k + 1];
        for (int r = 0; r <= k; r++)
        {
            parts[r] = item(r);
        }

        return string.Join(", ", parts);
    }
}
