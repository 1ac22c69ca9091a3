using System.Globalization;
using KanCompile.Cli.Output;

namespace KanCompile.Cli.Prediction;

/// <summary>
/// What <c>kan predict</c> appends for a classifier: the predicted class name, then (unless the model regresses on the
/// class index) one probability column per class; and, when the file has the class column (<c>--target</c>), the
/// accuracy — a class the model does not know is an error naming its row and column.
/// </summary>
internal sealed class ClassPredictions
{
    private ClassPredictions(string[] names, string[][] cells, double? accuracy)
    {
        Names = names;
        Cells = cells;
        Accuracy = accuracy;
    }

    /// <summary>The appended column names.</summary>
    public string[] Names { get; }

    /// <summary>The appended cells, row by row.</summary>
    public string[][] Cells { get; }

    /// <summary>The share of rows predicted right, when the file has the class column.</summary>
    public double? Accuracy { get; }

    public static ClassPredictions Compute(KanClasses classes, CsvTable table, double[] outputs, int outputCount, IReadOnlyList<string>? targets)
    {
        string classColumn = targets is { Count: 1 } ? targets[0] : "class";
        var names = new List<string> { $"{classColumn}_predicted" };
        if (classes.HasProbabilities)
        {
            names.AddRange(classes.Names.Select(name => $"p_{name}"));
        }

        string[] unique = PredictCommandHandler.Distinct(table.Header, names);
        int labelColumn = targets is { Count: 1 } ? Array.IndexOf(table.Header, targets[0]) : -1;
        var cells = new string[table.Rows.Count][];
        Span<double> probabilities = stackalloc double[classes.Count];
        int correct = 0;
        for (int r = 0; r < table.Rows.Count; r++)
        {
            ReadOnlySpan<double> logits = outputs.AsSpan(r * outputCount, outputCount);
            int predicted = classes.Decide(logits);
            var row = new string[unique.Length];
            row[0] = classes.Names[predicted];
            if (classes.TryGetProbabilities(logits, probabilities))
            {
                for (int c = 0; c < classes.Count; c++)
                {
                    row[1 + c] = Numbers.RoundTrip(probabilities[c]);
                }
            }

            if (labelColumn >= 0 && KnownClass(classes, table, r, labelColumn) == predicted)
            {
                correct++;
            }

            cells[r] = row;
        }

        return new ClassPredictions(unique, cells, labelColumn >= 0 ? correct / (double)Math.Max(1, table.Rows.Count) : null);
    }

    /// <summary>The index of row <paramref name="row"/>'s class; a whole number matches its integer name ("1.0" is class "1").</summary>
    private static int KnownClass(KanClasses classes, CsvTable table, int row, int column)
    {
        string cell = table.Rows[row][column];
        int index = classes.Names.ToList().IndexOf(cell);
        if (index < 0 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number == Math.Round(number) && Math.Abs(number) <= int.MaxValue)
        {
            index = classes.Names.ToList().IndexOf(((long)number).ToString(CultureInfo.InvariantCulture));
        }

        return index >= 0
            ? index
            : throw new KanDataException(table.Path, table.RowNumbers[row], table.Header[column],
                $"'{cell}' is not one of the model's classes ({string.Join(", ", classes.Names)}); the model can only predict the classes it was trained on.");
    }
}
