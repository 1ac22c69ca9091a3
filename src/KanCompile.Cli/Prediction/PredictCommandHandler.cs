using CsvHelper;
using KanCompile.Cli.Inspection;
using KanCompile.Cli.Output;

namespace KanCompile.Cli.Prediction;

/// <summary>
/// Runs <c>kan predict</c>: every row of the CSV is copied through with the model's prediction(s) appended as
/// new columns, to <c>--out</c> or to stdout. A classifier's predictions are its class name and class probabilities
/// (<see cref="ClassPredictions"/>).
/// </summary>
internal sealed class PredictCommandHandler(CliConsole console)
{
    public int Run(string modelPath, string dataPath, string? outputPath, IReadOnlyList<string>? inputs, IReadOnlyList<string>? targets)
    {
        KanNetwork model = ModelFiles.Load(modelPath);
        CliFiles.RequireExisting(dataPath, "data file");
        CsvTable table = CsvTable.Read(dataPath);
        int[] columns = InputColumns.Select(table, model.InputCount, inputs, targets);
        double[] samples = table.ReadNumbers(columns);
        var predictions = new double[table.Rows.Count * model.OutputCount];
        model.Predict(samples, predictions);
        string[] names;
        string[][] cells;
        double? accuracy = null;
        if (model.Classes is { } classes)
        {
            var classPredictions = ClassPredictions.Compute(classes, table, predictions, model.OutputCount, targets);
            (names, cells, accuracy) = (classPredictions.Names, classPredictions.Cells, classPredictions.Accuracy);
        }
        else
        {
            names = PredictionNames(table.Header, model.OutputCount, targets);
            cells = Enumerable.Range(0, table.Rows.Count)
                .Select(r => predictions.AsSpan(r * names.Length, names.Length).ToArray().Select(Numbers.RoundTrip).ToArray())
                .ToArray();
        }

        if (outputPath is null)
        {
            Write(console.Out, table, names, cells);
            return ExitCodes.Success;
        }

        using (var file = new StreamWriter(outputPath))
        {
            Write(file, table, names, cells);
        }

        string scored = accuracy is double share ? $"; accuracy {Numbers.Accuracy(share)} against '{targets![0]}'" : "";
        console.Out.WriteLine($"wrote {table.Rows.Count} rows with {string.Join(", ", names)} to {outputPath}{scored}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// "y_predicted" for each --target y when they match the outputs, else "prediction" (one output) or
    /// "prediction_1".. ; a trailing number keeps them apart from existing columns.
    /// </summary>
    internal static string[] PredictionNames(string[] header, int outputs, IReadOnlyList<string>? targets)
    {
        string[] names = targets is not null && targets.Count == outputs
            ? targets.Select(t => $"{t}_predicted").ToArray()
            : outputs == 1 ? ["prediction"] : Enumerable.Range(1, outputs).Select(o => $"prediction_{o}").ToArray();
        return Distinct(header, names);
    }

    /// <summary>The names, each with a trailing number where it would repeat a header column.</summary>
    internal static string[] Distinct(string[] header, IReadOnlyList<string> names)
    {
        string[] unique = names.ToArray();
        for (int o = 0; o < unique.Length; o++)
        {
            string name = unique[o];
            for (int suffix = 2; header.Contains(unique[o], StringComparer.Ordinal); suffix++)
            {
                unique[o] = $"{name}_{suffix}";
            }
        }

        return unique;
    }

    private static void Write(TextWriter writer, CsvTable table, string[] names, string[][] predictions)
    {
        using var csv = new CsvWriter(writer, CsvTable.Configuration, leaveOpen: true);
        foreach (string field in table.Header.Concat(names))
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            foreach (string cell in table.Rows[r])
            {
                csv.WriteField(cell);
            }

            foreach (string cell in predictions[r])
            {
                csv.WriteField(cell);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }
}
