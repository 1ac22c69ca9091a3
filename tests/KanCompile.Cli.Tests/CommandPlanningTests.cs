using KanCompile.Cli.Fitting;
using KanCompile.Cli.Prediction;

namespace KanCompile.Cli.Tests;

/// <summary>The pieces between parsing and training: recipe plan, widths, prediction column names.</summary>
public sealed class CommandPlanningTests
{
    [Fact]
    public void RecipePlansFitPruneFitThenRefineFitPerGrid()
    {
        var recipe = new FitRecipe(new FitOptions(), prune: true, grids: [10, 20]);
        Assert.Equal(
            ["fit", "prune", "fit", "refine to G=10", "fit", "refine to G=20", "fit"],
            recipe.Steps.Select(s => s.Describe()));
        Assert.Equal([RecipeStepKind.Fit], new FitRecipe(new FitOptions(), prune: false, grids: []).Steps.Select(s => s.Kind));
    }

    [Fact]
    public void SettingsMapToPykanFitOptions()
    {
        var settings = new FitSettings { DataPath = "d.csv", Targets = ["y"], Steps = 7, Lambda = 1e-3, Optimizer = KanOptimizer.Adam, Seed = 4 };
        FitOptions options = settings.ToFitOptions();
        Assert.Equal(7, options.Steps);
        Assert.Equal(1e-3, options.Lambda);
        Assert.Equal(KanOptimizer.Adam, options.Optimizer);
        Assert.Equal(0.01, options.LearningRate);
        Assert.Equal(1.0, (settings with { Optimizer = KanOptimizer.LBfgs }).ToFitOptions().LearningRate);
        Assert.Equal(0.5, (settings with { LearningRate = 0.5 }).ToFitOptions().LearningRate);
    }

    [Fact]
    public void WidthsDefaultToOneHiddenLayerBetweenTheData()
    {
        var data = new KanDataset(new double[8], new double[8], new double[4], new double[4], inputCount: 2, outputCount: 2);
        var settings = new FitSettings { DataPath = "d.csv", Targets = ["y", "z"] };
        Assert.Equal([2, 5, 2], FitCommandHandler.ResolveWidths(settings, data));
        Assert.Equal([2, 3, 2], FitCommandHandler.ResolveWidths(settings with { Hidden = 3 }, data));
        Assert.Equal([2, 4, 4, 2], FitCommandHandler.ResolveWidths(settings with { Widths = [2, 4, 4, 2] }, data));
    }

    [Fact]
    public void PredictionColumnsAreNamedAfterTargetsAndNeverCollide()
    {
        Assert.Equal(["prediction"], PredictCommandHandler.PredictionNames(["a", "b"], 1, null));
        Assert.Equal(["prediction_1", "prediction_2"], PredictCommandHandler.PredictionNames(["a"], 2, null));
        Assert.Equal(["y_predicted"], PredictCommandHandler.PredictionNames(["a", "y"], 1, ["y"]));
        Assert.Equal(["prediction_2"], PredictCommandHandler.PredictionNames(["a", "prediction"], 1, null));
    }

    [Fact]
    public void RmseIsOverEverySampleAndOutput()
    {
        var model = new KanNetwork([1, 1], engine: KanEngine.Reference);
        double[] inputs = [0.1, -0.4, 0.7];
        var outputs = new double[3];
        model.Predict(inputs, outputs);
        double[] labels = [outputs[0] + 1, outputs[1] - 1, outputs[2] + 2];
        Assert.Equal(Math.Sqrt(6.0 / 3.0), FitCommandHandler.Rmse(model, inputs, labels), 1e-12);
    }
}
