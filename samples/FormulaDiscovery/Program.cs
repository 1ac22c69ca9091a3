using System.Diagnostics;
using KanCompile;
using KanCompile.Symbolic.Discovery;

// The development set (Laws.cs), each law discovered end to end by KanFormulaSearch.Discover with its one default
// configuration: nothing below is chosen per law except the law itself and input ranges that keep it away from
// singularities. 1000 train / 1000 test points uniform on the ranges. Recovered = the formula's own test RMSE
// <= 1e-6. Pass law names to run only those; DISCOVERY_VERBOSE=1 prints the search's stages and candidates.
string[] names = ["a", "b", "c"];
var selected = args.Length == 0 ? Laws.All : Laws.All.Where(l => args.Contains(l.Name)).ToArray();
bool verbose = Environment.GetEnvironmentVariable("DISCOVERY_VERBOSE") == "1";
var seconds = new List<double>();
var cpuSeconds = new List<double>();
var process = Process.GetCurrentProcess();
int recovered = 0, originalRecovered = 0;
var total = Stopwatch.StartNew();
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine($"{"law",-10} {"target",-38} {"test RMSE",9} {"seconds",7} {"CPU s",6}  formula");
foreach (var law in selected)
{
    var clock = Stopwatch.StartNew();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    KanDataset data = KanDataset.FromFunction(x => law.F(x.ToArray()), law.Arity, ranges: law.Ranges, trainCount: 1000, testCount: 1000,
        inputNames: names[..law.Arity]);
    FormulaSearchResult result = KanFormulaSearch.Discover(data, progress: verbose ? new ConsoleProgress() : null);
    bool ok = result.TestRmse is <= 1e-6;
    recovered += ok ? 1 : 0;
    originalRecovered += ok && law.Original ? 1 : 0;
    seconds.Add(clock.Elapsed.TotalSeconds);
    process.Refresh();
    double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    cpuSeconds.Add(cpu);
    string rmse = result.TestRmse is double r ? r.ToString("0.0E+0") : "-";
    string formula = result.Formula?.ToText() ?? "(none) " + result.Message;
    Console.WriteLine($"{law.Name,-10} {law.Target,-38} {rmse,9} {clock.Elapsed.TotalSeconds,7:F1} {cpu,6:F1}  {formula}{(ok ? "" : "   [not recovered]")}");

    // Where the formula came from: the structure the search read (its top split), or the spline shape it was read off.
    string origin = result.Structure?.Description ?? (result.Chosen is { } chosen ? $"shape search {chosen.Shape} seed {chosen.ModelSeed}" : "-");
    Console.WriteLine($"{"",-10} via {origin}; {result.StructuresTried.Count} split(s) tried, {result.Candidates.Count} formula(s) compared, {result.Retrains} retrainings");
    if (verbose)
    {
        Console.WriteLine($"           {result.Message}");
        if (result.Structure is not null)
        {
            Console.WriteLine("           structure:\n" + string.Join("\n", result.Structure.ToText().Split('\n').Select(l => "             " + l)));
        }

        foreach (var tried in result.StructuresTried)
        {
            Console.WriteLine($"           tried {tried}");
        }

        foreach (var candidate in result.Candidates)
        {
            Console.WriteLine($"           {candidate}");
        }
    }
}

int originals = selected.Count(l => l.Original);
Console.WriteLine($"recovered {recovered}/{selected.Length} ({originalRecovered}/{originals} of the KAN paper's 15) in {total.Elapsed.TotalSeconds:F1} s; " +
    $"wall median {Median(seconds):F1} s, slowest {Max(seconds):F1} s; CPU median {Median(cpuSeconds):F1} s, slowest {Max(cpuSeconds):F1} s per law ({Environment.ProcessorCount} cores)");
Console.WriteLine($"load average at end: {LoadAverage()}");

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static double Max(List<double> values) => values.Count == 0 ? 0 : values.Max();

// Wall times mean little on a shared machine: the load says how shared it was (Linux only).
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

/// <summary>Prints each search stage as it happens (DISCOVERY_VERBOSE=1).</summary>
internal sealed class ConsoleProgress : IProgress<FormulaSearchProgress>
{
    public void Report(FormulaSearchProgress value) =>
        Console.WriteLine($"           {value.Elapsed.TotalSeconds,6:F1} s  {value.Stage}: {value.Retrains} retrainings, {value.CompleteFormulas} complete, best {value.BestValidationRmse:E2}");
}
