#:project ../src/KanCompile/KanCompile.csproj
#:property PublishAot=false
// pykan's quick start as a file-based app: `dotnet run samples/quickstart.cs` (.NET 10 SDK, nothing else).
// File-based apps default to PublishAot=true, which turns dynamic code off even under the JIT; KanCompile would then
// run shapes it has no built-in kernel for on its (slower) reference engine instead of compiling one. The source
// generator does not run in file-based apps, so the model is a KanNetwork; its kernels ([2,5,1] G=3, the pruned
// [2,1,1]) are built into KanCompile.
using KanCompile;
using KanCompile.Symbolic;

// f(x, y) = exp(sin(πx) + y²): 1000 train + 1000 test points on [-1, 1]², like pykan's create_dataset.
KanDataset data = KanDataset.FromFunction(x => Math.Exp(Math.Sin(Math.PI * x[0]) + x[1] * x[1]), inputCount: 2);

var model = new KanNetwork([2, 5, 1], gridSize: 3, seed: 1);            // pykan: KAN(width=[2,5,1], grid=3, k=3, seed=1)
FitResult fit = model.Fit(data, new FitOptions { Steps = 50, Lambda = 1e-3 });
Console.WriteLine($"[2,5,1] G=3: test RMSE {fit.TestRmse[^1]:E2}");

KanNetwork pruned = model.Prune();                                      // pykan: model.prune()
pruned.Fit(data, new FitOptions { Steps = 50 });
pruned.Refine(10);                                                      // pykan: model.refine(10)
fit = pruned.Fit(data, new FitOptions { Steps = 50 });
Console.WriteLine($"[{string.Join(",", pruned.Widths)}] G=10: test RMSE {fit.TestRmse[^1]:E2}");

var library = SymbolicLibrary.Create("x", "x^2", "exp", "sin", "tanh", "log");
foreach (AutoSymbolicEntry entry in pruned.AutoSymbolic(library)) Console.WriteLine(entry);
fit = pruned.Fit(data, new FitOptions { Steps = 20, Optimizer = KanOptimizer.LevenbergMarquardt });
Console.WriteLine($"formula: {pruned.SymbolicFormula(["x", "y"], roundDigits: 4).ToText()} (test RMSE {fit.TestRmse[^1]:E2})");
File.WriteAllText("Formula.cs", pruned.ExportCSharp("Formula", "MyApp"));        // the formula as plain C#, needing only System
