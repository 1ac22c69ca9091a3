using KanCompile.Generators.Emit;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Returns C# source for a standalone static class that evaluates this model with no KanCompile dependency.
    /// A fully symbolic model (every live edge fixed to a function) exports its simplified formula
    /// (<see cref="SymbolicFormula"/>); a spline model exports the trained splines (coefficients, scales, masks and the current — possibly adaptive — knots) baked in as
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

        if (!HasSymbolicEdges)
        {
            return StandaloneEmitter.Emit(Layout.Spec, className, namespaceName, ParameterBuffer, KnotTable, MaskBuffer, typeof(KanModel).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        }

        if (MaskBuffer.All(mask => mask == 0.0))
        {
            // Every live edge is symbolic: the export is the formula itself.
            string[] names = Enumerable.Range(1, InputCount).Select(i => "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return Symbolic.FormulaExport.ToCSharp(SymbolicFormula(names).Outputs, className, namespaceName ?? string.Empty, names);
        }

        throw new NotSupportedException(
            "ExportCSharp exports either a spline model or a fully symbolic one; this model mixes spline and symbolic edges. "
            + "Fix the remaining spline edges (FixSymbolic/AutoSymbolic) or unfix the symbolic ones (UnfixSymbolicAll) first.");
    }
}
