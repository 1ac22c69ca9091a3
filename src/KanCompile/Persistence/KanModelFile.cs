using KanCompile.Symbolic;
using System.Text.Json;
using KanCompile.Generators.Emit;
using KanCompile.Persistence;

namespace KanCompile;

/// <summary>
/// Saves and loads models as versioned JSON (format <see cref="FormatName"/>, version <see cref="CurrentVersion"/>).
/// <para>Fields, with pykan's names and index orders: <c>format</c>, <c>version</c>, <c>width</c> (node counts,
/// inputs first; addition nodes only when there are multiplication nodes), <c>mult_nodes</c> and <c>mult_arity</c>
/// (version 2, only for models with multiplication nodes: per-layer counts and pykan's <c>mult_arity</c>; edge tensors
/// then run [nodes][sub-nodes]), <c>grid_intervals</c> (current G), <c>spline_order</c> (k), <c>base_fun</c> (<c>silu</c>,
/// <c>identity</c> or <c>zero</c>), <c>grid_range</c> ([min, max] of the initial grid), <c>seed</c>, and
/// <c>layers[l]</c> = {<c>grid</c> [in][G+2k+1] (each input node's extended knots, so adapted grids survive),
/// <c>coef</c> [in][out][G+k], <c>scale_base</c> [in][out], <c>scale_sp</c> [in][out], <c>mask</c> [in][out]}.
/// <c>symbolic_edges</c> lists symbolic edges ({layer, input, output, function, affine [a, b, c, d], mask});
/// (function null = the zero function; the list is null when the model has no symbolic state).
/// <c>symbolic_singularity_threshold</c> (version 2, only when set) is <see cref="KanModel.SymbolicSingularityThreshold"/>.
/// <c>beyond_grid</c> (version 3, only for <see cref="KanBeyondGrid.Smooth"/>) is <see cref="KanModel.BeyondGrid"/>: <c>smooth</c>;
/// a file without it (every file written before it existed) means pykan's behaviour.
/// <c>classes</c> and <c>class_decision</c> (version 2, only for classifiers) are <see cref="KanModel.Classes"/>: the class
/// names index by index and <c>softmax</c>, <c>logistic</c> or <c>nearest_index</c>.</para>
/// <para>Doubles are written in shortest round-trip form: a round trip is bit-exact. <see cref="Save(KanModel, string)"/>
/// writes a temporary file next to the target and renames it over the target, so a failed save never damages the
/// previous file. Training inputs (<see cref="KanModel.LastFitInputs"/>) are not saved.</para>
/// </summary>
internal static partial class KanModelFile
{
    /// <summary>Value of the <c>format</c> field.</summary>
    public const string FormatName = KanModelSchema.FormatName;

    /// <summary>The newest format version this build reads; written for models that continue beyond the grid
    /// (<see cref="KanBeyondGrid.Smooth"/>), so builds that would ignore <c>beyond_grid</c> refuse the file instead.</summary>
    public const int CurrentVersion = KanModelSchema.CurrentVersion;

    /// <summary>The version written for pykan-behaviour models with multiplication nodes, a symbolic singularity threshold or classes.</summary>
    public const int ExtendedVersion = KanModelSchema.ExtendedVersion;

    /// <summary>
    /// The version written for models without multiplication nodes or singularity threshold: their files are unchanged from version 1, so
    /// earlier KanCompile builds and [KanFormula] keep reading them.
    /// </summary>
    public const int BaseVersion = KanModelSchema.BaseVersion;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <exception cref="KanModelFileException">The model holds a non-finite number, or the file cannot be written.</exception>
    public static void Save(KanModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        KanModelDocument document = ToDocument(model, path);
        WriteAtomically(path, stream => JsonSerializer.Serialize(stream, document, KanModelJsonContext.Default.KanModelDocument));
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (left open).</summary>
    public static void Save(KanModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, ToDocument(model, null), KanModelJsonContext.Default.KanModelDocument);
    }

