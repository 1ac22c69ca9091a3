using KanCompile;

// models/toy.kan.json is a [2,5,1] KAN trained on f(x, y) = exp(sin(πx) + y²) (50 L-BFGS steps, test RMSE 2.9e-3),
// saved with model.Save. [KanFormula] turned it into ToyFormula.Evaluate at build time.
Console.WriteLine("   x      y    ToyFormula   exp(sin(πx)+y²)");
foreach ((double x, double y) in new[] { (0.3, -0.2), (-0.7, 0.5), (0.0, 0.0), (0.9, -0.9) })
{
    Console.WriteLine($"{x,5:F2}  {y,5:F2}  {ToyFormula.Evaluate(x, y),10:F6}  {Math.Exp(Math.Sin(Math.PI * x) + y * y),10:F6}");
}

/// <summary>The trained model, compiled from its file at build time.</summary>
[KanFormula("models/toy.kan.json")]
public static partial class ToyFormula
{
}
