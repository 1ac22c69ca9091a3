namespace KanCompile;

/// <summary>
/// A data file KanCompile cannot use, with where the problem is: the file, the 1-based row (the header is
/// row 1, as in a spreadsheet) and the column, when they apply.
/// </summary>
public sealed class KanDataException : FormatException
{
    /// <summary>Creates the exception; the message should already say what to fix.</summary>
    public KanDataException(string filePath, int? row, string? column, string message)
        : base(Compose(filePath, row, column, message))
    {
        FilePath = filePath;
        Row = row;
        Column = column;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>1-based row of the problem (header = 1), or null when it concerns the whole file.</summary>
    public int? Row { get; }

    /// <summary>Column name of the problem, or null.</summary>
    public string? Column { get; }

    private static string Compose(string filePath, int? row, string? column, string message)
    {
        string where = filePath;
        if (row is not null)
        {
            where += $", row {row}";
        }

        if (column is not null)
        {
            where += $", column '{column}'";
        }

        return $"{where}: {message}";
    }
}