    /// <summary>Reads a model file into a new <see cref="KanNetwork"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="symbolicLibrary">Where the functions of saved symbolic edges are looked up (and the loaded model's
    /// <see cref="KanModel.SymbolicLibrary"/>); <see cref="SymbolicLibrary.Default"/> when null. Pass the library your
    /// <see cref="SymbolicLibrary.AddSymbolic(SymbolicFunction)"/> functions were registered in.</param>
    /// <exception cref="KanModelFileException">The file is missing, malformed, inconsistent, from a newer version, or
    /// names a symbolic function the library lacks.</exception>
    public static KanNetwork Load(string path, SymbolicLibrary? symbolicLibrary = null) => CreateNetwork(Read(path), path, symbolicLibrary);

    /// <summary>Reads a model from <paramref name="stream"/> into a new <see cref="KanNetwork"/>.</summary>
    /// <param name="stream">The stream (left open).</param>
    /// <param name="symbolicLibrary">As for <see cref="Load(string, SymbolicLibrary?)"/>.</param>
    public static KanNetwork Load(Stream stream, SymbolicLibrary? symbolicLibrary = null) => CreateNetwork(Read(stream, null), null, symbolicLibrary);

    /// <summary>
    /// Loads a file's knots, parameters and masks into an existing model (e.g. a generated one) of the same widths,
    /// spline order and base function. A different grid size is taken over (the model switches grid). Symbolic edges
    /// are taken over too, their functions looked up in the model's <see cref="KanModel.SymbolicLibrary"/>.
    /// </summary>
    public static void LoadParameters(KanModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Apply(model, Read(path), path);
    }

    /// <summary>As <see cref="LoadParameters(KanModel, string)"/>, from a stream.</summary>
    public static void LoadParameters(KanModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        Apply(model, Read(stream, null), null);
    }

    /// <summary>
    /// Creates the file through a temporary sibling written by <paramref name="write"/> and renamed over
    /// <paramref name="path"/> only once complete; on any failure the temporary file is removed and the previous
    /// file is untouched.
    /// </summary>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? throw new KanModelFileException(path, "the path has no directory.");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception error)
        {
            TryDelete(temporary);
            if (error is IOException or UnauthorizedAccessException)
            {
                throw new KanModelFileException(path, $"could not be written ({error.Message}); any previous file is unchanged.", error);
            }

            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary file is hidden and uniquely named.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static KanModelDocument Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(stream, path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new KanModelFileException(path, $"could not be opened ({error.Message}).", error);
        }
    }

    private static KanModelDocument Read(Stream stream, string? path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }

        KanModelHeader header = Deserialize(bytes, path, KanModelJsonContext.Default.KanModelHeader);
        string? problem = KanModelSchema.FormatProblem(header.Format)
            ?? (header.Version is int version ? KanModelSchema.VersionProblem(version) : KanModelSchema.MissingVersion);
        if (problem is not null)
        {
            throw new KanModelFileException(path, problem);
        }

