using System.Globalization;

namespace KanCompile.Tests.Symbolic;

/// <summary>
/// Evaluates the sympy strings stored in formula.json (numbers, x_1.., + - * / **, parentheses, exp/sin/cos/...)
/// so our formulas can be compared with pykan's by value rather than by text.
/// </summary>
internal sealed class SympyStringEvaluator
{
    private readonly string _text;
    private readonly double[] _inputs;
    private int _position;

    private SympyStringEvaluator(string text, double[] inputs)
    {
        _text = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        _inputs = inputs;
    }

    public static double Evaluate(string text, double[] inputs)
    {
        var parser = new SympyStringEvaluator(text, inputs);
        double value = parser.Sum();
        if (parser._position != parser._text.Length)
        {
            throw new FormatException($"Unexpected '{parser._text[parser._position..]}' in {text}.");
        }

        return value;
    }

    private double Sum()
    {
        double value = Product();
        while (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-'))
        {
            char op = _text[_position++];
            double right = Product();
            value = op == '+' ? value + right : value - right;
        }

        return value;
    }

    private double Product()
    {
        double value = Unary();
        while (_position < _text.Length && (_text[_position] == '/' || (_text[_position] == '*' && !At("**"))))
        {
            char op = _text[_position++];
            double right = Unary();
            value = op == '*' ? value * right : value / right;
        }

        return value;
    }

    private double Unary()
    {
        if (_text[_position] == '-')
        {
            _position++;
            return -Unary();
        }

        return Power();
    }

    private double Power()
    {
        double value = Atom();
        if (At("**"))
        {
            _position += 2;
            return Math.Pow(value, Unary());
        }

        return value;
    }

    private double Atom()
    {
        char ch = _text[_position];
        if (ch == '(')
        {
            _position++;
            double inner = Sum();
            Expect(')');
            return inner;
        }

        if (char.IsDigit(ch) || ch == '.')
        {
            int start = _position;
            while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] == '.' || _text[_position] == 'e'
                || ((_text[_position] == '-' || _text[_position] == '+') && _text[_position - 1] == 'e')))
            {
                _position++;
            }

            return double.Parse(_text[start.._position], CultureInfo.InvariantCulture);
        }

        int nameStart = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        string name = _text[nameStart.._position];
        if (name.StartsWith("x_", StringComparison.Ordinal))
        {
            return _inputs[int.Parse(name[2..], CultureInfo.InvariantCulture) - 1];
        }

        Expect('(');
        double argument = Sum();
        Expect(')');
        return name switch
        {
            "exp" => Math.Exp(argument),
            "sin" => Math.Sin(argument),
            "cos" => Math.Cos(argument),
            "tanh" => Math.Tanh(argument),
            "log" => Math.Log(argument),
            "sqrt" => Math.Sqrt(argument),
            "Abs" => Math.Abs(argument),
            _ => throw new FormatException($"Unknown sympy function {name}."),
        };
    }

    private bool At(string token) => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;

    private void Expect(char ch)
    {
        if (_position >= _text.Length || _text[_position] != ch)
        {
            throw new FormatException($"Expected '{ch}' at {_position} in {_text}.");
        }

        _position++;
    }
}
