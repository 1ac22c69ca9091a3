namespace KanCompile.Cli.Fitting;

/// <summary>Reports nothing: with --json, stdout carries the JSON object alone.</summary>
internal sealed class SilentFitObserver : IFitObserver
{
    public static SilentFitObserver Instance { get; } = new();

    public void StepStarted(int index, RecipeStep step, KanModel model)
    {
    }

    public void FitProgressed(int index, FitProgress progress)
    {
    }

    public void StepCompleted(int index, RecipeOutcome outcome)
    {
    }
}
