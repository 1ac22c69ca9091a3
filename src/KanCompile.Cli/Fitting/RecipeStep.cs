namespace KanCompile.Cli.Fitting;

/// <summary>What one step of the fit recipe does.</summary>
internal enum RecipeStepKind
{
    /// <summary>Train with the fit options.</summary>
    Fit,

    /// <summary>pykan's <c>prune()</c>: drop unimportant hidden nodes and edges.</summary>
    Prune,

    /// <summary>pykan's <c>refine(G)</c>: move to a finer grid.</summary>
    Refine,

    /// <summary>pykan's <c>auto_symbolic</c>: replace every live spline edge by its best library function.</summary>
    Symbolic,

    /// <summary>The formula search (KanFormulaSearch.Discover): the model becomes the formula it finds, if any.</summary>
    Discover,
}

/// <summary>One planned step of the recipe; <paramref name="GridSize"/> is the new grid of a refine.</summary>
internal sealed record RecipeStep(RecipeStepKind Kind, int? GridSize = null)
{
    /// <summary>A short label for progress output, e.g. "refine to G=10".</summary>
    public string Describe() => Kind switch
    {
        RecipeStepKind.Fit => "fit",
        RecipeStepKind.Prune => "prune",
        RecipeStepKind.Symbolic => "symbolic",
        RecipeStepKind.Discover => "discover formula",
        _ => $"refine to G={GridSize}",
    };
}

/// <summary>What a step left behind: the model's shape after it and, for a fit, the training history.</summary>
internal sealed record RecipeOutcome(RecipeStep Step, int[] Widths, int GridSize, int ParameterCount, FitResult? Fit, TimeSpan Elapsed);
