using KanCompile.Cli.Output;

namespace KanCompile.Cli.Fitting;

/// <summary>Log lines for redirected output: one per recipe step, and one every tenth optimiser step.</summary>
internal sealed class PlainFitObserver(TextWriter output) : IFitObserver
{
    private const int ReportEvery = 10;
    private int[] _widthsBefore = [];

    public void StepStarted(int index, RecipeStep step, KanModel model) => _widthsBefore = model.Widths.ToArray();

    public void FitProgressed(int index, FitProgress progress)
    {
        if (progress.Step % ReportEvery == 0 && progress.Step < progress.TotalSteps)
        {
            output.WriteLine($"  step {progress.Step}/{progress.TotalSteps}: {FitMeasures.Describe(progress)}");
        }
    }

    public void StepCompleted(int index, RecipeOutcome outcome)
    {
        string seconds = Numbers.Seconds(outcome.Elapsed.TotalSeconds);
        string line = outcome.Fit switch
        {
            { } fit => $"fit {Numbers.Widths(outcome.Widths)} G={outcome.GridSize}: {fit.Steps} steps ({fit.ExitReason}) in {seconds} s, {FitMeasures.Describe(fit)}",
            null when outcome.Step.Kind == RecipeStepKind.Prune => $"prune: {Numbers.Widths(_widthsBefore)} -> {Numbers.Widths(outcome.Widths)}, {outcome.ParameterCount} parameters",
            _ => $"{outcome.Step.Describe()}: {outcome.ParameterCount} parameters in {seconds} s",
        };
        output.WriteLine(line);
    }
}
