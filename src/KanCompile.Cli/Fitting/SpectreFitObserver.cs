using KanCompile.Cli.Output;
using Spectre.Console;

namespace KanCompile.Cli.Fitting;

/// <summary>One Spectre.Console progress bar per recipe step, showing the latest RMSEs while a fit runs.</summary>
internal sealed class SpectreFitObserver(ProgressContext context) : IFitObserver
{
    private readonly Dictionary<int, ProgressTask> _tasks = [];
    private string _label = "";

    public void StepStarted(int index, RecipeStep step, KanModel model)
    {
        // A fit shows the shape it trains; prune and refine show the shape they start from (the grid is in the name).
        _label = step.Kind == RecipeStepKind.Fit
            ? $"fit {Numbers.Widths(model.Widths)} G={model.GridSize}"
            : $"{step.Describe()} {Numbers.Widths(model.Widths)}";
        _tasks[index] = context.AddTask(Markup.Escape(_label), maxValue: 1);
    }

    public void FitProgressed(int index, FitProgress progress)
    {
        ProgressTask task = _tasks[index];
        task.MaxValue = progress.TotalSteps;
        task.Value = progress.Step;
        task.Description = Markup.Escape($"{_label}  {FitMeasures.Describe(progress)}");
    }

    public void StepCompleted(int index, RecipeOutcome outcome)
    {
        ProgressTask task = _tasks[index];
        task.Value = task.MaxValue;
        task.StopTask();
    }
}
