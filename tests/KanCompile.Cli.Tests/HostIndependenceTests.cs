using System.Diagnostics;
using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>
/// Same seed, same bits on any x64 host: `kan fit` (a regularised L-BFGS fit with grid updates, pruning, a refined
/// grid and pykan's auto-symbolic with the fast symbolic fit) runs in child processes with the full instruction set,
/// with AVX-512 switched off (4-lane vectors, as on AVX2-only hosts) and with AVX2 switched off (no 256-bit vector
/// acceleration) and with every hardware intrinsic switched off (the kernels' and TensorPrimitives' scalar fallbacks,
/// which no CI host would run otherwise), and must save byte-identical models and report
/// identical numbers. The processes share one fresh kernel cache, so the first compiles and the others load: a cold
/// and a warm cache must agree too.
/// </summary>
public sealed class HostIndependenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_fit_and_its_formula_are_the_same_bits_with_and_without_avx512_avx2_and_any_intrinsics()
    {
        string data = _temp.WriteProductData("data.csv", rows: 120, seed: 5);
        string cache = _temp.File("kernels");
        (string Name, string[] Environment)[] hosts =
        [
            ("default", []),
            ("no AVX-512", ["DOTNET_EnableAVX512=0", "DOTNET_EnableAVX512F=0"]),
            ("no AVX2", ["DOTNET_EnableAVX2=0"]),
            ("no hardware intrinsics", ["DOTNET_EnableHWIntrinsic=0"]),
        ];

        // One model path for every run (the report names it): each run's file is read before the next overwrites it.
        string model = _temp.File("model.kan.json");
        var results = new List<(string Name, string Model, string Report)>();
        foreach (var (name, environment) in hosts)
        {
            string stdout = RunCli(cache, environment, "fit", data, "--target", "y", "--steps", "6", "--lambda", "0.001", "--prune",
                "--grids", "7", "--symbolic", "--recipe", "pykan", "--lib", "x,x^2,sin,exp", "--seed", "2", "--save", model, "--json");
            results.Add((name, File.ReadAllText(model), WithoutTimes(stdout)));
        }

        foreach (var (name, saved, report) in results.Skip(1))
        {
            Assert.True(results[0].Model == saved, $"The model saved with {name} differs from the default host's.");
            Assert.Equal(results[0].Report, report);
        }
    }

    private static string RunCli(string cache, string[] environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kan.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[TestKernelCache.Variable] = cache;
        foreach (string setting in environment)
        {
            string[] parts = setting.Split('=', 2);
            start.Environment[parts[0]] = parts[1];
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kan {string.Join(' ', args)} with [{string.Join(", ", environment)}] exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    // Everything `kan fit --json` reports except how long it took.
    private static string WithoutTimes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.EnumerateObject()
            .Where(p => p.Name != "seconds" && p.Name != "phases")
            .Select(p => p.Name + "=" + p.Value.GetRawText());
        var phases = document.RootElement.TryGetProperty("phases", out JsonElement list)
            ? list.EnumerateArray().Select(phase => string.Join(";", phase.EnumerateObject().Where(p => !p.Name.Contains("econds", StringComparison.Ordinal)).Select(p => p.Name + "=" + p.Value.GetRawText())))
            : [];
        return string.Join("\n", properties.Concat(phases));
    }
}
