namespace KanCompile.Cli.Commands;

/// <summary>The names the command line accepts for enumerated settings.</summary>
internal static class CliChoices
{
    public static readonly IReadOnlyDictionary<string, KanOptimizer> Optimizers = new Dictionary<string, KanOptimizer>
    {
        ["lbfgs"] = KanOptimizer.LBfgs,
        ["adam"] = KanOptimizer.Adam,
        ["lm"] = KanOptimizer.LevenbergMarquardt,
    };

    public static readonly IReadOnlyDictionary<string, KanEngine> Engines = new Dictionary<string, KanEngine>
    {
        ["compiled"] = KanEngine.Compiled,
        ["reference"] = KanEngine.Reference,
    };

    /// <summary>What the splines do beyond the grid (<c>--beyond-grid</c>): the smooth continuation or pykan's padding zone, then 0.</summary>
    public static readonly IReadOnlyDictionary<string, KanBeyondGrid> BeyondGrid = new Dictionary<string, KanBeyondGrid>
    {
        ["smooth"] = KanBeyondGrid.Smooth,
        ["pykan"] = KanBeyondGrid.Pykan,
    };

    /// <summary>How --symbolic finds the formula.</summary>
    public static readonly IReadOnlyDictionary<string, KanCompile.Cli.Fitting.SymbolicRecipe> Recipes = new Dictionary<string, KanCompile.Cli.Fitting.SymbolicRecipe>
    {
        ["discovery"] = KanCompile.Cli.Fitting.SymbolicRecipe.Discovery,
        ["pykan"] = KanCompile.Cli.Fitting.SymbolicRecipe.Pykan,
    };

    /// <summary>Output formats of <c>kan formula</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> FormulaFormats = new Dictionary<string, string>
    {
        ["text"] = "text",
        ["latex"] = "latex",
        ["csharp"] = "csharp",
    };
}
