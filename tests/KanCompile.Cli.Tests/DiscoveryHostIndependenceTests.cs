using System.Text.Json;
using KanCompile.Cli.Tests.Support;

namespace KanCompile.Cli.Tests;

/// <summary>
/// The same seed gives the same formula on any x64 machine (issue 18 item 5): `kan fit --symbolic` with its default
/// recipe (the formula search) runs in child processes with the full instruction set, without AVX-512 and without
/// AVX2, and must report the same formula, structure, splits tried and candidates, number for number.
/// </summary>
public sealed class DiscoveryHostIndependenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_formula_search_finds_the_same_formula_with_and_without_avx512_and_avx2()
    {
        string data = _temp.WriteProductData("data.csv", rows: 300, seed: 5);
        string cache = _temp.File("kernels");
        (string Name, string[] Environment)[] hosts =
        [
            ("default", []),
            ("no AVX-512", ["DOTNET_EnableAVX512=0", "DOTNET_EnableAVX512F=0"]),
            ("no AVX2", ["DOTNET_EnableAVX2=0"]),
        ];

        var reports = hosts
            .Select(host => (host.Name, Report: Search(HostIndependenceTests.RunCli(cache, host.Environment, "fit", data, "--target", "y", "--steps", "10", "--symbolic", "--seed", "3", "--json"))))
            .ToArray();
        Assert.Contains("a + b*c", reports[0].Report);
        foreach (var (name, report) in reports.Skip(1))
        {
            Assert.True(reports[0].Report == report, $"The search with {name} differs from the default host's:\n{report}\nversus\n{reports[0].Report}");
        }
    }

    /// <summary>The formula and everything the search reports except how long it took.</summary>
    private static string Search(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var search = root.GetProperty("search").EnumerateObject().Where(p => p.Name != "seconds").Select(p => p.Name + "=" + p.Value.GetRawText());
        return string.Join("\n", new[] { "formula=" + root.GetProperty("formula").GetString(), "formulaTestRmse=" + root.GetProperty("formulaTestRmse").GetRawText() }.Concat(search));
    }
}
