namespace KanCompile.Cli.Fitting;

/// <summary>Everything <c>kan fit</c> was asked to do, as parsed from the command line.</summary>
internal sealed record FitSettings
{
    /// <summary>The CSV file with a header row.</summary>
    public required string DataPath { get; init; }

    /// <summary>Label column names (<c>--target</c>).</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Input column names (<c>--inputs</c>); null means every non-target column.</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>Full widths, inputs first (<c>--width</c>); null means [inputs, <see cref="Hidden"/>, targets].</summary>
    public IReadOnlyList<int>? Widths { get; init; }

    /// <summary>Hidden-layer width when <see cref="Widths"/> is not given (<c>--hidden</c>); null means the default 5.</summary>
    public int? Hidden { get; init; }

    /// <summary>Multiplication nodes added to each hidden layer (<c>--mult</c>, pykan's MultKAN); 0 for a plain KAN.</summary>
    public int Multiplication { get; init; }

    /// <summary>Sub-nodes each multiplication node multiplies (<c>--mult-arity</c>, pykan's <c>mult_arity</c>).</summary>
    public int MultiplicationArity { get; init; } = 2;

    /// <summary>Multiplication nodes per layer for the resolved widths: <see cref="Multiplication"/> on every hidden layer, or null.</summary>
    public int[]? MultiplicationNodes(int layers) =>
        Multiplication == 0 ? null : Enumerable.Range(0, layers).Select(l => l == 0 || l == layers - 1 ? 0 : Multiplication).ToArray();

    /// <summary>Initial grid intervals G (<c>--grid</c>).</summary>
    public int Grid { get; init; } = 5;

    /// <summary>Grid sizes to refine to, in order, each followed by a fit (<c>--grids</c>).</summary>
    public IReadOnlyList<int> Grids { get; init; } = [];

    /// <summary>Spline order k (<c>--order</c>).</summary>
    public int Order { get; init; } = 3;

    /// <summary>Optimiser steps of every fit phase (<c>--steps</c>).</summary>
    public int Steps { get; init; } = 50;

    /// <summary>The optimiser (<c>--optimizer</c>).</summary>
    public KanOptimizer Optimizer { get; init; } = KanOptimizer.LBfgs;

    /// <summary>Learning rate (<c>--lr</c>); null means 1 for L-BFGS (pykan) and 0.01 for Adam.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Regularisation weight λ (<c>--lambda</c>).</summary>
    public double Lambda { get; init; }

    /// <summary>Prune after the first fit, then fit again (<c>--prune</c>).</summary>
    public bool Prune { get; init; }

    /// <summary>Replace the splines by symbolic functions and report the formula (<c>--symbolic</c>).</summary>
    public bool Symbolic { get; init; }

    /// <summary>Symbolic library names (<c>--lib</c>); null means pykan's default library.</summary>
    public IReadOnlyList<string>? Library { get; init; }

    /// <summary>
    /// How --symbolic finds the formula (<c>--recipe</c>); null means the default, <see cref="SymbolicRecipe.Discovery"/>
    /// (with <c>--mult N</c> its product shapes use up to N multiplication nodes of arity <c>--mult-arity</c>).
    /// </summary>
    public SymbolicRecipe? Recipe { get; init; }

    /// <summary>The recipe --symbolic runs: pykan's for classifiers (the search fits regression laws).</summary>
    public SymbolicRecipe EffectiveRecipe => Recipe ?? (Classify ? SymbolicRecipe.Pykan : SymbolicRecipe.Discovery);

    /// <summary>Share of rows held out for testing (<c>--test-fraction</c>).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the row shuffle and of the model's initialisation (<c>--seed</c>).</summary>
    public int Seed { get; init; }

    /// <summary>Where to save the trained model (<c>--save</c>), or null.</summary>
    public string? SavePath { get; init; }

    /// <summary>Where to write the formula as a C# class (<c>--export-cs</c>), or null.</summary>
    public string? ExportCsPath { get; init; }

    /// <summary>Where to draw the network as SVG (<c>--plot</c>), or null.</summary>
    public string? PlotPath { get; init; }

    /// <summary>Write one JSON object to stdout instead of text (<c>--json</c>).</summary>
    public bool Json { get; init; }

    /// <summary>
    /// The target column holds classes (<c>--classify</c>): train a classifier with cross-entropy (one logit per class;
    /// with two classes one logit and the logistic loss) and report accuracy.
    /// </summary>
    public bool Classify { get; init; }

