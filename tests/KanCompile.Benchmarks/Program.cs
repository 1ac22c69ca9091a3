using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
