using BenchmarkDotNet.Running;
using KanCompile.Benchmarks;

// dotnet run -c Release --project tests/KanCompile.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile workflow
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile fit [config 0-2] [rounds] [steps]
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile fitparts [config 0-2] [rounds]
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile reg [config 0-2] [rounds] [steps] [threads] [all|step|regularized|statistics]
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile pde [tutorial|paper] [evaluations] [threads]
// KANCOMPILE_KERNEL_CACHE=$(mktemp -d) dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile newshape [fit|lm|symbolic|pde|mult|smooth] [standin|wait]
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile [config 0-2] [seconds or calls] [threads] [all|gradient|forward|step] [adapted]
// dotnet run -c Release --project tests/KanCompile.Benchmarks -- profile scaling <G> <width> <calls> [batch|folded]
if (args.Length > 1 && args[0] == "profile" && args[1] == "fit")
{
    FitOverheadProfile.Run(args);
    return;
}

if (args.Length > 1 && args[0] == "profile" && args[1] == "fitparts")
{
    FitPartsProfile.Run(args);
    return;
}

if (args.Length > 1 && args[0] == "profile" && args[1] == "reg")
{
    RegularizerProfile.Run(args);
    return;
}

if (args.Length > 1 && args[0] == "profile" && args[1] == "workflow")
{
    WorkflowProfile.Run();
    return;
}

if (args.Length > 1 && args[0] == "profile" && args[1] == "newshape")
{
    NewShapeProfile.Run(args);
    return;
}

if (args.Length > 1 && args[0] == "profile" && args[1] == "pde")
{
    PdeProfile.Run(args);
    return;
}

if (args.Length > 0 && args[0] == "profile")
{
    ProfileHarness.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
