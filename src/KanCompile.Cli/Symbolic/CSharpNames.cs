using System.Text;
using KanCompile.Symbolic;

namespace KanCompile.Cli.Symbolic;

/// <summary>Turns column and file names into the C# identifiers formulas and exported classes need.</summary>
internal static class CSharpNames
{
    /// <summary>
    /// One identifier per column: letters, digits and '_' kept, anything else becomes '_' ("dose (mg)" → dose__mg_).
    /// When that cannot give distinct, non-keyword names, every input becomes x1..xn, as pykan names them.
    /// </summary>
    public static string[] ForVariables(IReadOnlyList<string>? columns, int count)
    {
        string[] fallback = Enumerable.Range(1, count).Select(i => "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (columns is null || columns.Count != count)
        {
            return fallback;
        }

        string[] names = columns.Select(Sanitize).ToArray();
        bool usable = names.All(name => name.Length > 0 && IsIdentifier(name) && !FormulaReserved.Contains(name))
            && names.Distinct(StringComparer.Ordinal).Count() == names.Length;
        return usable ? names : fallback;
    }

    /// <summary>
    /// The class name for an exported file: its name without extension, sanitised ("my-law.cs" → my_law); a
    /// leading digit gets a '_' prefix and a keyword a "Formula" suffix, so any file name gives a valid class.
    /// </summary>
    public static string ForClass(string path)
    {
        string name = Sanitize(Path.GetFileNameWithoutExtension(path));
        if (name.Length == 0)
        {
            return "KanFormula";
        }

        if (char.IsDigit(name[0]))
        {
            name = "_" + name;
        }

        return IsIdentifier(name) ? name : name + "Formula";
    }

    // Column names become identifiers only when even contextual keywords are avoided: they read as code in a formula.
    private static bool IsIdentifier(string name) => CSharpIdentifier.IsValid(name, allowContextualKeywords: false);

    private static string Sanitize(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (char c in text.Trim())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return name.ToString();
    }

    // Names the exported formula class uses itself (FormulaExport refuses them as variable names).
    private static readonly HashSet<string> FormulaReserved = new(StringComparer.Ordinal)
    {
        "input", "output", "Math", "Sgn", "System", "ArgumentException", "InputCount", "OutputCount", "Evaluate",
    };
}
