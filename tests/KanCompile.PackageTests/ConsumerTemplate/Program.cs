using KanCompile;

// The generated model must agree with the runtime's reference engine for the same shape and seed.
const int Seed = 7;
var generated = new Consumer(Seed);
var reference = new KanNetwork(new[] { 2, 3, 1 }, 5, 3, Seed, engine: KanEngine.Reference);

double[][] inputs = { new[] { 0.3, -0.4 }, new[] { -0.9, 0.75 }, new[] { 0.0, 0.0 }, new[] { 1.0, -1.0 } };
double worst = 0.0;
double largest = 0.0;
var generatedOutput = new double[1];
var referenceOutput = new double[1];
foreach (double[] input in inputs)
{
    generated.Forward(input, generatedOutput);
    reference.Forward(input, referenceOutput);
    worst = Math.Max(worst, Math.Abs(generatedOutput[0] - referenceOutput[0]));
    largest = Math.Max(largest, Math.Abs(referenceOutput[0]));
    Console.WriteLine($"f({input[0]:R}, {input[1]:R}) generated={generatedOutput[0]:R} reference={referenceOutput[0]:R}");
}

// A model that outputs zeros everywhere would agree trivially: require a real signal too.
bool agrees = worst <= 1e-12 && largest > 1e-6;
Console.WriteLine($"parameters={generated.ParameterCount} worst={worst:E3} largest={largest:R}");
Console.WriteLine(agrees ? "KANCOMPILE-PACKAGE-OK" : "KANCOMPILE-PACKAGE-MISMATCH");
return agrees ? 0 : 1;

/// <summary>Declared only through the packaged attribute; the packaged generator writes the rest.</summary>
[KanModel(2, 3, 1, GridSize = 5)]
public partial class Consumer
{
}
