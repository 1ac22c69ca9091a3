using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using KanCompile.Compilation;
using KanCompile.Generators.Model;
using KanCompile.Training;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The stand-in on hosts without 256-bit vectors (ARM64, x64 without AVX2): the emitted kernels take their scalar branches
/// there (<c>if (Vector256.IsHardwareAccelerated)</c> … else), and so must the stand-in. This machine has the vectors, and
/// .NET decides them at start-up, so each test runs <see cref="StandInWithoutVectorsChild"/> in a child process of this
/// test assembly with a runtime switch that turns them off: the bit-identity comparisons against built-in and compiled
/// kernels at every spline order and continued beyond the grid, the allocation checks, and fits with the compile held
/// back (k = 3 and k = 5). The child's fits must also end in the bits the same fits give here, with vectors: same seed,
/// same bits, on any host.
/// </summary>
public class StandInWithoutVectorsTests
{
    /// <summary>
    /// No AVX at all (Vector256 and Avx off: the branches ARM64 takes); and AVX and FMA without 256-bit vector acceleration
    /// (the lattice windows and BackpropSingle's four-input step, which test Avx.IsSupported, beside scalar edge helpers).
    /// </summary>
    public static TheoryData<string, string> Switches => new()
    {
        { "DOTNET_EnableAVX", "0" },
        { "DOTNET_PreferredVectorBitWidth", "128" },
    };

