namespace KanCompile.Cli.Inspection;

/// <summary>Loads a model file for the commands that read one.</summary>
internal static class ModelFiles
{
    /// <summary>The model in <paramref name="path"/>; problems surface as one-line errors naming the file.</summary>
    public static KanNetwork Load(string path)
    {
        CliFiles.RequireExisting(path, "model file");
        return KanModel.Load(path);
    }
}
