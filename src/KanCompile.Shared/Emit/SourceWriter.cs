using System;
using System.Globalization;
using System.Text;

namespace KanCompile.Generators.Emit;

/// <summary>
/// The one writer all generated text goes through: indentation, invariant number formatting and
/// <c>Block()</c> scopes. Kernels get large, so text is appended directly (no syntax trees, no
/// NormalizeWhitespace).
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new StringBuilder();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length != 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(text).Append('\n');
        return this;
    }

    /// <summary>Writes several lines (split on '\n') at the current indentation; handy for raw-string templates.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Unindent()
    {
        _indent--;
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and closes the brace when disposed.</summary>
    public BlockScope Block(string header, string close = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new BlockScope(this, close);
    }

    /// <summary>A double literal that round-trips exactly, in invariant culture.</summary>
    public static string Literal(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
        {
            text += ".0";
        }

        return text;
    }

    /// <summary>An integer literal in invariant culture.</summary>
    public static string Literal(int value) => value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => _builder.ToString();

    internal readonly struct BlockScope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _close;

        public BlockScope(SourceWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_close);
        }
    }
}