        KanModelDocument document = Deserialize(bytes, path, KanModelJsonContext.Default.KanModelDocument);
        KanModelValidator.Validate(document, path);
        return document;
    }

    private static T Deserialize<T>(byte[] bytes, string? path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type)
                ?? throw new KanModelFileException(path, "holds JSON null instead of a model.");
        }
        catch (JsonException error)
        {
            string where = error.LineNumber is long line ? $" at line {line + 1}, byte {error.BytePositionInLine + 1}" : string.Empty;
            string field = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? string.Empty : $" (field {error.Path})";
            throw new KanModelFileException(path, $"is not a valid model file{where}{field}: {error.Message}", error);
        }
    }

    private static KanModelDocument ToDocument(KanModel model, string? path)
    {
        KernelLayout layout = model.Layout;
        ReadOnlySpan<double> knots = model.KnotBuffer;
        double[] parameters = model.ParameterBuffer, masks = model.MaskBuffer;
        var layers = new KanLayerDocument?[model.Depth];
        for (int l = 0; l < model.Depth; l++)
        {
            int inputs = model.NodeWidths[l], outputs = model.SubnodeWidths[l + 1];
            var layer = new KanLayerDocument
            {
                Grid = new double[inputs][],
                Coef = new double[inputs][][],
                ScaleBase = new double[inputs][],
                ScaleSp = new double[inputs][],
                Mask = new double[inputs][],
            };
            for (int i = 0; i < inputs; i++)
            {
                layer.Grid[i] = knots.Slice((layout.NodeOffset[l] + i) * layout.KnotCount, layout.KnotCount).ToArray();
                layer.Coef[i] = new double[outputs][];
                layer.ScaleBase[i] = new double[outputs];
                layer.ScaleSp[i] = new double[outputs];
                layer.Mask[i] = new double[outputs];
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    layer.Coef[i][j] = parameters.AsSpan(layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge, layout.CoefficientsPerEdge).ToArray();
                    layer.ScaleBase[i][j] = parameters[layout.ScaleBaseOffset[l] + e];
                    layer.ScaleSp[i][j] = parameters[layout.ScaleSplineOffset[l] + e];
                    layer.Mask[i][j] = masks[layout.MaskOffset[l] + e];
                }
            }

            layers[l] = layer;
        }

        var document = new KanModelDocument
        {
            Format = FormatName,
            Version = model.BeyondGrid == KanBeyondGrid.Smooth ? CurrentVersion
                : model.Architecture.HasMultiplication || model.SymbolicSingularityThreshold is not null || model.Classes is not null ? ExtendedVersion : BaseVersion,
            Width = model.Widths.ToArray(),
            MultNodes = model.Architecture.HasMultiplication ? model.MultiplicationNodes.ToArray() : null,
            MultArity = model.Architecture.HasMultiplication ? model.MultiplicationArity : null,
            GridIntervals = model.GridSize,
            SplineOrder = model.SplineOrder,
            BaseFun = KanModelValidator.BaseFunctionName(model.BaseFunction),
            BeyondGrid = KanModelValidator.BeyondGridName(model.BeyondGrid),
            GridRange = new[] { model.Architecture.GridMin, model.Architecture.GridMax },
            Seed = model.Seed,
            Layers = layers,
            SymbolicEdges = ToSymbolicDocuments(model),
            SymbolicSingularityThreshold = model.SymbolicSingularityThreshold,
            Classes = model.Classes?.Names.ToArray(),
            ClassDecision = model.Classes is { } classes ? ClassDecisionName(classes.Decision) : null,
        };

        // The writer would throw half-way on NaN; say which number is wrong before touching any file.
        string? problem = KanModelValidator.FindNonFinite(document);
        if (problem is not null)
        {
            throw new KanModelFileException(path, $"cannot be saved: {problem}");
        }

        return document;
    }

    private static KanNetwork CreateNetwork(KanModelDocument document, string? path, SymbolicLibrary? symbolicLibrary)
    {
        KanBaseFunction baseFunction = KanModelValidator.ParseBaseFunction(document.BaseFun!, path);
        KanArchitecture architecture;
        try
        {
            architecture = new KanArchitecture(
                document.Width!,
                document.GridIntervals!.Value,
                document.SplineOrder!.Value,
                baseFunction,
                document.GridRange![0],
                document.GridRange[1],
                null,
                document.MultNodes,
                document.MultArity ?? Generators.Model.KernelSpec.DefaultMultiplicationArity,
                KanModelValidator.ParseBeyondGrid(document.BeyondGrid, path));
        }
        catch (ArgumentException error)
        {
            throw new KanModelFileException(path, $"describes an invalid architecture: {error.Message}", error);
        }

        var network = new KanNetwork(architecture, document.Seed!.Value);
        if (symbolicLibrary is not null)
        {
            network.SymbolicLibrary = symbolicLibrary;
        }

        Apply(network, document, path);
        return network;
    }

    private static string BeyondGridDescription(KanBeyondGrid beyondGrid) => beyondGrid == KanBeyondGrid.Smooth
        ? "splines that continue smoothly beyond the grid (beyond_grid \"smooth\")"
        : "pykan's behaviour beyond the grid (no beyond_grid field, or \"pykan\")";

    /// <summary>Writes a validated document's grid, parameters and masks into a model of matching shape.</summary>
    private static void Apply(KanModel model, KanModelDocument document, string? path)
    {
        int[] widths = document.Width!;
        if (!widths.SequenceEqual(model.Widths))
        {
            throw new KanModelFileException(path, $"holds a model of widths [{string.Join(", ", widths)}] but the target model has [{string.Join(", ", model.Widths)}].");
        }

        int[] multiplication = document.MultNodes ?? new int[widths.Length];
        int arity = document.MultNodes is null ? model.MultiplicationArity : document.MultArity ?? Generators.Model.KernelSpec.DefaultMultiplicationArity;
        if (!multiplication.SequenceEqual(model.MultiplicationNodes) || (model.Architecture.HasMultiplication && arity != model.MultiplicationArity))
        {
            throw new KanModelFileException(
                path,
                $"holds multiplication nodes [{string.Join(", ", multiplication)}] of arity {arity} but the target model has [{string.Join(", ", model.MultiplicationNodes)}] of arity {model.MultiplicationArity}.");
        }

        if (document.SplineOrder != model.SplineOrder)
        {
            throw new KanModelFileException(path, $"has spline order {document.SplineOrder} but the target model has {model.SplineOrder}.");
        }

        KanBaseFunction baseFunction = KanModelValidator.ParseBaseFunction(document.BaseFun!, path);
        if (baseFunction != model.BaseFunction)
        {
            throw new KanModelFileException(path, $"uses base function {document.BaseFun} but the target model uses {KanModelValidator.BaseFunctionName(model.BaseFunction)}.");
        }

        KanBeyondGrid beyondGrid = KanModelValidator.ParseBeyondGrid(document.BeyondGrid, path);
        if (beyondGrid != model.BeyondGrid)
        {
            throw new KanModelFileException(
                path,
                $"holds a model with {BeyondGridDescription(beyondGrid)} but the target model has {BeyondGridDescription(model.BeyondGrid)}; "
                + $"declare the target with BeyondGrid = KanBeyondGrid.{beyondGrid}, or load the file with KanModel.Load.");
        }

        int gridSize = document.GridIntervals!.Value;
        var layout = new KernelLayout(model.Architecture.KernelSpecFor(gridSize));
        var knots = new double[layout.NodeOffset[model.Depth] * layout.KnotCount];
        var parameters = new double[layout.ParameterCount];
        var masks = new double[layout.EdgeCount];
        for (int l = 0; l < model.Depth; l++)
        {
            KanLayerDocument layer = document.Layers![l]!;
            int outputs = model.SubnodeWidths[l + 1];
            for (int i = 0; i < model.NodeWidths[l]; i++)
            {
                layer.Grid![i].CopyTo(knots, (layout.NodeOffset[l] + i) * layout.KnotCount);
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    layer.Coef![i][j].CopyTo(parameters, layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge);
                    parameters[layout.ScaleBaseOffset[l] + e] = layer.ScaleBase![i][j];
                    parameters[layout.ScaleSplineOffset[l] + e] = layer.ScaleSp![i][j];
                    masks[layout.MaskOffset[l] + e] = layer.Mask![i][j];
                }
            }
        }

        model.ReplaceGrid(gridSize, knots, parameters);
        masks.CopyTo(model.MaskBuffer, 0);
        ApplySymbolic(model, document.SymbolicEdges, path);
        model.SymbolicSingularityThreshold = document.SymbolicSingularityThreshold;
        ApplyClasses(model, document, path);
    }
}
