using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile;

/// <summary>
/// The classifier half of a classifier's C# export: a static class with the class names that turns the exported logits
/// class's outputs into a class and class probabilities, with the same arithmetic as <see cref="KanClasses.Decide"/> and
/// <see cref="KanClasses.TryGetProbabilities"/> (so it agrees with the model bit for bit). It is appended to the logits
/// class's source, in the same file and namespace.
/// </summary>
internal static class ClassifierExport
{
    /// <summary>The name of the logits class behind classifier <paramref name="className"/>.</summary>
    public static string LogitsClassName(string className) => className + "Logits";

    /// <summary>
    /// Appends the classifier class <paramref name="className"/> to <paramref name="logitsSource"/>, which defines
    /// <see cref="LogitsClassName"/> in <paramref name="namespaceName"/>: inside the file-scoped namespace when the source
    /// declares one, else in a namespace block of its own. Every type is written fully qualified.
    /// </summary>
    public static string Append(string logitsSource, string className, string? namespaceName, KanClasses classes, int inputCount, int outputCount)
    {
        string logits = LogitsClassName(className);
        string inv(int value) => value.ToString(CultureInfo.InvariantCulture);
        var code = new StringBuilder();
        code.AppendLine($"/// <summary>KAN classifier: {inv(inputCount)} input(s), {inv(classes.Count)} classes ({Rule(classes.Decision)}); the logits come from <see cref=\"{logits}\"/>.</summary>");
        code.AppendLine($"public static class {className}");
        code.AppendLine("{");
        WriteMembers(code, logits, classes, inputCount, outputCount);
        code.AppendLine("}");
        string body = code.ToString().Replace("ReadOnlySpan<double>", "global::System.ReadOnlySpan<double>").Replace(" Span<double>", " global::System.Span<double>")
            .Replace("Math.", "global::System.Math.").Replace("MidpointRounding.", "global::System.MidpointRounding.").Replace("new ArgumentException", "new global::System.ArgumentException");
        bool fileScoped = !string.IsNullOrEmpty(namespaceName) && logitsSource.Contains($"namespace {namespaceName};", StringComparison.Ordinal);
        var file = new StringBuilder(logitsSource.TrimEnd()).AppendLine().AppendLine();
        if (string.IsNullOrEmpty(namespaceName) || fileScoped)
        {
            return file.Append(body).ToString();
        }

        file.AppendLine($"namespace {namespaceName}").AppendLine("{");
        foreach (string line in body.TrimEnd().Split('\n'))
        {
            file.AppendLine(line.Length == 0 ? line : "    " + line.TrimEnd('\r'));
        }

        return file.AppendLine("}").ToString();
    }

    private static string Rule(KanClassDecision decision) => decision switch
    {
        KanClassDecision.Softmax => "one logit per class; the class is the largest, the probabilities their softmax",
        KanClassDecision.Logistic => "one logit, of the second class; P(second) = 1 / (1 + e^-logit), the second class when the logit is above 0",
        _ => "one output regressed on the class index; the class is the nearest index (no probabilities)",
    };

