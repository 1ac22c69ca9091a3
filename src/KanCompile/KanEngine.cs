namespace KanCompile;

/// <summary>Which code computes a <see cref="KanNetwork"/>: kernels compiled for its shape, or the reference engine.</summary>
public enum KanEngine
{
    /// <summary>
    /// A kernel compiled at run time for the exact shape and grid, with the same emitter the source generator
    /// uses; compiled once per shape and cached. Where the runtime cannot compile code (no JIT, Native AOT,
    /// a single-file bundle, Roslyn trimmed away) the reference engine is used instead, with identical results.
    /// </summary>
    Compiled = 0,

    /// <summary>The plain, readable reference engine (kan-math §2.2–2.4): the oracle generated kernels are tested against.</summary>
    Reference = 1,
}
