using KanCompile.Generators.Emit;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Returns C# source for a standalone static class that evaluates this model with no KanCompile dependency:
    /// the trained splines (coefficients, scales, masks and the current — possibly adaptive — knots) baked in as
    /// constants, run by the same forward code the compiled kernels use, so the export agrees with
    /// <c>Forward</c> bit for bit. The class has <c>Evaluate(ReadOnlySpan&lt;double&gt;, Span&lt;double&gt;)</c> and, for one
    /// output, <c>double Evaluate(double x1, …)</c>.
    /// </summary>
    /// <param name="className">A valid C# identifier for the class.</param>
    /// <param name="namespaceName">The namespace (dotted identifiers), or null for the global namespace.</param>
    public string ExportCSharp(string className, string? namespaceName = null)
    {
        if (string.IsNullOrEmpty(className) || !SyntaxFacts.IsValidIdentifier(className) || SyntaxFacts.GetKeywordKind(className) != SyntaxKind.None)
        {
            throw new ArgumentException($"'{className}' is not a valid C# class name.", nameof(className));
        }

        if (namespaceName is not null && namespaceName.Split('.').Any(part => !SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None))
        {
            throw new ArgumentException($"'{namespaceName}' is not a valid C# namespace.", nameof(namespaceName));
        }

        return StandaloneEmitter.Emit(Layout.Spec, className, namespaceName, ParameterBuffer, KnotTable, MaskBuffer, typeof(KanModel).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    }
}