    private static void WriteMembers(StringBuilder code, string logits, KanClasses classes, int inputCount, int outputCount)
    {
        string inv(int value) => value.ToString(CultureInfo.InvariantCulture);
        code.AppendLine("    /// <summary>The number of inputs.</summary>");
        code.AppendLine($"    public const int InputCount = {inv(inputCount)};");
        code.AppendLine();
        code.AppendLine("    /// <summary>The number of classes.</summary>");
        code.AppendLine($"    public const int ClassCount = {inv(classes.Count)};");
        code.AppendLine();
        code.AppendLine("    /// <summary>The class names; index i names class i.</summary>");
        code.AppendLine($"    public static System.Collections.Generic.IReadOnlyList<string> ClassNames {{ get; }} = new[] {{ {string.Join(", ", classes.Names.Select(n => SyntaxFactory.Literal(n).ToString()))} }};");
        code.AppendLine();
        code.AppendLine("    /// <summary>The model's outputs (logits) for one sample.</summary>");
        code.AppendLine($"    public static void Logits(ReadOnlySpan<double> input, Span<double> logits) => {logits}.Evaluate(input, logits);");
        code.AppendLine();
        code.AppendLine("    /// <summary>The class index of one sample.</summary>");
        code.AppendLine("    public static int Predict(ReadOnlySpan<double> input)");
        code.AppendLine("    {");
        code.AppendLine($"        Span<double> logits = stackalloc double[{logits}.OutputCount];");
        code.AppendLine($"        {logits}.Evaluate(input, logits);");
        code.AppendLine("        return Decide(logits);");
        code.AppendLine("    }");
        code.AppendLine();
        code.AppendLine("    /// <summary>The class name of one sample.</summary>");
        code.AppendLine("    public static string PredictName(ReadOnlySpan<double> input) => ClassNames[Predict(input)];");
        code.AppendLine();
        if (classes.HasProbabilities)
        {
            code.AppendLine("    /// <summary>The class index of one sample; writes its class probabilities (ClassCount values, summing to 1).</summary>");
            code.AppendLine("    public static int Predict(ReadOnlySpan<double> input, Span<double> probabilities)");
            code.AppendLine("    {");
            code.AppendLine("        if (probabilities.Length < ClassCount)");
            code.AppendLine("        {");
            code.AppendLine("            throw new ArgumentException($\"Expected room for {ClassCount} probabilities, got {probabilities.Length}.\", nameof(probabilities));");
            code.AppendLine("        }");
            code.AppendLine();
            code.AppendLine($"        Span<double> logits = stackalloc double[{logits}.OutputCount];");
            code.AppendLine($"        {logits}.Evaluate(input, logits);");
            if (classes.Decision == KanClassDecision.Softmax)
            {
                code.AppendLine("        double max = double.NegativeInfinity;");
                code.AppendLine("        foreach (double y in logits)");
                code.AppendLine("        {");
                code.AppendLine("            max = Math.Max(max, y);");
                code.AppendLine("        }");
                code.AppendLine();
                code.AppendLine("        double sum = 0.0;");
                code.AppendLine("        for (int k = 0; k < logits.Length; k++)");
                code.AppendLine("        {");
                code.AppendLine("            probabilities[k] = Math.Exp(logits[k] - max);");
                code.AppendLine("            sum += probabilities[k];");
                code.AppendLine("        }");
                code.AppendLine();
                code.AppendLine("        for (int k = 0; k < logits.Length; k++)");
                code.AppendLine("        {");
                code.AppendLine("            probabilities[k] /= sum;");
                code.AppendLine("        }");
            }
            else
            {
                code.AppendLine("        double logit = logits[0];");
                code.AppendLine("        double e = Math.Exp(logit);");
                code.AppendLine("        double p = logit >= 0.0 ? 1.0 / (1.0 + Math.Exp(-logit)) : e / (1.0 + e);");
                code.AppendLine("        probabilities[0] = 1.0 - p;");
                code.AppendLine("        probabilities[1] = p;");
            }

            code.AppendLine();
            code.AppendLine("        return Decide(logits);");
            code.AppendLine("    }");
            code.AppendLine();
        }

        code.AppendLine("    private static int Decide(ReadOnlySpan<double> logits)");
        code.AppendLine("    {");
        if (outputCount > 1)
        {
            code.AppendLine("        int best = 0;");
            code.AppendLine("        for (int k = 1; k < logits.Length; k++)");
            code.AppendLine("        {");
            code.AppendLine("            if (logits[k] > logits[best])");
            code.AppendLine("            {");
            code.AppendLine("                best = k;");
            code.AppendLine("            }");
            code.AppendLine("        }");
            code.AppendLine();
            code.AppendLine("        return best;");
        }
        else if (classes.Decision == KanClassDecision.Logistic)
        {
            code.AppendLine("        return logits[0] > 0.0 ? 1 : 0;");
        }
        else
        {
            code.AppendLine("        double nearest = Math.Round(logits[0], MidpointRounding.ToEven);");
            code.AppendLine("        return nearest <= 0.0 || double.IsNaN(nearest) ? 0 : nearest >= ClassCount - 1 ? ClassCount - 1 : (int)nearest;");
        }

        code.AppendLine("    }");
    }
}
