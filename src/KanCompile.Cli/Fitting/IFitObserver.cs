namespace KanCompile.Cli.Fitting;

/// <summary>Follows a <see cref="FitRecipe"/> run: progress bars, log lines, or nothing (for --json).</summary>
internal interface IFitObserver
{
    /// <summary>Step <paramref name="index"/> of the recipe starts on <paramref name="model"/>.</summary>
    void StepStarted(int index, RecipeStep step, KanModel model);

    /// <summary>A fit step finished one optimiser step (reported on the training thread).</summary>
    void FitProgressed(int index, FitProgress progress);

    /// <summary>Step <paramref name="index"/> finished.</summary>
    void StepCompleted(int index, RecipeOutcome outcome);
}
