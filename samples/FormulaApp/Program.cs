using KanCompile;

// Three saved models of f(x, y) = exp(sin(πx) + y²), compiled into code at build time by [KanFormula]:
// - models/toy.kan.json: a [2,5,1] KAN of splines (50 L-BFGS steps, test RMSE 2.9e-3), baked in as constants;
// - models/toy.mixed.kan.json: pykan's quick-start pruned to [2,1,1] and refined to G = 10, its two inner edges fixed
//   to sin and x^2 and refitted (test RMSE 2.8e-4): symbolic edges as code, the outer edge a baked spline;
// - models/toy.symbolic.kan.json: the same model after AutoSymbolic and a refit (test RMSE 6.8e-10): the formula.
// Each class is exactly what model.ExportCSharp returns for that model; the app never reads the files at run time.
Console.WriteLine("   x      y    ToyFormula     ToyMixed   ToyClosedForm  exp(sin(πx)+y²)");
foreach ((double x, double y) in new[] { (0.3, -0.2), (-0.7, 0.5), (0.0, 0.0), (0.9, -0.9) })
{
    Console.WriteLine($"{x,5:F2}  {y,5:F2}  {ToyFormula.Evaluate(x, y),10:F6}  {ToyMixed.Evaluate(x, y),11:F6}  {ToyClosedForm.Evaluate(x, y),14:F9}  {Math.Exp(Math.Sin(Math.PI * x) + y * y),15:F9}");
}

/// <summary>The trained spline model, compiled from its file at build time.</summary>
[KanFormula("models/toy.kan.json")]
public static partial class ToyFormula
{
}

/// <summary>The half-symbolic model: sin and x^2 as code, the outer edge as a baked spline.</summary>
[KanFormula("models/toy.mixed.kan.json")]
public static partial class ToyMixed
{
}

/// <summary>The fully symbolic model: its simplified formula as code.</summary>
[KanFormula("models/toy.symbolic.kan.json")]
public static partial class ToyClosedForm
{
}
