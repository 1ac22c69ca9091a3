using System.CommandLine;

namespace KanCompile.Cli.Parsing;

/// <summary>Builds options whose values are checked while parsing, with messages that name the option.</summary>
internal static class OptionFactory
{
    /// <summary>An integer option with a default and a lower (and optional upper) bound.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
            {
                string range = maximum == int.MaxValue ? $"at least {minimum}" : $"between {minimum} and {maximum}";
                result.AddError($"{name}: {value} is out of range; it must be {range}.");
            }
        });
        return option;
    }

    /// <summary>A real-valued option that must be finite and satisfy <paramref name="isValid"/>.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, Func<double, bool> isValid, string requirement)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || !isValid(value))
            {
                result.AddError($"{name}: {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; it must be {requirement}.");
            }
        });
        return option;
    }

    /// <summary>An optional real-valued option (null when absent).</summary>
    public static Option<double?> OptionalDouble(string name, string description, Func<double, bool> isValid, string requirement)
    {
        var option = new Option<double?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            double? value = result.GetValueOrDefault<double?>();
            if (value is { } v && (!double.IsFinite(v) || !isValid(v)))
            {
                result.AddError($"{name}: {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; it must be {requirement}.");
            }
        });
        return option;
    }

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
    public static Option<string[]?> NameList(string name, string description, string example) =>
        new(name)
        {
            Description = description,
            HelpName = example,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = result => ValueParsers.NameList(result, name, example),
        };

    /// <summary>A value picked by name from <paramref name="choices"/> (case-insensitive).</summary>
    public static Option<T> Choice<T>(string name, string description, IReadOnlyDictionary<string, T> choices, T defaultValue) =>
        new(name)
        {
            Description = description,
            HelpName = string.Join('|', choices.Keys),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ValueParsers.Choice(result, name, choices, defaultValue),
        };

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
