namespace KanCompile;

/// <summary>The residual function b(x) added to every edge's spline (pykan's <c>base_fun</c>).</summary>
public enum KanBaseFunction
{
    /// <summary>b(x) = x / (1 + e^-x), pykan's default.</summary>
    SiLU = 0,

    /// <summary>b(x) = x.</summary>
    Identity = 1,

    /// <summary>b(x) = 0: edges are pure splines.</summary>
    Zero = 2,
}
