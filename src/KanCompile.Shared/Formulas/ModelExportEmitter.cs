using System.Globalization;
using KanCompile.Generators.Emit;

namespace KanCompile.Generators.Formulas;

/// <summary>
/// The one entry point that turns a trained model into standalone C#, for both hosts: <c>KanModel.ExportCSharp</c>
/// and the [KanFormula] generator. A spline model gets its splines baked in (<see cref="StandaloneEmitter"/>), a
/// fully symbolic model its simplified formula (<see cref="ModelFormulaBuilder"/>, <c>FormulaExport</c>), and a
/// model mixing both the baked splines plus its symbolic edges as code (<see cref="MixedExportEmitter"/>).
/// </summary>
internal static class ModelExportEmitter
{
    /// <param name="model">The model's state.</param>
    /// <param name="className">The class name (checked by the caller).</param>
    /// <param name="namespaceName">The namespace, or null for the global namespace.</param>
    /// <param name="version">The KanCompile version written into <c>[GeneratedCode]</c>.</param>
    /// <param name="partialClass">Declare <c>static partial class</c> (completing a [KanFormula] declaration) instead
    /// of <c>public static class</c>; nothing else differs.</param>
    public static string Emit(ExportModel model, string className, string? namespaceName, string version, bool partialClass)
    {
        if (!model.HasSymbolicEdges)
        {
            return StandaloneEmitter.Emit(model.Spec, className, namespaceName, model.Parameters, model.KnotTable, model.Masks, version, partialClass);
        }

        if (model.IsFullySymbolic)
        {
            string[] names = Enumerable.Range(1, model.Spec.Width(0)).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            return Symbolic.FormulaExport.Emit(ModelFormulaBuilder.Compose(model), className, namespaceName ?? string.Empty, names, partialClass);
        }

        return MixedExportEmitter.Emit(model, className, namespaceName, version, partialClass);
    }
}
