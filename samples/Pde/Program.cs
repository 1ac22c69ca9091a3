using KanCompile.Samples.Pde;

// Physics-informed KANs: PDEs solved with exact input derivatives (docs/pde.md).
//   dotnet run -c Release --project samples/Pde              every section
//   dotnet run -c Release --project samples/Pde -- paper     one of: tutorial, paper, burgers, formula
string output = Directory.CreateDirectory("output").FullName;
string[] sections = args.Length > 0 ? args : ["tutorial", "paper", "burgers", "formula"];
foreach (string section in sections)
{
    switch (section)
    {
        case "tutorial":
            TutorialPoisson.Run(output);
            break;
        case "paper":
            PaperPoisson.Run(output);
            break;
        case "burgers":
            ViscousBurgers.Run(output);
            break;
        case "formula":
            SolutionFormula.Run();
            break;
        default:
            Console.Error.WriteLine($"Unknown section '{section}'; use tutorial, paper, burgers or formula.");
            return 1;
    }

    Console.WriteLine();
}

Console.WriteLine($"Plots: {output}");
return 0;
