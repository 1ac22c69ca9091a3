namespace KanCompile.Symbolic;

/// <summary>Which branches of an edge are live (pykan's <c>set_mode</c>: 'n', 's', 'sn').</summary>
public enum SymbolicMode
{
    /// <summary>'n': numeric mask 1, symbolic mask 0.</summary>
    Numeric,

    /// <summary>'s': numeric mask 0, symbolic mask 1.</summary>
    Symbolic,

    /// <summary>'sn': both masks 1; φ and ψ are summed.</summary>
    Both,
}
