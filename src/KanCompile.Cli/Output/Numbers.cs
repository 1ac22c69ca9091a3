using System.Globalization;

namespace KanCompile.Cli.Output;

/// <summary>Culture-independent number formatting for everything the tool prints.</summary>
internal static class Numbers
{
    /// <summary>An error or loss, e.g. 1.234E-003.</summary>
    public static string Error(double value) => value.ToString("E3", CultureInfo.InvariantCulture);

    /// <summary>A share such as an accuracy, with four decimals (0.9970).</summary>
    public static string Accuracy(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A duration in seconds with two decimals.</summary>
    public static string Seconds(double seconds) => seconds.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A value written to a data file: shortest round-trip form.</summary>
    public static string RoundTrip(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A list of widths as pykan prints it: [2, 5, 1].</summary>
    public static string Widths(IEnumerable<int> widths) => $"[{string.Join(", ", widths)}]";
}
