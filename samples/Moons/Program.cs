// pykan's Example 4 (classification) on two moons, 1000 training and 1000 test samples, noise 0.1:
//  1. the regression formulation: [2,1] on grid 3, mean squared error on the 0/1 label, 20 L-BFGS steps, the class by
//     rounding; then auto-symbolic with pykan's library and the formula's test accuracy (pykan: 0.997);
//  2. the classification formulation: [2,2], softmax cross-entropy, 20 L-BFGS steps, the class by argmax; auto-symbolic
//     gives the two logits as formulas (pykan: 0.881 test accuracy with linear formulas).
// The formula classifier is also written as C# that returns the class and its probabilities.
using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic;

KanDataset moons = KanDataset.TwoMoons(trainCount: 1000, testCount: 1000, noise: 0.1, seed: 0);
string output = Path.Combine(AppContext.BaseDirectory, "output");
Directory.CreateDirectory(output);
var clock = Stopwatch.StartNew();

Console.WriteLine("Regression formulation: [2,1], MSE on the 0/1 label (pykan: train/test accuracy 1.000 / 0.998, formula test accuracy 0.997)");
var regression = new MoonsRegression(seed: 0);
FitResult fit = regression.Fit(moons, new FitOptions { Steps = 20, Metrics = [KanMetric.TrainAccuracy, KanMetric.TestAccuracy] });
Console.WriteLine($"  fit: train RMSE {fit.TrainRmse[^1]:E3}, test RMSE {fit.TestRmse[^1]:E3}, train accuracy {fit.Metrics["train_acc"][^1]:F3}, test accuracy {fit.Metrics["test_acc"][^1]:F3}");
var pykanLibrary = SymbolicLibrary.Create(["x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "tan", "abs"]);
regression.AutoSymbolic(pykanLibrary);
KanFormula formula = regression.SymbolicFormula(["x1", "x2"], 4);
Console.WriteLine($"  formula: {formula.ToText()}");
Console.WriteLine($"  formula accuracy: train {FormulaAccuracy(formula, regression.Classes!, moons.TrainInputs, moons.TrainClasses):F3}, test {FormulaAccuracy(formula, regression.Classes!, moons.TestInputs, moons.TestClasses):F3}");

Console.WriteLine();
Console.WriteLine("Classification formulation: [2,2], softmax cross-entropy (pykan: formula test accuracy 0.881)");
var classifier = new MoonsClassifier(seed: 2024);
fit = classifier.Fit(moons, new FitOptions { Steps = 20, Loss = KanLoss.SoftmaxCrossEntropy, Metrics = [KanMetric.TrainAccuracy, KanMetric.TestAccuracy] });
Console.WriteLine($"  fit: train loss {fit.TrainLoss[^1]:E3}, test loss {fit.TestLoss[^1]:E3}, train accuracy {fit.Metrics["train_acc"][^1]:F3}, test accuracy {fit.Metrics["test_acc"][^1]:F3}");
classifier.AutoSymbolic(SymbolicLibrary.Create(["x", "x^2", "x^3", "x^4", "exp", "log", "sqrt", "tanh", "sin", "abs"]));
KanFormula logits = classifier.SymbolicFormula(["x1", "x2"], 4);
Console.WriteLine($"  logit of 'upper': {logits.ToText(0)}");
Console.WriteLine($"  logit of 'lower': {logits.ToText(1)}");
Console.WriteLine($"  formula accuracy: train {FormulaAccuracy(logits, classifier.Classes!, moons.TrainInputs, moons.TrainClasses):F3}, test {FormulaAccuracy(logits, classifier.Classes!, moons.TestInputs, moons.TestClasses):F3}");

string source = FormulaExport.ToCSharpClassifier(classifier.SymbolicFormula(["x1", "x2"]).Outputs, classifier.Classes!, "MoonFormula", "Moons", ["x1", "x2"]);
File.WriteAllText(Path.Combine(output, "MoonFormula.cs"), source);
Console.WriteLine();
Console.WriteLine($"Wrote {Path.Combine(output, "MoonFormula.cs")} (MoonFormula.Predict(input, probabilities) returns the class). Total {clock.Elapsed.TotalSeconds:F1} s.");

// The share of rows whose class the formula's outputs decide right, under the model's class rule.
static double FormulaAccuracy(KanFormula formula, KanClasses classes, double[] inputs, int[] labels)
{
    var outputs = new double[formula.Outputs.Count];
    int correct = 0;
    for (int s = 0; s < labels.Length; s++)
    {
        formula.Evaluate(inputs.AsSpan(2 * s, 2), outputs);
        correct += classes.Decide(outputs) == labels[s] ? 1 : 0;
    }

    return (double)correct / labels.Length;
}

/// <summary>pykan's regression formulation: [2,1] on grid 3.</summary>
[KanModel(2, 1, GridSize = 3, SplineOrder = 3)]
internal partial class MoonsRegression { }

/// <summary>pykan's classification formulation: [2,2] on grid 3.</summary>
[KanModel(2, 2, GridSize = 3, SplineOrder = 3)]
internal partial class MoonsClassifier { }
