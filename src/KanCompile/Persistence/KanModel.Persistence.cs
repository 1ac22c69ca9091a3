namespace KanCompile;

public abstract partial class KanModel
{
    /// <summary>
    /// Saves the model (architecture, knots, parameters, masks, seed) as a versioned JSON file (see
    /// docs/models-and-kernels.md, "Model files"). The file is replaced atomically: a failed save leaves any previous file intact.
    /// </summary>
    public void Save(string path) => KanModelFile.Save(this, path);

    /// <summary>Writes the model file to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => KanModelFile.Save(this, stream);

    /// <summary>
    /// Loads a model file into a new <see cref="KanNetwork"/> (the runtime-shaped model). Functions of symbolic edges
    /// are looked up in <paramref name="symbolicLibrary"/> (<see cref="Symbolic.SymbolicLibrary.Default"/> when null):
    /// re-register custom functions there first.
    /// </summary>
    /// <exception cref="KanModelFileException">The file is missing, malformed, inconsistent, from a newer version, or
    /// names a symbolic function the library lacks.</exception>
    public static KanNetwork Load(string path, Symbolic.SymbolicLibrary? symbolicLibrary = null) => KanModelFile.Load(path, symbolicLibrary);

    /// <summary>Loads a model from <paramref name="stream"/> into a new <see cref="KanNetwork"/>.</summary>
    public static KanNetwork Load(Stream stream, Symbolic.SymbolicLibrary? symbolicLibrary = null) => KanModelFile.Load(stream, symbolicLibrary);

    /// <summary>
    /// Loads a file's knots, parameters and masks into this model, which must have the same widths, spline order
    /// and base function. The grid size follows the file.
    /// </summary>
    public void LoadParameters(string path) => KanModelFile.LoadParameters(this, path);

    /// <summary>As <see cref="LoadParameters(string)"/>, from a stream.</summary>
    public void LoadParameters(Stream stream) => KanModelFile.LoadParameters(this, stream);
}
