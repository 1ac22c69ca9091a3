using KanCompile;

namespace ScalingLaws;

/// <summary>The sample's command line: <c>[output.png] [--seeds 0,1,2] [--beyond-grid both|smooth|pykan]</c>.</summary>
public sealed record SweepArguments(string PlotPath, int[] DataSeeds, KanBeyondGrid[] Behaviours)
{
    /// <summary>Reads the arguments; anything unrecognised stops the sample with a message.</summary>
    public static SweepArguments Parse(string[] args)
    {
        string plotPath = "scaling-laws.png";
        int[] seeds = [0, 1, 2];
        KanBeyondGrid[] behaviours = [KanBeyondGrid.Smooth, KanBeyondGrid.Pykan];
        for (int a = 0; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--seeds" when a + 1 < args.Length:
                    seeds = args[++a].Split(',').Select(int.Parse).ToArray();
                    break;
                case "--beyond-grid" when a + 1 < args.Length:
                    behaviours = args[++a] switch
                    {
                        "both" => behaviours,
                        "smooth" => [KanBeyondGrid.Smooth],
                        "pykan" => [KanBeyondGrid.Pykan],
                        string other => throw new ArgumentException($"--beyond-grid is '{other}'; use both, smooth or pykan."),
                    };
                    break;
                case string option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option '{option}'. Usage: [output.png] [--seeds 0,1,2] [--beyond-grid both|smooth|pykan]");
                default:
                    plotPath = args[a];
                    break;
            }
        }

        return new SweepArguments(Path.GetFullPath(plotPath), seeds, behaviours);
    }

    /// <summary>The behaviour's name as the CLI spells it.</summary>
    public static string Name(KanBeyondGrid behaviour) => behaviour == KanBeyondGrid.Smooth ? "smooth" : "pykan";
}
