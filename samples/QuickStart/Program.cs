using KanCompile;

// pykan's quick-start model: f(x, y) = exp(sin(pi x) + y^2) on a [2, 5, 1] KAN.
var model = new ToyKan(seed: 1);
Console.WriteLine($"ToyKan: widths [{string.Join(", ", model.Widths)}], G = {model.GridSize}, k = {model.SplineOrder}, {model.ParameterCount} parameters");

Span<double> y = stackalloc double[1];
model.Forward(new[] { 0.3, -0.2 }, y);
Console.WriteLine($"f(0.3, -0.2) before training = {y[0]:F6} (target {Math.Exp(Math.Sin(Math.PI * 0.3) + 0.04):F6})");

/// <summary>The quick-start KAN, compiled at build time for grids 5, 10 and 20.</summary>
[KanModel(2, 5, 1, GridSize = 5, SplineOrder = 3, GridExtensions = new[] { 10, 20 })]
public partial class ToyKan
{
}
