using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic.Discovery;

// The dimensionless Feynman laws of the KAN paper (kan-math §3.2), each discovered end to end by
// KanFormulaSearch.Discover with its one default configuration: nothing below is chosen per law except the
// law itself and input ranges that keep it away from singularities. 1000 train / 1000 test points uniform on
// the ranges. Recovered = the formula's own test RMSE <= 1e-6. Pass law names to run only those.
var laws = new (string Name, string Law, Func<double, double, double> F, (double, double) A, (double, double) B)[]
{
    ("I.6.2", "exp(-(a/b)^2/2)/sqrt(2*pi*b^2)", (a, b) => Math.Exp(-a * a / (2 * b * b)) / Math.Sqrt(2 * Math.PI * b * b), (-1, 1), (0.5, 2)),
    ("I.12.11", "1 + a*sin(b)", (a, b) => 1 + a * Math.Sin(b), (-1, 1), (-1.5, 1.5)),
    ("I.13.12", "a*(1/b - 1)", (a, b) => a * (1 / b - 1), (-1, 1), (0.5, 2)),
    ("I.15.3x", "(1 - a)/sqrt(1 - b^2)", (a, b) => (1 - a) / Math.Sqrt(1 - b * b), (-1, 1), (-0.8, 0.8)),
    ("I.18.4", "(1 + a*b)/(1 + a)", (a, b) => (1 + a * b) / (1 + a), (0, 2), (-1, 1)),
    ("I.26.2", "asin(a*sin(b))", (a, b) => Math.Asin(a * Math.Sin(b)), (0, 0.9), (-1.5, 1.5)),
    ("I.27.6", "1/(1 + a*b)", (a, b) => 1 / (1 + a * b), (0, 2), (0, 2)),
    ("I.30.5", "asin(a/b)", (a, b) => Math.Asin(a / b), (0, 0.9), (1, 2)),
    ("I.37.4", "1 + a + 2*sqrt(a)*cos(b)", (a, b) => 1 + a + 2 * Math.Sqrt(a) * Math.Cos(b), (0.1, 2), (-3, 3)),
    ("I.40.1", "a*exp(-b)", (a, b) => a * Math.Exp(-b), (0.2, 2), (-1, 2)),
    ("I.44.4", "a*log(b)", (a, b) => a * Math.Log(b), (-1, 1), (0.5, 3)),
    ("II.2.42", "(a - 1)*b", (a, b) => (a - 1) * b, (-1, 1), (-1, 1)),
    ("II.35.18", "a/(exp(b) + exp(-b))", (a, b) => a / (Math.Exp(b) + Math.Exp(-b)), (0.5, 2), (-2, 2)),
    ("II.38.3", "a/b", (a, b) => a / b, (-1, 1), (0.5, 2)),
    ("III.10.19", "sqrt(1 + a^2 + b^2)", (a, b) => Math.Sqrt(1 + a * a + b * b), (-1, 1), (-1, 1)),
};

var selected = args.Length == 0 ? laws : laws.Where(l => args.Contains(l.Name)).ToArray();
int recovered = 0;
var total = Stopwatch.StartNew();
Console.WriteLine($"{"law",-10} {"target",-32} {"formula test RMSE",17} {"seconds",8}  formula");
foreach (var law in selected)
{
    var clock = Stopwatch.StartNew();
    KanDataset data = KanDataset.FromFunction(x => law.F(x[0], x[1]), 2, ranges: new[] { law.A, law.B }, trainCount: 1000, testCount: 1000);
    data = new KanDataset(data.TrainInputs, data.TrainLabels, data.TestInputs, data.TestLabels, 2, 1, ["a", "b"]);
    var verbose = Environment.GetEnvironmentVariable("DISCOVERY_VERBOSE") == "1";
    FormulaSearchResult result = KanFormulaSearch.Discover(data, progress: verbose ? new ConsoleProgress() : null);
    bool ok = result.TestRmse is <= 1e-6;
    recovered += ok ? 1 : 0;
    string rmse = result.TestRmse is double r ? r.ToString("E2") : "-";
    string formula = result.Formula?.ToText() ?? "(none) " + result.Message;
    Console.WriteLine($"{law.Name,-10} {law.Law,-32} {rmse,17} {clock.Elapsed.TotalSeconds,8:F1}  {formula}{(ok ? "" : "   [not recovered]")}");
    if (Environment.GetEnvironmentVariable("DISCOVERY_VERBOSE") == "1")
    {
        Console.WriteLine($"           {result.Message}");
        foreach (var candidate in result.Candidates)
        {
            Console.WriteLine($"           {candidate}");
        }
    }
}

Console.WriteLine($"recovered {recovered}/{selected.Length} in {total.Elapsed.TotalSeconds:F1} s ({Environment.ProcessorCount} cores)");

/// <summary>Prints each search stage as it happens (DISCOVERY_VERBOSE=1).</summary>
internal sealed class ConsoleProgress : IProgress<FormulaSearchProgress>
{
    public void Report(FormulaSearchProgress value) =>
        Console.WriteLine($"           {value.Elapsed.TotalSeconds,6:F1} s  {value.Stage}: {value.Retrains} retrainings, {value.CompleteFormulas} complete, best {value.BestValidationRmse:E2}");
}
