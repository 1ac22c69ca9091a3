namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Saves the model (architecture, knots, parameters, masks, seed) as a versioned JSON file (see
    /// <see cref="KanModelFile"/>). The file is replaced atomically: a failed save leaves any previous file intact.
    /// </summary>
    public void Save(string path) => KanModelFile.Save(this, path);

    /// <summary>Writes the model file to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => KanModelFile.Save(this, stream);

    /// <summary>Loads a model file into a new <see cref="KanNetwork"/> (the runtime-shaped model).</summary>
    /// <exception cref="KanModelFileException">The file is missing, malformed, inconsistent or from a newer version.</exception>
    public static KanNetwork Load(string path) => KanModelFile.Load(path);

    /// <summary>Loads a model from <paramref name="stream"/> into a new <see cref="KanNetwork"/>.</summary>
    public static KanNetwork Load(Stream stream) => KanModelFile.Load(stream);

    /// <summary>
    /// Loads a file's knots, parameters and masks into this model, which must have the same widths, spline order
    /// and base function. The grid size follows the file.
    /// </summary>
    public void LoadParameters(string path) => KanModelFile.LoadParameters(this, path);

    /// <summary>As <see cref="LoadParameters(string)"/>, from a stream.</summary>
    public void LoadParameters(Stream stream) => KanModelFile.LoadParameters(this, stream);
}
