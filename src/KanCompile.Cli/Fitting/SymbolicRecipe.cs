namespace KanCompile.Cli.Fitting;

/// <summary>How <c>kan fit --symbolic</c> finds the formula (<c>--recipe</c>).</summary>
internal enum SymbolicRecipe
{
    /// <summary>The formula search of KanFormulaSearch (the default): shapes, top-k candidates per edge, backtracking.</summary>
    Discovery,

    /// <summary>pykan's one-shot recipe: auto-symbolic on the trained model, then a fit of the affine parameters.</summary>
    Pykan,
}
