namespace KanCompile.Compilation;

/// <summary>
/// A spline order k as a type: <see cref="RuntimeShapedKernel{TOrder}"/> is instantiated per order, so the JIT sees k as a
/// constant and unrolls each window loop as the emitter does (no per-call loop over k + 1 slots).
/// </summary>
internal interface ISplineOrder
{
    static abstract int K { get; }
}

internal readonly struct SplineOrder0 : ISplineOrder
{
    public static int K => 0;
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

internal readonly struct SplineOrder4 : ISplineOrder
{
    public static int K => 4;
}

internal readonly struct SplineOrder5 : ISplineOrder
{
    public static int K => 5;
}

internal readonly struct SplineOrder6 : ISplineOrder
{
    public static int K => 6;
}

internal readonly struct SplineOrder7 : ISplineOrder
{
    public static int K => 7;
}
