using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace KanCompile.Cli.Prediction;

/// <summary>
/// A CSV file read as text, header first, so <c>kan predict</c> can copy every column through untouched and
/// parse only the input columns. Read with the same rules as <see cref="KanDataset.FromCsv"/> (invariant
/// culture, trimmed cells, blank lines skipped); problems raise <see cref="KanDataException"/> with the row.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<string[]> rows, List<int> rowNumbers)
    {
        Path = path;
        Header = header;
        Rows = rows;
        RowNumbers = rowNumbers;
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>Data rows, each with one cell per header column.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The file row of each data row (the header is row 1), for error messages.</summary>
    public IReadOnlyList<int> RowNumbers { get; }

    public static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        TrimOptions = TrimOptions.Trim,
        IgnoreBlankLines = true,
        MissingFieldFound = null,
        DetectColumnCountChanges = false,
    };

    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, Configuration);
        try
        {
            if (!csv.Read())
            {
                throw new KanDataException(path, null, null, "the file is empty; expected a header row naming the columns, then one row per sample.");
            }

            csv.ReadHeader();
            string[] header = csv.HeaderRecord ?? [];
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

            var rows = new List<string[]>();
            var rowNumbers = new List<int>();
            while (csv.Read())
            {
                string[] record = csv.Parser.Record ?? [];
                if (record.Length != header.Length)
                {
                    throw new KanDataException(path, csv.Parser.Row, null,
                        $"the row has {record.Length} fields but the header has {header.Length}; every row needs one value per column.");
                }

                rows.Add(record);
                rowNumbers.Add(csv.Parser.Row);
            }

            if (rows.Count == 0)
            {
                throw new KanDataException(path, null, null, "the file has a header but no data rows.");
            }

            return new CsvTable(path, header, rows, rowNumbers);
        }
        catch (CsvHelperException error)
        {
            throw new KanDataException(path, error.Context?.Parser?.Row, null, $"malformed CSV ({error.GetType().Name}): {error.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The listed columns of every row as numbers, row-major.</summary>
    public double[] ReadNumbers(IReadOnlyList<int> columns)
    {
        var values = new double[Rows.Count * columns.Count];
        for (int r = 0; r < Rows.Count; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                string cell = Rows[r][columns[c]];
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    string problem = cell.Length == 0
                        ? "the cell is empty (missing value); fill it in or remove the row."
                        : $"'{cell}' is not a finite number (use '.' as the decimal separator).";
                    throw new KanDataException(Path, RowNumbers[r], Header[columns[c]], problem);
                }

                values[r * columns.Count + c] = value;
            }
        }

        return values;
    }
}
