using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using KanCompile.Numerics;

namespace KanCompile;

public sealed partial class KanDataset
{
    /// <summary>
    /// Reads a comma-separated file with a header row (parsed by CsvHelper, invariant culture: '.' decimals),
    /// shuffles the rows with <paramref name="seed"/> and splits them into training and test sets. Every
    /// cell of the used columns must be a finite number. Problems raise <see cref="KanDataException"/> naming
    /// the file, the row (the header is row 1) and the column.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="targetColumns">Names of the label columns (at least one).</param>
    /// <param name="testFraction">Share of rows held out for testing, in (0, 1); the count is rounded.</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <param name="inputColumns">Input column names; null means every column that is not a target.</param>
    /// <param name="classify">
    /// The single target column holds classes: any text (class names) or whole numbers (class numbers). The classes are
    /// sorted (numbers by value, names ordinally) and numbered from 0; the dataset's <see cref="ClassNames"/> keep the
    /// mapping and its labels are the indices. A missing class, a non-whole number in a numeric class column, or a column
    /// with a single class raises <see cref="KanDataException"/> naming the row and column.
    /// </param>
    public static KanDataset FromCsv(string path, IReadOnlyList<string> targetColumns, double testFraction = 0.2, int seed = 0, IReadOnlyList<string>? inputColumns = null, bool classify = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(targetColumns);
        if (targetColumns.Count == 0)
        {
            throw new ArgumentException("Name at least one target column.", nameof(targetColumns));
        }

        if (!(testFraction > 0.0 && testFraction < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        }

        if (classify && targetColumns.Count != 1)
        {
            throw new ArgumentException($"A class dataset has one target column (the class); got {targetColumns.Count}: {string.Join(", ", targetColumns)}.", nameof(targetColumns));
        }

        var (names, rows, classCells) = ReadNumericTable(path, targetColumns, inputColumns, classify);
        string[]? classNames = classify ? AssignClasses(path, targetColumns[0], rows, classCells) : null;
        string[] inputs = names.Inputs, targets = names.Targets;
        int count = rows.Count;
        int testCount = (int)Math.Round(count * testFraction, MidpointRounding.AwayFromZero);
        int trainCount = count - testCount;
        if (trainCount < 2 || testCount < 1)
        {
            throw new KanDataException(path, null, null,
                $"{count} data rows give {trainCount} training and {testCount} test rows with test fraction {testFraction}; at least 2 training rows and 1 test row are needed. Add rows or change the test fraction.");
        }

        var order = Enumerable.Range(0, count).ToArray();
        new KanRandom(seed).Shuffle(order.AsSpan());
        int inputCount = inputs.Length, outputCount = targets.Length;
        var trainInputs = new double[trainCount * inputCount];
        var trainLabels = new double[trainCount * outputCount];
        var testInputs = new double[testCount * inputCount];
        var testLabels = new double[testCount * outputCount];
        for (int s = 0; s < count; s++)
        {
            double[] row = rows[order[s]];
            bool train = s < trainCount;
            int index = train ? s : s - trainCount;
            row.AsSpan(0, inputCount).CopyTo((train ? trainInputs : testInputs).AsSpan(index * inputCount, inputCount));
            row.AsSpan(inputCount, outputCount).CopyTo((train ? trainLabels : testLabels).AsSpan(index * outputCount, outputCount));
        }

        return new KanDataset(trainInputs, trainLabels, testInputs, testLabels, inputCount, outputCount, inputs, targets) { ClassNames = classNames };
    }

    /// <summary>
    /// Reads the used columns of every data row as [inputs..., targets...]. With <paramref name="targetIsClass"/> the
    /// target cell is kept as text (with its row number) and its slot is left for <see cref="AssignClasses"/>.
    /// </summary>
    private static ((string[] Inputs, string[] Targets) Names, List<double[]> Rows, List<(int Row, string Cell)> ClassCells) ReadNumericTable(string path, IReadOnlyList<string> targetColumns, IReadOnlyList<string>? inputColumns, bool targetIsClass)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };

        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, configuration);
        try
        {
            if (!csv.Read())
            {
                throw new KanDataException(path, null, null, "the file is empty; expected a header row naming the columns, then one row per sample.");
            }

            csv.ReadHeader();
            string[] header = csv.HeaderRecord ?? Array.Empty<string>();
            CheckHeader(path, header);
            string[] targets = targetColumns.ToArray();
            string[] inputs = (inputColumns ?? header.Where(h => !targets.Contains(h, StringComparer.Ordinal)).ToList()).ToArray();
            int[] columns = inputs.Concat(targets).Select(name => ColumnIndex(path, header, name, targets.Contains(name, StringComparer.Ordinal) ? "target" : "input")).ToArray();
            if (inputs.Length == 0)
            {
                throw new KanDataException(path, 1, null, "no input columns remain after the targets; name input columns or add them to the file.");
            }

            foreach (string target in targets)
            {
                if (inputs.Contains(target, StringComparer.Ordinal))
                {
                    throw new KanDataException(path, 1, target, "the column is both an input and a target.");
                }
            }

            var rows = new List<double[]>();
            var classCells = new List<(int Row, string Cell)>();
            while (csv.Read())
            {
                int rowNumber = csv.Parser.Row;
                string[] record = csv.Parser.Record ?? Array.Empty<string>();
                if (record.Length != header.Length)
                {
                    throw new KanDataException(path, rowNumber, null,
                        $"the row has {record.Length} fields but the header has {header.Length}; every row needs one value per column.");
                }

                var values = new double[columns.Length];
                int numeric = targetIsClass ? inputs.Length : columns.Length;
                for (int c = 0; c < numeric; c++)
                {
                    values[c] = ParseCell(path, rowNumber, header[columns[c]], record[columns[c]]);
                }

                if (targetIsClass)
                {
                    classCells.Add((rowNumber, record[columns[^1]]));
                }

                rows.Add(values);
            }

            return ((inputs, targets), rows, classCells);
        }
        catch (CsvHelperException error)
        {
            throw new KanDataException(path, error.Context?.Parser?.Row, null, $"malformed CSV ({error.GetType().Name}): {error.Message.Split('\n')[0]}");
        }
    }

    /// <summary>
    /// Numbers the classes of a class column and writes each row's index into its label slot (the last value);
    /// returns the class names, index by index.
    /// </summary>
    private static string[] AssignClasses(string path, string column, List<double[]> rows, List<(int Row, string Cell)> cells)
    {
        foreach (var (row, cell) in cells)
        {
            if (cell.Length == 0)
            {
                throw new KanDataException(path, row, column, "the class is missing (empty cell); fill it in or remove the row.");
            }
        }

        bool numeric = cells.Count > 0 && cells.All(c => double.TryParse(c.Cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        string[] keys = new string[cells.Count];
        for (int r = 0; r < cells.Count; r++)
        {
            var (row, cell) = cells[r];
            if (!numeric)
            {
                keys[r] = cell;
                continue;
            }

            double value = double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value) || value != Math.Round(value) || Math.Abs(value) > int.MaxValue)
            {
                throw new KanDataException(path, row, column,
                    $"'{cell}' is not a whole number; a class column of numbers holds class numbers (0, 1, 2, ...). Use whole numbers or class names, or train a regression without classification.");
            }

            keys[r] = ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        string[] names = numeric
            ? keys.Distinct(StringComparer.Ordinal).OrderBy(k => long.Parse(k, CultureInfo.InvariantCulture)).ToArray()
            : keys.Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        if (names.Length < 2)
        {
            throw new KanDataException(path, null, column,
                names.Length == 0
                    ? "there are no data rows; a classifier needs rows of at least two classes."
                    : $"every row has the class '{names[0]}'; a classifier needs at least two classes.");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            index[names[c]] = c;
        }

        for (int r = 0; r < rows.Count; r++)
        {
            rows[r][^1] = index[keys[r]];
        }

        return names;
    }

    private static void CheckHeader(string path, string[] header)
    {
        if (header.Length == 0 || header.All(string.IsNullOrEmpty))
        {
            throw new KanDataException(path, 1, null, "the header row is missing or empty; the first row must name the columns.");
        }

        if (header.All(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new KanDataException(path, 1, null, "the first row is all numbers, so the header is missing; add a row naming the columns.");
        }

        for (int c = 0; c < header.Length; c++)
        {
            if (string.IsNullOrEmpty(header[c]))
            {
                throw new KanDataException(path, 1, null, $"column {c + 1} has no name in the header.");
            }

            if (Array.IndexOf(header, header[c]) != c)
            {
                throw new KanDataException(path, 1, header[c], "the column name appears twice in the header.");
            }
        }
    }

    private static int ColumnIndex(string path, string[] header, string name, string role)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
        {
            throw new KanDataException(path, 1, name, $"unknown {role} column; the header has: {string.Join(", ", header)}.");
        }

        return index;
    }

    private static double ParseCell(string path, int row, string column, string cell)
    {
        if (cell.Length == 0)
        {
            throw new KanDataException(path, row, column, "the cell is empty (missing value); fill it in or remove the row.");
        }

        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new KanDataException(path, row, column, $"'{cell}' is not a number (use '.' as the decimal separator).");
        }

        if (!double.IsFinite(value))
        {
            throw new KanDataException(path, row, column, $"'{cell}' is not finite; remove or impute NaN and infinite values.");
        }

        return value;
    }
}
