namespace KanCompile.Compilation;

/// <summary>
/// A spline order k as a type: <see cref="RuntimeShapedKernel{TOrder}"/> is instantiated per order, so the JIT sees k as a
/// constant and unrolls each window loop as the emitter does (no per-call loop over k + 1 slots).
/// </summary>
internal interface ISplineOrder
{
    static abstract int K { get; }
}

internal readonly struct SplineOrder1 : ISplineOrder
{
    public static int K => 1;
}

internal readonly struct SplineOrder2 : ISplineOrder
{
    public static int K => 2;
}

internal readonly struct SplineOrder3 : ISplineOrder
{
    public static int K => 3;
}
