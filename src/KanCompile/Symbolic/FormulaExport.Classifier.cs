using KanCompile.Symbolic.Expressions;

namespace KanCompile.Symbolic;

// The runtime's part of FormulaExport (the generator links FormulaExport.cs alone and knows no classes).
public static partial class FormulaExport
{
    /// <summary>
    /// A classifier's logit formulas as C#: the formulas as <see cref="ToCSharp"/> writes them, in a class named
    /// <c>{className}Logits</c>, and the class <paramref name="className"/> returning the class and the class probabilities
    /// under <paramref name="classes"/> (as <see cref="KanModel.ExportCSharp"/> does for a classifier).
    /// </summary>
    /// <param name="expressions">One logit expression per model output.</param>
    /// <param name="classes">The classes and how the logits decide them (a classifier model's <see cref="KanModel.Classes"/>).</param>
    /// <param name="className">The classifier class name, a C# identifier.</param>
    /// <param name="namespaceName">A (dotted) namespace, or empty for the global namespace.</param>
    /// <param name="variableNames">Input names (C# identifiers), one per input; x1..xn when null.</param>
    public static string ToCSharpClassifier(
        IReadOnlyList<SymbolicExpression> expressions,
        KanClasses classes,
        string className,
        string namespaceName,
        IReadOnlyList<string>? variableNames = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(expressions);
        classes.CheckOutputs(expressions.Count);
        string logits = Emit(expressions, ClassifierExport.LogitsClassName(className), namespaceName, variableNames, partialClass: false);
        int inputs = variableNames?.Count ?? expressions.Max(e => e.VariableCount);
        return ClassifierExport.Append(logits, className, namespaceName, classes, inputs, expressions.Count);
    }
}
