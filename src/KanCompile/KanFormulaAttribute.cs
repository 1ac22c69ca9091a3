namespace KanCompile;

/// <summary>
/// Compiles a saved model file into a <c>static partial class</c> at build time: the KanCompile source
/// generator reads the file from the project's <c>AdditionalFiles</c> and emits the same standalone code as
/// <see cref="KanModel.ExportCSharp"/> (the trained splines baked in as constants), so the app evaluates the model
/// with no model file and no KanCompile runtime call.
/// </summary>
/// <example>
/// <code>
/// // .csproj: &lt;AdditionalFiles Include="models/toy.kan.json" /&gt;
/// [KanFormula("models/toy.kan.json")]
/// public static partial class ToyFormula { }
///
/// double y = ToyFormula.Evaluate(0.3, -0.2);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KanFormulaAttribute : Attribute
{
    /// <summary>Names the model file, relative to the project (it must also be listed as an AdditionalFiles item).</summary>
    public KanFormulaAttribute(string modelPath)
    {
        ModelPath = modelPath;
    }

    /// <summary>The model file, relative to the project.</summary>
    public string ModelPath { get; }
}
