using CsvHelper;
using KanCompile.Cli.Inspection;
using KanCompile.Cli.Output;

namespace KanCompile.Cli.Prediction;

/// <summary>
/// Runs <c>kan predict</c>: every row of the CSV is copied through with the model's prediction(s) appended as
/// new columns, to <c>--out</c> or to stdout.
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
        string[] names = PredictionNames(table.Header, model.OutputCount, targets);

        if (outputPath is null)
        {
            Write(console.Out, table, names, predictions);
            return ExitCodes.Success;
        }

        using (var file = new StreamWriter(outputPath))
        {
            Write(file, table, names, predictions);
        }

        console.Out.WriteLine($"wrote {table.Rows.Count} rows with {string.Join(", ", names)} to {outputPath}");
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
        for (int o = 0; o < names.Length; o++)
        {
            string name = names[o];
            for (int suffix = 2; header.Contains(names[o], StringComparer.Ordinal); suffix++)
            {
                names[o] = $"{name}_{suffix}";
            }
        }

        return names;
    }

    private static void Write(TextWriter writer, CsvTable table, string[] names, double[] predictions)
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

            for (int o = 0; o < names.Length; o++)
            {
                csv.WriteField(Numbers.RoundTrip(predictions[r * names.Length + o]));
            }

            csv.NextRecord();
        }

        csv.Flush();
    }
}
