// pykan's Example 8 (continual learning): a 1-D function with five Gaussian peaks exp(−300(x − c)²), c = −0.8 … 0.8,
// learned in five stages, each seeing only the 100 samples around one peak. [1,1], grid 200, k = 3, base function zero,
// scale_base and scale_sp frozen (pykan's sb_trainable / sp_trainable = False), 100 L-BFGS steps per stage, no grid
// update. After every stage the sample measures the error on every peak's samples: the earlier peaks are kept, because
// a spline coefficient only moves where the stage's samples are.
using KanCompile;

const int Peaks = 5, PerPeak = 100;
double[] centers = Enumerable.Range(0, Peaks).Select(p => 2.0 / Peaks * (p - Peaks / 2.0 + 0.5)).ToArray();
double Target(double x) => centers.Sum(c => Math.Exp(-300 * (x - c) * (x - c)));

// Each peak's samples: 100 evenly spaced points on [c − 1/5, c + 1/5].
double[][] inputs = centers.Select(c => Enumerable.Range(0, PerPeak).Select(i => c - 1.0 / Peaks + 2.0 / Peaks * i / (PerPeak - 1)).ToArray()).ToArray();
double[][] labels = inputs.Select(xs => xs.Select(Target).ToArray()).ToArray();

var model = new KanNetwork([1, 1], gridSize: 200, splineOrder: 3, seed: 0, baseFunction: KanBaseFunction.Zero);

// pykan's tutorial initialises with noise_scale 0.1; KanCompile's initialisation uses pykan's default 0.3, and the
// initial coefficients are linear in the noise, so scaling them by 1/3 gives the tutorial's start.
Span<double> parameters = model.Parameters;
int coefficients = model.GridSize + model.SplineOrder;
for (int c = 0; c < coefficients; c++)
{
    parameters[c] *= 0.1 / 0.3;
}

var options = new FitOptions { Steps = 100, UpdateGrid = false, ScaleBaseTrainable = false, ScaleSplineTrainable = false };
Console.WriteLine("RMSE on each peak's samples after each stage (rows: stage; columns: peak). Earlier peaks stay learned.");
Console.WriteLine("stage | " + string.Join(" | ", centers.Select(c => $"peak {c,4:F1}")));
for (int stage = 0; stage < Peaks; stage++)
{
    var data = new KanDataset(inputs[stage], labels[stage], inputs[stage], labels[stage], 1, 1);
    model.Fit(data, options);
    var row = new List<string>();
    for (int peak = 0; peak < Peaks; peak++)
    {
        var predicted = new double[PerPeak];
        model.Predict(inputs[peak], predicted);
        double rmse = Math.Sqrt(predicted.Zip(labels[peak]).Average(p => (p.First - p.Second) * (p.First - p.Second)));
        row.Add(peak <= stage ? $"{rmse,9:E2}" : $"({rmse:E1})");
    }

    Console.WriteLine($"{stage + 1,5} | " + string.Join(" | ", row));
}

Console.WriteLine("Parenthesised: peaks not yet shown (their error is the untrained spline's).");
