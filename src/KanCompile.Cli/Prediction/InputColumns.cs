namespace KanCompile.Cli.Prediction;

/// <summary>
/// Which CSV columns feed the model's inputs, in order. Model files do not record column names, so the rule is
/// explicit: the columns named by <c>--inputs</c>; otherwise every column not named by <c>--target</c> (all
/// columns when there is no --target), in file order — the same default as <c>kan fit</c>. The count must equal
/// the model's input count.
/// </summary>
internal static class InputColumns
{
    public static int[] Select(CsvTable table, int modelInputs, IReadOnlyList<string>? inputs, IReadOnlyList<string>? targets)
    {
        foreach (string name in (inputs ?? []).Concat(targets ?? []))
        {
            if (Array.IndexOf(table.Header, name) < 0)
            {
                throw new KanDataException(table.Path, 1, name, $"unknown column; the header has: {string.Join(", ", table.Header)}.");
            }
        }

        string[] chosen = inputs?.ToArray() ?? table.Header.Where(h => targets is null || !targets.Contains(h, StringComparer.Ordinal)).ToArray();
        if (chosen.Length != modelInputs)
        {
            string source = inputs is not null ? "--inputs names" : targets is not null ? "the non-target columns are" : "the file has";
            throw KanCliException.Usage(
                $"{table.Path}: {source} {chosen.Length} column(s) ({string.Join(", ", chosen)}) but the model takes {modelInputs} input(s); "
                + "name the input columns with --inputs a,b,... or the label columns to skip with --target y.");
        }

        return chosen.Select(name => Array.IndexOf(table.Header, name)).ToArray();
    }
}
