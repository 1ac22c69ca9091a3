namespace KanCompile.Generators;

/// <summary>Tracking names of the generator's pipeline steps (tests assert they are cached).</summary>
internal static class KanStepNames
{
    public const string Parse = "KanModel.Parse";
    public const string Diagnostics = "KanModel.Diagnostics";
    public const string Spec = "KanModel.Spec";
    public const string FormulaParse = "KanFormula.Parse";
    public const string FormulaBuild = "KanFormula.Build";
}