    /// <summary>Every built-in shape <see cref="RuntimeShapedKernelTests"/> compares, and two built-in products.</summary>
    internal static KernelSpec[] BuiltInSpecs =>
    [
        .. RuntimeShapedKernelTests.BuiltInShapes.Select(row => new KernelSpec((int[])row[0]!, (int)row[1]!, 3, KernelBaseFunction.SiLU)),
        new KernelSpec([2, 1, 1], 10, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0]),
        new KernelSpec([3, 0, 1], 10, 3, KernelBaseFunction.SiLU, multiplicationNodes: [0, 1, 0]),
    ];

    /// <summary>
    /// Compiled kernels the in-process tests compile too (one compile per run serves both): the halving interval search
    /// (G = 28), edge helpers with an overlapping last vector (9, 6, and 7 with dL/dx: the fit's shape) before multi-output
    /// layers, the identity and zero base functions, products of two and three (4-wide layers with dL/dx); the other spline
    /// orders (<see cref="RuntimeShapedKernelTests.OtherOrderSpec"/>: k = 0 and 1 with the scalar Horner where vector hosts
    /// take table windows, products at k = 2, eight-slot windows at k = 4, 5, 7, one-output and five-output last layers);
    /// and <see cref="KernelBeyondGrid.Smooth"/>'s continued windows at k = 3 (sums with the halving search, products).
    /// </summary>
    internal static KernelSpec[] CompiledSpecs =>
    [
        new KernelSpec([2, 9, 3, 1], 28, 3, KernelBaseFunction.SiLU),
        new KernelSpec([2, 6, 2], 7, 3, KernelBaseFunction.SiLU),
        FitSpec,
        new KernelSpec([2, 5, 1], 6, 3, KernelBaseFunction.Identity),
        new KernelSpec([3, 4, 2], 5, 3, KernelBaseFunction.Zero),
        RuntimeShapedKernelTests.ProductsOfThree,
        RuntimeShapedKernelTests.ProductsOfTwo,
        .. OtherOrders.Select(RuntimeShapedKernelTests.OtherOrderSpec),
        RuntimeShapedKernelTests.SmoothSums,
        RuntimeShapedKernelTests.SmoothProducts,
        .. SmoothOrders.Select(RuntimeShapedKernelTests.SmoothOrderSpec),
    ];

    /// <summary>The continued specs at other orders the child compares: k = 0 (boundary value), 2 (lattice windows, products), 5 (eight slots, five outputs).</summary>
    internal static int[] SmoothOrders => [0, 2, 5];

    /// <summary>The spline orders besides 3 the child compares (6 differs from 5 and 7 only in how many of the eight slots are zero).</summary>
    internal static int[] OtherOrders => [0, 1, 2, 4, 5, 7];

    /// <summary>Input derivatives (no branch on the host in their emitters) on one built-in shape.</summary>
    internal static KernelSpec DerivativeSpec => new([3, 5, 1], 10, 3, KernelBaseFunction.SiLU);

    /// <summary>Input derivatives at other orders and continued (compiled): products at k = 2, eight-slot jets at k = 5, Smooth sums.</summary>
    internal static KernelSpec[] CompiledDerivativeSpecs => [RuntimeShapedKernelTests.OtherOrderSpec(2), RuntimeShapedKernelTests.OtherOrderSpec(5), RuntimeShapedKernelTests.SmoothSums, RuntimeShapedKernelTests.SmoothOrderSpec(5)];

    /// <summary>
    /// The fit at another spline order: <see cref="RuntimeShapedKernelTests.OtherOrderSpec"/>(5), [2, 6, 5] on G = 4 (eight-slot
    /// windows, both layers ≥ 4 wide with an overlapping last vector, dL/dx through the six hidden nodes). Compiled in-process
    /// by RuntimeShapedKernelTests; no in-process test holds its compile back.
    /// </summary>
    internal static KernelSpec OtherOrderFitSpec => RuntimeShapedKernelTests.OtherOrderSpec(5);

    internal static KanDataset OtherOrderFitData() => KanDataset.FromFunction(
        (x, y) =>
        {
            for (int o = 0; o < 5; o++)
            {
                y[o] = Math.Sin((o + 1) * x[0]) + (0.3 * o * x[1] * x[1]);
            }
        },
        inputCount: 2,
        outputCount: 5,
        trainCount: 40,
        testCount: 10,
        seed: 5);

    private static readonly Lazy<string> ExpectedOtherOrderFit = new(() =>
        "order 5 " + FitLine(KernelStandInTests.Train(new KanNetwork(OtherOrderFitSpec.Widths, gridSize: OtherOrderFitSpec.GridSize, splineOrder: OtherOrderFitSpec.SplineOrder, seed: 3), OtherOrderFitData(), null)));

    /// <summary>The fit's shape (<see cref="RuntimeShapedKernelTests.ThreeLayersWithTwoOutputs"/>): seven nodes whose edges carry dL/dx back (a whole vector and an overlapping one), two outputs.</summary>
    internal static KernelSpec FitSpec => RuntimeShapedKernelTests.ThreeLayersWithTwoOutputs;

    private static readonly Lazy<string> ExpectedFit = new(() =>
        FitLine(KernelStandInTests.Train(new KanNetwork(FitSpec.Widths, gridSize: FitSpec.GridSize, seed: 3), FitData(), null)));

    private static readonly Lazy<string> ExpectedLatticeFit = new(() => LatticeFit());

    /// <summary>
    /// A fit that keeps pykan's initial, evenly spaced grid (no grid update), on a built-in [3,5,1] G5 kernel: every knot
    /// row stays on a lattice, so the batch path takes its lattice windows throughout. Its outcome as a <see cref="FitLine"/>
    /// ("lattice fit: …").
    /// </summary>
    internal static string LatticeFit()
    {
        var data = KanDataset.FromFunction(x => Math.Sin(2 * x[0]) + (x[1] * x[2]), inputCount: 3, trainCount: 64, testCount: 16, seed: 4);
        var model = new KanNetwork([3, 5, 1], gridSize: 5, seed: 3);
        FitResult result = model.Fit(data, new FitOptions { Steps = 10, UpdateGrid = false });
        var predictions = new double[data.TestCount];
        model.Predict(data.TestInputs, predictions);
        return "lattice " + FitLine(new KernelStandInTests.Run(model.Parameters.ToArray(), model.KnotBuffer.ToArray(), [.. result.TrainRmse, .. result.TestRmse], predictions));
    }

    internal static KanDataset FitData() => KanDataset.FromFunction(
        (x, y) =>
        {
            y[0] = Math.Sin(2 * x[0]) + (x[1] * x[1]);
            y[1] = Math.Exp(-x[1] * x[1]) - (0.5 * x[0]);
        },
        inputCount: 2,
        outputCount: 2,
        trainCount: 60,
        testCount: 20,
        seed: 12);

    /// <summary>A fit's outcome as one line: the SHA-256 of every bit it left, and its losses' bits.</summary>
    internal static string FitLine(KernelStandInTests.Run run)
    {
        double[] all = [.. run.Parameters, .. run.Knots, .. run.Losses, .. run.Predictions];
        byte[] digest = SHA256.HashData(all.SelectMany(v => BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(v))).ToArray());
        return $"fit: sha256 {Convert.ToHexStringLower(digest)}, losses {string.Join(" ", run.Losses.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16")))}";
    }

    [Theory]
    [MemberData(nameof(Switches))]
    public void Without_vectors_the_stand_in_gives_the_compiled_kernels_bits_and_a_fit_the_same_bits(string variable, string value)
    {
        // Every compiled kernel the child compares, in this run's kernel cache: the child loads them, it compiles nothing.
        foreach (KernelSpec spec in CompiledSpecs)
        {
            RuntimeShapedKernelTests.Compiled(spec);
        }

        string cache = KernelCache.Default!.Directory;
        foreach (KernelSpec spec in new[] { FitSpec, OtherOrderFitSpec })
        {
            Assert.True(File.Exists(KernelCache.Default.PathOf(KernelCache.KeyOf(KernelCompiler.WriteSource(spec)))), $"{spec} is not in the kernel cache {cache}.");
        }

        (int exitCode, string output) = RunChild(variable, value, StandInWithoutVectorsChild.Command, cache);
        string context = $"child with {variable}={value} (exit code {exitCode}):\n{output}";
        Assert.True(exitCode == 0, context);
        Assert.Contains("Vector256.IsHardwareAccelerated=False", output);
        Assert.Contains(variable == "DOTNET_EnableAVX" ? "Avx.IsSupported=False" : $"Avx.IsSupported={Avx.IsSupported}", output);
        string fit = output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("fit: ", StringComparison.Ordinal));
        Assert.True(fit == ExpectedFit.Value, $"The fit without vectors left other bits than the same fit here.\nhere:  {ExpectedFit.Value}\nchild: {fit}\n{context}");
        string latticeFit = output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("lattice fit: ", StringComparison.Ordinal));
        Assert.True(latticeFit == ExpectedLatticeFit.Value, $"The fit on a lattice grid without vectors left other bits than the same fit here.\nhere:  {ExpectedLatticeFit.Value}\nchild: {latticeFit}\n{context}");
        string otherOrderFit = output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("order 5 fit: ", StringComparison.Ordinal));
        Assert.True(otherOrderFit == ExpectedOtherOrderFit.Value, $"The fit at spline order 5 without vectors left other bits than the same fit here.\nhere:  {ExpectedOtherOrderFit.Value}\nchild: {otherOrderFit}\n{context}");
    }

    /// <summary>Runs this test assembly as a program (its entry point dispatches the command) with one runtime switch set.</summary>
    private static (int ExitCode, string Output) RunChild(string variable, string value, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(StandInWithoutVectorsTests).Assembly.Location);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[variable] = value;
        using Process child = Process.Start(start)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            Assert.Fail($"The child with {variable}={value} did not finish in 5 minutes:\n{output.Result}{error.Result}");
        }

        child.WaitForExit();
        return (child.ExitCode, output.Result + error.Result);
    }

    /// <summary>The dotnet host running this process (the test host runs under it), else the one the SDK names, else the one on the path.</summary>
    private static string DotnetHost()
    {
        string? path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
