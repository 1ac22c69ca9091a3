using KanCompile.Generators.Formulas;
using KanCompile.Symbolic;

namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Returns C# source for a standalone static class that evaluates this model with no KanCompile dependency:
    /// <list type="bullet">
    /// <item>a spline model: the trained splines (coefficients, scales, masks and the current — possibly adaptive —
    /// knots) baked in as constants, run by the same forward code the compiled kernels use, so the export agrees with
    /// <c>Forward</c> bit for bit;</item>
    /// <item>a fully symbolic model (every live edge fixed to a function): its simplified formula
    /// (<see cref="SymbolicFormula"/>);</item>
    /// <item>a model mixing both: each layer's live splines baked in as above, plus every live symbolic edge
    /// smask·(c·f(a·x + b) + d) as code, summed per node as the model computes.</item>
    /// </list>
    /// The class has <c>Evaluate(ReadOnlySpan&lt;double&gt;, Span&lt;double&gt;)</c> and, for one output,
    /// <c>double Evaluate(double x1, …)</c>. <c>[KanFormula]</c> emits the same code from the saved model file.
    /// For a classifier (<see cref="Classes"/> set) that class is named <c>{className}Logits</c>, and the class
    /// <paramref name="className"/> in the same source returns the class (<c>Predict</c>, <c>PredictName</c>) and the
    /// class probabilities (<c>Predict(input, probabilities)</c>), computed exactly as <see cref="PredictClass"/> and
    /// <see cref="PredictProbabilities"/> do.
    /// A user function (<see cref="SymbolicLibrary.AddSymbolic(SymbolicFunction)"/>) is written with its C# template,
    /// which must compile where the export is used.
    /// </summary>
    /// <param name="className">A valid C# identifier for the class.</param>
    /// <param name="namespaceName">The namespace (dotted identifiers), or null for the global namespace.</param>
    public string ExportCSharp(string className, string? namespaceName = null)
    {
        if (!CSharpIdentifier.IsValid(className))
        {
            throw new ArgumentException($"'{className}' is not a valid C# class name.", nameof(className));
        }

        if (namespaceName is not null && !CSharpIdentifier.IsValidNamespace(namespaceName))
        {
            throw new ArgumentException($"'{namespaceName}' is not a valid C# namespace.", nameof(namespaceName));
        }

        if (Classes is not { } classes)
        {
            return ModelExportEmitter.Emit(ToExportModel(), className, namespaceName, ExportVersion, partialClass: false);
        }

        string logits = ModelExportEmitter.Emit(ToExportModel(), ClassifierExport.LogitsClassName(className), namespaceName, ExportVersion, partialClass: false);
        return ClassifierExport.Append(logits, className, namespaceName, classes, InputCount, OutputCount);
    }

    /// <summary>The KanCompile version written into exported code (the generator writes the same).</summary>
    internal static string ExportVersion => typeof(KanModel).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The model's state as the shared exporter reads it.</summary>
    internal ExportModel ToExportModel()
    {
        int edges = Layout.EdgeCount;
        SymbolicEdgeTable? table = HasSymbolicEdges ? SymbolicTable : null;
        return new ExportModel(
            Layout.Spec,
            ParameterBuffer,
            KnotTable,
            MaskBuffer,
            table?.Functions.ToArray() ?? new SymbolicFunction?[edges],
            table?.Affine.ToArray() ?? new double[edges * ExportModel.AffinePerEdge],
            table?.Masks.ToArray() ?? new double[edges]);
    }
}
