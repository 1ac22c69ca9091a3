using System.CommandLine;

namespace KanCompile.Cli.Parsing;

/// <summary>Builds options whose values are checked while parsing, with messages that name the option.</summary>
internal static class OptionFactory
{
    /// <summary>An integer option with a default and a lower (and optional upper) bound.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ValueParsers.Int(result, name, minimum, maximum, defaultValue),
        };

    /// <summary>An optional integer option (null when absent) with a lower bound.</summary>
    public static Option<int?> OptionalInt(string name, string description, int minimum) =>
        new(name)
        {
            Description = description,
            CustomParser = result => result.Tokens.Count == 0 ? null : ValueParsers.Int(result, name, minimum, int.MaxValue, 0),
        };

    /// <summary>A real-valued option that must be finite and satisfy <paramref name="isValid"/>.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, Func<double, bool> isValid, string requirement) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ValueParsers.Double(result, name, isValid, requirement, defaultValue),
        };

    /// <summary>An optional real-valued option (null when absent).</summary>
    public static Option<double?> OptionalDouble(string name, string description, Func<double, bool> isValid, string requirement) =>
        new(name)
        {
            Description = description,
            CustomParser = result => result.Tokens.Count == 0 ? null : ValueParsers.Double(result, name, isValid, requirement, 0.0),
        };

    /// <summary>A comma-separated list of whole numbers (null when absent).</summary>
    public static Option<int[]?> IntList(string name, string description, int minimum, string example) =>
        new(name)
        {
            Description = description,
            HelpName = example,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = result => ValueParsers.IntList(result, name, minimum, example),
        };

    /// <summary>A comma-separated list of names (null when absent).</summary>
    public static Option<string[]?> NameList(string name, string description, string example, Func<string, string?>? check = null) =>
        new(name)
        {
            Description = description,
            HelpName = example,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = result => ValueParsers.NameList(result, name, example, check),
        };

    /// <summary>
    /// A value picked by name from <paramref name="choices"/> (case-insensitive). Help shows the default by its
    /// command-line name; read it with <see cref="ValueOr{T}(ParseResult, Option{T}, T)"/>.
    /// </summary>
    public static Option<T> Choice<T>(string name, string description, IReadOnlyDictionary<string, T> choices, T defaultValue) =>
        new(name)
        {
            Description = $"{description} [default: {choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, defaultValue)).Key}]",
            HelpName = string.Join('|', choices.Keys),
            CustomParser = result => ValueParsers.Choice(result, name, choices, defaultValue),
        };

    /// <summary>The option's value, or <paramref name="fallback"/> when the command line does not have it.</summary>
    public static T ValueOr<T>(this ParseResult parse, Option<T> option, T fallback) =>
        parse.GetResult(option) is null ? fallback : parse.GetValue(option)!;

    /// <summary>
    /// The value of a list option, or null when the command line does not have it (System.CommandLine would
    /// otherwise give an empty list).
    /// </summary>
    public static T[]? ListIfGiven<T>(this ParseResult parse, Option<T[]?> option) =>
        parse.GetResult(option) is null ? null : parse.GetValue(option);

    /// <summary>An optional file path option (null when absent).</summary>
    public static Option<string?> Path(string name, string description, string example) =>
        new(name) { Description = description, HelpName = example };
}
