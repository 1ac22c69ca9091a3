using System.CommandLine.Parsing;
using System.Globalization;

namespace KanCompile.Cli.Parsing;

/// <summary>
/// Custom parsers for option values System.CommandLine cannot read by itself (comma-separated lists, the
/// optimiser's name). Each reports a problem through <see cref="ArgumentResult.AddError"/> with the option's
/// name and the bad value, so it reaches the user as one parse-error line.
/// </summary>
internal static class ValueParsers
{
    /// <summary>Comma-separated whole numbers, each at least <paramref name="minimum"/>, e.g. <c>2,5,1</c>.</summary>
    public static int[]? IntList(ArgumentResult result, string option, int minimum, string example)
    {
        string? text = SingleToken(result);
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int p = 0; p < parts.Length; p++)
        {
            if (!int.TryParse(parts[p], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[p]))
            {
                result.AddError($"{option}: '{parts[p]}' in '{text}' is not a whole number; give a comma-separated list such as {example}.");
                return null;
            }

            if (values[p] < minimum)
            {
                result.AddError($"{option}: {values[p]} in '{text}' is too small; every value must be at least {minimum}.");
                return null;
            }
        }

        return values;
    }

    /// <summary>
    /// Comma-separated names without empty entries or repeats, e.g. <c>a,b,c</c>; <paramref name="check"/>
    /// returns a problem with a name, or null when it is fine.
    /// </summary>
    public static string[]? NameList(ArgumentResult result, string option, string example, Func<string, string?>? check = null)
    {
        string? text = SingleToken(result);
        if (text is null)
        {
            return null;
        }

        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(string.IsNullOrEmpty))
        {
            result.AddError($"{option}: '{text}' has an empty name; give a comma-separated list such as {example}.");
            return null;
        }

        string? repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            result.AddError($"{option}: '{repeated}' appears twice in '{text}'.");
            return null;
        }

        foreach (string name in names)
        {
            if (check?.Invoke(name) is { } problem)
            {
                result.AddError($"{option}: {problem}");
                return null;
            }
        }

        return names;
    }

    /// <summary>A whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static int Int(ArgumentResult result, string option, int minimum, int maximum, int fallback)
    {
        string? text = SingleToken(result);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{option}: '{text}' is not a whole number.");
            return fallback;
        }

        if (value < minimum || value > maximum)
        {
            string range = maximum == int.MaxValue ? $"at least {minimum}" : $"between {minimum} and {maximum}";
            result.AddError($"{option}: {value} is out of range; it must be {range}.");
        }

        return value;
    }

    /// <summary>A finite number accepted by <paramref name="isValid"/> ('.' decimals, exponents allowed).</summary>
    public static double Double(ArgumentResult result, string option, Func<double, bool> isValid, string requirement, double fallback)
    {
        string? text = SingleToken(result);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            result.AddError($"{option}: '{text}' is not a finite number (use '.' as the decimal separator).");
            return fallback;
        }

        if (!isValid(value))
        {
            result.AddError($"{option}: {text} is out of range; it must be {requirement}.");
        }

        return value;
    }

    /// <summary>A name from a fixed set (case-insensitive), mapped to its value.</summary>
    public static T Choice<T>(ArgumentResult result, string option, IReadOnlyDictionary<string, T> choices, T fallback)
    {
        string? text = SingleToken(result);
        if (text is null)
        {
            return fallback;
        }

        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        result.AddError($"{option}: '{text}' is not one of {string.Join(", ", choices.Keys)}.");
        return fallback;
    }

    private static string? SingleToken(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
}