    /// <summary>Compiled kernels (default) or the reference engine (<c>--engine</c>).</summary>
    public KanEngine Engine { get; init; } = KanEngine.Compiled;

    /// <summary>What the splines do beyond the grid (<c>--beyond-grid</c>); saved with the model.</summary>
    public KanBeyondGrid BeyondGrid { get; init; } = KanBeyondGrid.Pykan;

    /// <summary>The hidden width used when neither --width nor --hidden is given.</summary>
    public const int DefaultHidden = 5;

    /// <summary>The learning rate the fits use.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == KanOptimizer.Adam ? 0.01 : 1.0);

    /// <summary>
    /// pykan's fit settings for every fit phase; for a class dataset (<c>--classify</c>) the classification loss and the
    /// accuracy metrics.
    /// </summary>
    public FitOptions ToFitOptions(KanDataset? data = null) => new()
    {
        Steps = Steps,
        Optimizer = Optimizer,
        LearningRate = EffectiveLearningRate,
        Lambda = Lambda,
        Seed = Seed,
        Loss = data is not { IsClassification: true } ? KanLoss.MeanSquaredError : data.ClassCount == 2 ? KanLoss.BinaryLogistic : KanLoss.SoftmaxCrossEntropy,
        Metrics = data is { IsClassification: true } ? [KanMetric.TrainAccuracy, KanMetric.TestAccuracy] : [],
    };

    /// <summary>Outputs a classifier of <paramref name="classes"/> classes has: one logit per class, or one logit for two classes.</summary>
    public static int ClassifierOutputs(int classes) => classes == 2 ? 1 : classes;

    /// <summary>
    /// Checks the options against each other (each one alone was checked while parsing) and that every
    /// output folder exists, before any data is read or time spent training.
    /// </summary>
    /// <exception cref="KanCliException">The first problem, naming the options involved.</exception>
    public void Validate()
    {
        if (Widths is not null && Hidden is not null)
        {
            throw KanCliException.Usage("--width and --hidden both set the hidden layers; give only one of them.");
        }

        if (Widths is { Count: < 2 })
        {
            throw KanCliException.Usage($"--width needs at least an input and an output width, e.g. 2,5,1; got {string.Join(",", Widths)}.");
        }

        if (Multiplication > 0 && Widths is { Count: 2 })
        {
            throw KanCliException.Usage("--mult adds multiplication nodes to the hidden layers, but --width has none; give at least one hidden width, e.g. --width 2,5,1.");
        }

        if (Optimizer == KanOptimizer.LevenbergMarquardt && Lambda != 0)
        {
            throw KanCliException.Usage($"--optimizer lm minimises the squared error alone, but --lambda is {Lambda}; drop --lambda or use --optimizer lbfgs or adam for a regularised fit.");
        }

        if (Classify && Targets.Count != 1)
        {
            throw KanCliException.Usage($"--classify trains on one class column; --target names {Targets.Count} ({string.Join(", ", Targets)}).");
        }

        if (Classify && Optimizer == KanOptimizer.LevenbergMarquardt)
        {
            throw KanCliException.Usage("--optimizer lm minimises the squared error, but --classify trains with cross-entropy; use --optimizer lbfgs or adam.");
        }

        if (Classify && Symbolic && Recipe == SymbolicRecipe.Discovery)
        {
            throw KanCliException.Usage("--recipe discovery searches for regression laws; with --classify use --recipe pykan (the default), which turns the trained logits into formulas.");
        }

        if (Library is not null && !Symbolic)
        {
            throw KanCliException.Usage("--lib chooses the functions of the symbolic fit; add --symbolic to use it.");
        }

        if (Recipe is not null && !Symbolic)
        {
            throw KanCliException.Usage("--recipe chooses how the symbolic formula is found; add --symbolic to use it.");
        }

        if (ExportCsPath is not null && !Symbolic)
        {
            throw KanCliException.Usage("--export-cs writes the symbolic formula; add --symbolic to compute one.");
        }

        CliFiles.RequireDirectoryFor(SavePath, "--save");
        CliFiles.RequireDirectoryFor(ExportCsPath, "--export-cs");
        CliFiles.RequireDirectoryFor(PlotPath, "--plot");
        ModelPlot.RequireSupportedExtension(PlotPath, "--plot");
    }
}
